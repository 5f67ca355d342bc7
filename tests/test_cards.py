"""Card validation: every problem of every file, each as path:line: message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cardtext import card_text, write_card
from click.testing import CliRunner

from ketaref.cards import load_cards
from ketaref.cli import main

DOSE = "cards/dosing/dose-iv-ketamine.md"
SAFETY = "cards/safety/safety-blood-pressure.md"


@pytest.fixture
def source(source_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture source, as the working folder, so problems name paths like cards/dosing/x.md."""
    monkeypatch.chdir(source_dir)
    return source_dir


def problems(source: Path) -> list[str]:
    """Every problem found in the source's cards, as the user reads them."""
    return [str(p) for p in load_cards(source / "cards")[1]]


def write(source: Path, rel: str, text: str) -> None:
    (source / rel).parent.mkdir(parents=True, exist_ok=True)
    (source / rel).write_text(text, "utf-8")


def dose_card(**fields: object) -> str:
    """The dosing card's text with some fields changed (title on line 3, related on line 9, body from 14)."""
    defaults: dict[str, object] = {"title": "IV ketamine dosing", "related": ("safety-blood-pressure",)}
    defaults.update(fields)
    return card_text("dose-iv-ketamine", "dosing", **defaults)  # type: ignore[arg-type]


def test_fixture_cards_are_valid(source: Path) -> None:
    parsed, found = load_cards(source / "cards")
    assert [] == [str(p) for p in found]
    assert ["contra-absolute", "dose-iv-ketamine", "handout-after-treatment", "safety-blood-pressure"] == sorted(
        p.card.id for p in parsed
    )


def test_card_fields_are_parsed(source: Path) -> None:
    parsed, _ = load_cards(source / "cards")
    card = next(p.card for p in parsed if p.card.id == "dose-iv-ketamine")
    assert "IV ketamine dosing for depression" == card.title
    assert ("infusion", "mg/kg", "Ketalar") == card.keywords
    assert ("safety-blood-pressure",) == card.related
    assert "10686270" == card.sources[0].pmid
    assert card.body.startswith("## Dose")


def test_bad_toml_points_at_the_bad_line(source: Path) -> None:
    text = dose_card().replace('title = "IV ketamine dosing"', 'title = "IV ketamine dosing')
    write(source, DOSE, text)
    found = problems(source)
    assert 1 == len(found)
    assert found[0].startswith(f"{DOSE}:3: bad TOML")


def test_bad_toml_missing_equals_sign(source: Path) -> None:
    write(source, DOSE, dose_card().replace('audience = "clinician"', 'audience "clinician"'))
    found = problems(source)
    assert 1 == len(found)
    assert found[0].startswith(f"{DOSE}:5: bad TOML: Expected '='")


def test_missing_field(source: Path) -> None:
    write(source, DOSE, dose_card().replace('summary = "A short summary for the test."\n', ""))
    assert [f"{DOSE}:1: missing field 'summary'"] == problems(source)


def test_unknown_field_names_its_line(source: Path) -> None:
    write(source, DOSE, dose_card().replace('audience = "clinician"\n', 'audience = "clinician"\ncolour = "red"\n'))
    assert [f"{DOSE}:6: unknown field 'colour'"] == problems(source)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "IV ketamine dosing"', "title = 5", "3: 'title' must be a string, not int"),
        ("keywords = []", 'keywords = "infusion"', "7: 'keywords' must be a list of strings"),
        ("reviewed = 2026-11-20", 'reviewed = "2026-11-20"', "8: 'reviewed' must be a date written as YYYY-MM-DD"),
        ('related = ["safety-blood-pressure"]', "related = [1, 2]", "9: 'related' must be a list of strings"),
    ],
)
def test_wrong_type(source: Path, old: str, new: str, expected: str) -> None:
    write(source, DOSE, dose_card().replace(old, new))
    found = problems(source)
    assert 1 == len(found)
    assert found[0].startswith(f"{DOSE}:{expected}")


