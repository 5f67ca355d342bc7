"""Page 1 of every patient handout: the clinic's day and after-hours phone near the top; write-in lines after."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from ketaref.handout import PrintOptions, WriteIn, card_print_html, lacks_phone, write_pdf

HANDOUTS = ["handout-about-ketamine", "handout-infusion-day", "handout-esketamine-spray",
            "handout-after-treatment", "handout-side-effects", "handout-is-it-right"]  # fmt: skip
OPTIONS = PrintOptions(clinic="Riverside Clinic", phone="555-0100", after_hours_phone="555-0199")


def pdf_pages(path: Path) -> list[str]:
    pages = PdfReader(str(path)).pages
    texts = [unicodedata.normalize("NFKC", page.extract_text()).replace("\u2010", "-") for page in pages]
    return [" ".join(text.split()) for text in texts]


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_handout_has_the_day_and_after_hours_phone_on_page_1(
    shipped_pack, tmp_path: Path, paper: str, large_print: bool
) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    options = dataclasses.replace(OPTIONS, paper=paper, large_print=large_print)
    for card_id in HANDOUTS:
        out = tmp_path / f"{card_id}.pdf"
        write_pdf([shipped_pack.card(card_id)], out, options, shipped_pack.titles())
        first = pdf_pages(out)[0]
        assert "Call us · Riverside Clinic Day: 555-0100 After hours: 555-0199" in first, card_id
        title = shipped_pack.card(card_id).title.split(":")[0]
        assert first.index(title[:20]) < first.index("Call us"), card_id  # under the title, near the top


def test_the_call_us_box_comes_before_the_card_body_and_the_write_in_lines_after(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    card = shipped_pack.card("handout-side-effects")
    page = card_print_html(card, {}, OPTIONS)
    summary, call_us = page.index('class="summary"'), page.index('class="callus"')
    assert summary < call_us < page.index(card.body_html[:40]) < page.index('class="writein"')
    assert page.index('class="writein"') < page.index('class="questions"')


def test_write_in_lines_are_blank_by_default_and_only_on_handouts(shipped_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    titles = shipped_pack.titles()
    blank = tmp_path / "blank.pdf"
    write_pdf([shipped_pack.card("handout-side-effects")], blank, OPTIONS, titles)
    text = " ".join(pdf_pages(blank))
    assert "Patient name: Next visit: Who takes me home: Their phone:" in text
    filled = tmp_path / "filled.pdf"
    options = PrintOptions(phone="1", write_in=WriteIn(patient="Ann Lee", ride="Sam Lee", ride_phone="555-0142"))
    write_pdf(
        [shipped_pack.card("handout-side-effects"), shipped_pack.card("dose-iv-ketamine")], filled, options, titles
    )
    pages = pdf_pages(filled)
    sheet_start = next(n for n, page in enumerate(pages) if n and "Page 1 of" in page)
    assert "Patient name: Ann Lee" in " ".join(pages[:sheet_start])
    assert "Sam Lee" in " ".join(pages[:sheet_start]) and "555-0142" in " ".join(pages[:sheet_start])
    assert not any("Patient name" in page or "Call us" in page for page in pages[sheet_start:])


def test_a_handout_lacks_a_phone_only_when_none_is_given(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    handout, sheet = shipped_pack.card("handout-side-effects"), shipped_pack.card("dose-iv-ketamine")
    assert lacks_phone([sheet, handout], PrintOptions(clinic="Riverside Clinic"))
    assert lacks_phone([handout], PrintOptions(phone="   "))
    assert not lacks_phone([handout], PrintOptions(phone="555-0100"))
    assert not lacks_phone([sheet], PrintOptions())
