"""Spanish handouts (issue 22): translation fields and their validation, INFLESZ reading ease in lint and the
stale-translation warning, Spanish page text on paper, `handout --lang es`, a mixed packet, Spanish search, and the
window's English | Español switch and language badge."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from ketaref.cards import load_cards
from ketaref.cli import main
from ketaref.grades import FERNANDEZ_HUERTA, SZIGRISZT_PAZOS, compute_measure, measure_key, text_key
from ketaref.handout.options import SPANISH, PageText
from ketaref.lint import MIN_SPANISH_EASE, TARGET_SPANISH_EASE, lint
from ketaref.model import body_digest
from ketaref.paths import resources_dir

HANDOUTS = ["handout-about-ketamine", "handout-after-treatment", "handout-esketamine-spray", "handout-infusion-day",
            "handout-is-it-right", "handout-side-effects"]  # fmt: skip


def card_text(card_id: str, lang: str, extra: str = "", body: str = "Texto del cuerpo. Llame al 911.") -> str:
    """A minimal card file."""
    return (
        f'+++\nid = "{card_id}"\ntitle = "T"\ncategory = "handouts"\naudience = "patient"\nsummary = "S."\n'
        f'reviewed = 2026-11-01\nlang = "{lang}"\n{extra}[[sources]]\ncite = "A label."\n+++\n{body}\n'
    )


def folder_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """A cards folder holding these handouts."""
    folder = tmp_path / "cards" / "handouts"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / f"{name}.md").write_text(text, "utf-8")
    return tmp_path / "cards"


def messages(cards_dir: Path) -> list[str]:
    """Every problem load_cards finds, as printed."""
    return [str(p) for p in load_cards(cards_dir)[1]]


# ---------------------------------------------------------------- 1. translations as cards


def test_every_english_handout_has_a_current_spanish_translation() -> None:
    """Six Spanish handouts, each <english id>-es, translated from the English body as it is now."""
    parsed, problems = load_cards(resources_dir() / "cards")
    by_id = {p.card.id: p.card for p in parsed}
    assert [str(p) for p in problems if "translation" in p.message] == []
    for english in HANDOUTS:
        spanish = by_id[f"{english}-es"]
        assert (spanish.lang, spanish.translation_of) == ("es", english)
        assert spanish.translation_of_sha256 == body_digest(by_id[english].body)
        assert by_id[english].lang == "en"
        for words in ("911", "988", "línea de crisis", "usted" if english == "handout-is-it-right" else "Llámenos"):
            assert words in spanish.body, (english, words)
        # same structure: as many sections, list items and numbered steps as the English
        for mark in ("\n## ", "\n- ", "\n1. "):
            assert spanish.body.count(mark) == by_id[english].body.count(mark), (english, mark)


def test_a_translation_records_its_english_card_and_digest(tmp_path: Path) -> None:
    english = card_text("handout-x", "en")
    digest = body_digest("Texto del cuerpo. Llame al 911.")
    spanish = card_text("handout-x-es", "es", f'translation_of = "handout-x"\ntranslation_of_sha256 = "{digest}"\n')
    parsed, problems = load_cards(folder_with(tmp_path, {"handout-x": english, "handout-x-es": spanish}))
    assert problems == []
    card = {p.card.id: p.card for p in parsed}["handout-x-es"]
    assert (card.lang, card.translation_of, card.translation_of_sha256) == ("es", "handout-x", digest)


@pytest.mark.parametrize(
    ("name", "lang", "extra", "expected"),
    [
        ("handout-x-fr", "fr", "", "unknown lang 'fr'"),
        ("handout-x-es", "es", "", "needs 'translation_of'"),
        ("handout-x-es", "es", 'translation_of = "handout-x"\n', "needs 'translation_of_sha256'"),
        ("handout-y-es", "es", f'translation_of = "handout-x"\ntranslation_of_sha256 = "{"0" * 64}"\n',
         "must have the id 'handout-x-es'"),
        ("handout-x-es", "es", 'translation_of = "handout-x"\ntranslation_of_sha256 = "abc"\n', "64 hexadecimal"),
        ("handout-z-es", "es", f'translation_of = "handout-z"\ntranslation_of_sha256 = "{"0" * 64}"\n',
         "'handout-z' does not exist"),
        ("handout-w", "en", 'translation_of = "handout-x"\ntranslation_of_sha256 = "' + "0" * 64 + '"\n',
         "needs lang = \"es\""),
    ],
)  # fmt: skip
def test_bad_translation_fields_are_errors_with_their_line(
    tmp_path: Path, name: str, lang: str, extra: str, expected: str
) -> None:
    files = {"handout-x": card_text("handout-x", "en"), name: card_text(name, lang, extra)}
    found = [m for m in messages(folder_with(tmp_path, files)) if expected in m]
    assert found, messages(folder_with(tmp_path / "again", files))
    assert f"{name}.md:" in found[0]
    assert "warning" not in found[0]


# ---------------------------------------------------------------- 2. reading ease and the stale translation


def test_spanish_scores_need_set_lang_and_have_their_own_key() -> None:
    text = "Siga tomando sus pastillas para la depresión. Díganos todas las medicinas que toma."
    import textstat

    textstat.set_lang("en_US")
    english_syllables = textstat.szigriszt_pazos(text)
    assert compute_measure(SZIGRISZT_PAZOS, text) != pytest.approx(english_syllables)
    assert textstat.flesch_kincaid_grade("The cat sat.") == compute_measure("flesch_kincaid_grade", "The cat sat.")
    keys = {measure_key(m, text) for m in (SZIGRISZT_PAZOS, FERNANDEZ_HUERTA, "flesch_kincaid_grade")}
    assert len(keys) == 3 and text_key(text) in keys


def test_lint_reports_inflesz_and_fernandez_huerta_for_each_spanish_handout() -> None:
    report = lint(resources_dir())
    assert report.errors == []
    for english in HANDOUTS:
        path, ease, huerta = report.ease[f"{english}-es"]
        assert path.endswith(f"{english}-es.md")
        assert ease >= TARGET_SPANISH_EASE and huerta >= TARGET_SPANISH_EASE
        assert f"{english}-es" not in report.grades  # no Flesch-Kincaid grade of Spanish text
    result = CliRunner().invoke(main, ["lint"])
    assert "handout-side-effects-es.md: reading ease" in result.output and "Fernández-Huerta" in result.output


def spanish_source(tmp_path: Path) -> Path:
    """A copy of the bundled resources to change."""
    target = tmp_path / "resources"
    shutil.copytree(resources_dir(), target)
    return target


def test_a_hard_spanish_handout_fails_under_55_and_warns_under_65(tmp_path: Path) -> None:
    source = spanish_source(tmp_path)
    path = source / "cards" / "handouts" / "handout-side-effects-es.md"
    head, body = path.read_text("utf-8").split("+++\n")[1:3]
    hard = ("La administración intranasal de esketamina requiere monitorización hemodinámica prolongada, "
            "particularmente considerando comorbilidades cardiovasculares preexistentes y medicación concomitante "
            "potencialmente depresora respiratoria. ") * 20  # fmt: skip
    path.write_text(f"+++\n{head}+++\n{hard}\n", "utf-8")
    problems = [p for p in lint(source).problems if p.path.endswith("handout-side-effects-es.md")]
    failing = [p for p in problems if "reading ease" in p.message and not p.warning]
    assert failing and f"under {MIN_SPANISH_EASE:g} fails" in failing[0].message
    middling = "Usted debe quedarse en la clínica durante dos horas completas después de la administración. " * 20
    path.write_text(f"+++\n{head}+++\n{middling}\n", "utf-8")
    report = lint(source)
    ease = report.ease["handout-side-effects-es"][1]
    assert MIN_SPANISH_EASE <= ease < TARGET_SPANISH_EASE
    assert [p for p in report.warnings if "reading ease" in p.message and p.path.endswith("side-effects-es.md")]
    assert not [p for p in report.errors if "reading ease" in p.message]


def test_lint_warns_naming_both_files_when_the_english_handout_changed(tmp_path: Path) -> None:
    source = spanish_source(tmp_path)
    english = source / "cards" / "handouts" / "handout-esketamine-spray.md"
    english.write_text(english.read_text("utf-8").replace("Rest 5 minutes", "Rest 6 minutes"), "utf-8")
    report = lint(source)
    stale = [p for p in report.warnings if "changed after this translation" in p.message]
    assert len(stale) == 1
    assert stale[0].path.endswith("handout-esketamine-spray-es.md")
    assert "handout-esketamine-spray.md" in stale[0].message and "handout-esketamine-spray-es.md" in stale[0].message
    assert report.errors == []


# ---------------------------------------------------------------- 4. printing in Spanish


def test_spanish_dates_and_page_words() -> None:
    assert SPANISH.date(dt.date(2026, 12, 2)) == "2 de diciembre de 2026"
    assert PageText().date(dt.date(2026, 12, 2)) == "2026-12-02"
    assert SPANISH.page.format(number=1, total=2) == "Página 1 de 2"


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, with runs of white space as one space."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def test_handout_lang_es_prints_the_spanish_sheet_with_spanish_page_text(
    tmp_path: Path, shipped_pack_path: Path
) -> None:
    out = tmp_path / "es.pdf"
    result = CliRunner().invoke(
        main, ["--pack", str(shipped_pack_path), "handout", "handout-esketamine-spray", "--lang", "es",
               "--clinic", "Clínica Norte", "--phone", "555-0100", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    assert "Su visita para el espray nasal Spravato" in pages[0]
    for page_number, text in enumerate(pages, 1):
        assert f"Página {page_number} de {len(pages)}" in text
        assert "Impreso:" in text and "Última revisión: 2 de diciembre de 2026" in text
        assert "Esta hoja no reemplaza los consejos de su equipo de atención médica." in text
        assert "Page " not in text and "Last reviewed" not in text
    assert "Llámenos" in pages[0]
    assert "¿Preguntas? Llame a Clínica Norte al 555" in pages[-1]
    assert "Nombre del paciente" in pages[-1] and "Quién me lleva a casa" in pages[-1]


def test_lang_es_without_a_translation_is_one_line_and_writes_nothing(tmp_path: Path, shipped_pack_path: Path) -> None:
    out = tmp_path / "none.pdf"
    result = CliRunner().invoke(
        main, ["--pack", str(shipped_pack_path), "handout", "dose-rems", "--lang", "es", "--no-clinic", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "'dose-rems' has no Spanish version" in result.output
    assert not out.exists()


def test_a_packet_may_mix_languages(tmp_path: Path, shipped_pack_path: Path) -> None:
    out = tmp_path / "mixed.pdf"
    result = CliRunner().invoke(
        main, ["--pack", str(shipped_pack_path), "handout", "handout-side-effects", "handout-side-effects-es",
               "--phone", "555-0100", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    english = [p for p in pages if "This sheet does not replace advice from your care team." in p]
    spanish = [p for p in pages if "Esta hoja no reemplaza los consejos" in p]
    assert english and spanish and len(english) + len(spanish) == len(pages)
    assert "of ketamine and esketamine (Spravato): what to expect" in english[0] and "Page 1 of" in english[0]
    assert "Efectos secundarios de la ketamina" in spanish[0] and "Página 1 de" in spanish[0]


# ---------------------------------------------------------------- 5. search and the window


@pytest.mark.parametrize(
    ("query", "expected"),
    [("espray nasal", "handout-esketamine-spray-es"), ("presión arterial", "handout-infusion-day-es"),
     ("presion arterial", "handout-infusion-day-es"), ("embarazo", "handout-is-it-right-es")],
)  # fmt: skip
def test_spanish_queries_find_the_spanish_handouts(shipped_pack, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = shipped_pack.search(query, limit=5)
    ids = [hit.id for hit in found.results]
    assert expected in ids[:3], ids
    assert {hit.lang for hit in found.results if hit.id.endswith("-es")} == {"es"}


def test_english_queries_still_find_english_cards_first(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    for query in ("blood pressure", "pregnancy", "nasal spray"):
        assert shipped_pack.search(query, limit=3).results[0].lang == "en", query


def test_the_window_switches_language_and_prints_the_shown_one(qtbot, make_window, shipped_pack_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(shipped_pack_path)
    window.open_card("handout-infusion-day")
    view = window.card_view
    qtbot.waitUntil(lambda: view.card is not None and view.card.id == "handout-infusion-day")
    assert view.language_bar.isVisible()
    assert [b.text() for b in view.language_buttons.values() if b.isVisible()] == ["English", "Español"]
    assert view.language_buttons["en"].isChecked()
    qtbot.mouseClick(view.language_buttons["es"], __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    assert view.card.id == "handout-infusion-day-es"
    assert "El día de su infusión IV de ketamina" in view.browser.toPlainText()
    assert view.language_buttons["es"].isChecked() and not view.language_buttons["en"].isChecked()
    assert [c.id for c in window.printing.targets()] == ["handout-infusion-day-es"]
    view.show_language("en")
    assert "Your IV ketamine infusion day" in view.browser.toPlainText()
    window.open_card("dose-rems")  # no translation: no switch
    qtbot.waitUntil(lambda: view.card is not None and view.card.id == "dose-rems")
    assert not view.language_bar.isVisible()


def test_spanish_handouts_carry_a_language_badge_in_the_results(qtbot, make_window, shipped_pack_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.results import HIT_ROLE, SPANISH_BADGE, Row

    window = make_window(shipped_pack_path)
    window.search_panel.edit.setText("embarazo")
    qtbot.waitUntil(lambda: window.search_panel.up_to_date and window.search_panel.model.rowCount() > 0)
    model = window.search_panel.model
    hits = [model.index(r, 0).data(HIT_ROLE) for r in range(model.rowCount())]
    spanish = [h for h in hits if h is not None and h.id == "handout-is-it-right-es"]
    assert spanish
    assert SPANISH_BADGE in Row(spanish[0], spanish[0].title).plain
    english = [h for h in hits if h is not None and h.lang == "en"]
    assert all(SPANISH_BADGE not in Row(h, h.title).plain for h in english)