def test_unknown_category(source: Path) -> None:
    write(source, DOSE, dose_card().replace('category = "dosing"', 'category = "dosage"'))
    found = problems(source)
    assert 1 == len(found)
    assert found[0].startswith(f"{DOSE}:4: unknown category 'dosage'")


def test_unknown_audience(source: Path) -> None:
    write(source, DOSE, dose_card(audience="doctor"))
    assert [f"{DOSE}:5: unknown audience 'doctor' (clinician or patient)"] == problems(source)


def test_category_must_match_folder(source: Path) -> None:
    write(source, DOSE, dose_card().replace('category = "dosing"', 'category = "safety"'))
    assert [f"{DOSE}:4: category 'safety' does not match the folder 'dosing'"] == problems(source)


def test_id_must_match_file_name(source: Path) -> None:
    write(source, DOSE, dose_card().replace('id = "dose-iv-ketamine"', 'id = "dose-ketamine"'))
    assert [f"{DOSE}:2: id 'dose-ketamine' does not match the file name 'dose-iv-ketamine.md'"] == problems(source)


def test_duplicate_id(source: Path) -> None:
    write_card(source, "dose-iv-ketamine", "safety")
    assert [f"cards/safety/dose-iv-ketamine.md:2: duplicate id 'dose-iv-ketamine' (also in {DOSE})"] == problems(source)


def test_related_link_to_unknown_card(source: Path) -> None:
    write(source, DOSE, dose_card(related=("safety-blood-pressure", "no-such-card")))
    assert [f"{DOSE}:9: related card 'no-such-card' does not exist"] == problems(source)


def test_wiki_link_to_unknown_card_names_the_body_line(source: Path) -> None:
    write(source, DOSE, dose_card(body="First line.\n\nSee [[no-such-card]] for more."))
    assert [f"{DOSE}:16: link to unknown card 'no-such-card'"] == problems(source)


def test_card_url_link_to_unknown_card_names_the_body_line(source: Path) -> None:
    write(source, DOSE, dose_card(body="First line.\nRecheck [later](card:no-such-card)."))
    assert [f"{DOSE}:15: link to unknown card 'no-such-card'"] == problems(source)


def test_no_sources(source: Path) -> None:
    text = dose_card().replace('[[sources]]\ncite = "Test source. J Test. 2020;1:1."\n', "")
    write(source, DOSE, text)
    assert [f"{DOSE}:1: missing field 'sources'"] == problems(source)


def test_empty_sources_list(source: Path) -> None:
    text = dose_card().replace('[[sources]]\ncite = "Test source. J Test. 2020;1:1."\n', "sources = []\n")
    write(source, DOSE, text)
    found = problems(source)
    assert 1 == len(found)
    assert found[0].startswith(f"{DOSE}:11: no sources")


def test_source_without_cite(source: Path) -> None:
    write(source, DOSE, dose_card().replace('cite = "Test source. J Test. 2020;1:1."', 'pmid = "123"'))
    assert [f"{DOSE}:11: source 1 has no 'cite'"] == problems(source)


def test_a_problem_in_a_later_source_names_that_sources_line(source: Path) -> None:
    second = '[[sources]]\ncite = "Second. 2021."\n\n[[sources]]\npmid = "456"\n'
    write(source, DOSE, dose_card().replace("+++\nPlain body", second + "+++\nPlain body"))
    assert [f"{DOSE}:16: source 3 has no 'cite'"] == problems(source)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("pmid", "PMID 123", "pmid 'PMID 123' is not a PubMed id (digits only)"),
        ("pmcid", "8138742", "pmcid '8138742' is not a PubMed Central id (PMC and digits)"),
        ("doi", "https://doi.org/10.1/x", "doi 'https://doi.org/10.1/x' is not a DOI"),
        ("url", "www.fda.gov", "url 'www.fda.gov' is not a web address (http:// or https://)"),
    ],
)
def test_a_malformed_identifier_is_an_error_on_its_sources_line(
    source: Path, field: str, value: str, expected: str
) -> None:
    write(source, DOSE, dose_card().replace("+++\nPlain body", f'{field} = "{value}"\n+++\nPlain body'))
    [found] = problems(source)
    assert found.startswith(f"{DOSE}:11: source 1: {expected}")


def test_empty_body(source: Path) -> None:
    write(source, DOSE, dose_card(body="\n  \n"))
    found = problems(source)
    assert 1 == len(found)
    assert found[0].startswith(f"{DOSE}:13: the body is empty")


def test_file_that_is_not_utf8(source: Path) -> None:
    (source / DOSE).write_bytes(dose_card(summary="Caf\u00e9 dose.").encode("latin-1"))
    assert [f"{DOSE}:6: the file is not UTF-8 text; save it as UTF-8"] == problems(source)


def test_file_without_front_matter(source: Path) -> None:
    write(source, DOSE, "# Dose\n\nJust Markdown.\n")
    assert [f"{DOSE}:1: the file must start with a '+++' line (TOML front matter)"] == problems(source)


def test_every_problem_of_one_file_is_reported(source: Path) -> None:
    text = dose_card(audience="doctor", related=("no-such-card",), body="See [[gone-card]].")
    write(source, DOSE, text.replace('summary = "A short summary for the test."\n', 'summary = 3\ncolour = "red"\n'))
    assert [
        f"{DOSE}:7: unknown field 'colour'",
        f"{DOSE}:6: 'summary' must be a string, not int",
        f"{DOSE}:5: unknown audience 'doctor' (clinician or patient)",
        f"{DOSE}:10: related card 'no-such-card' does not exist",
        f"{DOSE}:15: link to unknown card 'gone-card'",
    ] == problems(source)


def test_two_broken_files_are_both_listed(source: Path) -> None:
    write(source, DOSE, dose_card(audience="doctor"))
    (source / SAFETY).write_text((source / SAFETY).read_text("utf-8").replace("[[sources]]", "[[source]]"), "utf-8")
    found = problems(source)
    assert any(p.startswith(f"{DOSE}:5: unknown audience") for p in found)
    assert any(p.startswith(f"{SAFETY}:") for p in found)


def test_a_broken_card_is_not_reported_missing_by_cards_that_link_to_it(source: Path) -> None:
    write(source, DOSE, dose_card(audience="doctor"))
    # The other three fixture cards link to dose-iv-ketamine: its own problem is the only one.
    assert [f"{DOSE}:5: unknown audience 'doctor' (clinician or patient)"] == problems(source)


def test_every_problem_reads_path_line_message(source: Path) -> None:
    write(source, DOSE, dose_card(audience="doctor", body="See [[gone-card]]."))
    write(source, "cards/safety/broken.md", "+++\nid = \n+++\nBody\n")
    found = problems(source)
    assert 3 == len(found)
    assert all(re.fullmatch(r"cards/[a-z]+/[a-z-]+\.md:\d+: \S.*", p) for p in found), found


def test_no_card_files(tmp_path: Path) -> None:
    (tmp_path / "cards").mkdir()
    assert [f"{tmp_path / 'cards'}:1: no card files (*.md) found"] == problems(tmp_path)


def test_pack_with_a_broken_card_fails_and_keeps_the_old_pack(source: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "pack.sqlite"
    runner = CliRunner()
    first = runner.invoke(main, ["pack", "--source", str(source), "--output", str(output)])
    assert 0 == first.exit_code, first.output
    before = output.read_bytes()
    listing = sorted(p.name for p in output.parent.iterdir())

    write(source, DOSE, dose_card(audience="doctor", body="See [[gone-card]]."))
    result = runner.invoke(main, ["pack", "--source", str(source), "--output", str(output)])

    assert 1 == result.exit_code
    assert f"{DOSE}:5: unknown audience 'doctor' (clinician or patient)" in result.stderr.splitlines()
    assert f"{DOSE}:14: link to unknown card 'gone-card'" in result.stderr.splitlines()
    assert "Traceback" not in result.output
    assert before == output.read_bytes()
    assert listing == sorted(p.name for p in output.parent.iterdir())
