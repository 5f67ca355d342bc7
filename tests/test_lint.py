"""Lint: review dates and the reading grade of patient handouts, on top of validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import textstat
from cardtext import write_card
from click.testing import CliRunner, Result

from ketaref.cli import main
from ketaref.lint import lint
from ketaref.pack import build
from ketaref.store import open_pack

HARD = (
    "Pharmacokinetic considerations necessitate comprehensive individualised evaluation of hepatic "
    "metabolism, particularly regarding concomitant administration of cytochrome inhibitors. "
    "Interindividual variability substantially complicates extrapolation of population-derived recommendations."
)
TODAY = dt.date(2026, 12, 1)
HANDOUT_PATH = "cards/handouts/handout-after-treatment.md"


@pytest.fixture
def source(source_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture source as the working folder, so problems name paths like cards/handouts/x.md."""
    monkeypatch.chdir(source_dir)
    return source_dir


def run_lint(source: Path) -> Result:
    return CliRunner().invoke(main, ["lint", "--source", str(source)])


def test_clean_source_has_no_problems(source: Path) -> None:
    report = lint(source, today=TODAY)
    assert ([], 4) == (report.problems, report.cards)
    assert ["handout-after-treatment"] == list(report.grades)
    assert report.grades["handout-after-treatment"][1] <= 8


def test_grade_is_measured_on_the_body_text_stored_in_the_pack(source: Path, tmp_path: Path) -> None:
    build(source, tmp_path / "p.sqlite")
    with open_pack(tmp_path / "p.sqlite") as pack:
        body_text = pack.card("handout-after-treatment").body_text
    expected = round(float(textstat.flesch_kincaid_grade(body_text)), 1)
    assert (HANDOUT_PATH, expected) == lint(source, today=TODAY).grades["handout-after-treatment"]


def test_hard_handout_is_an_error_naming_its_grade(source: Path) -> None:
    write_card(source, "handout-hard", "handouts", audience="patient", body=HARD)
    report = lint(source, today=TODAY)
    path, grade = report.grades["handout-hard"]
    assert grade > 8
    assert [f"cards/handouts/handout-hard.md:1: reading grade {grade} (Flesch-Kincaid) is above 8"] == [
        str(p)[: len(f"cards/handouts/handout-hard.md:1: reading grade {grade} (Flesch-Kincaid) is above 8")]
        for p in report.errors
    ]


def test_hard_clinician_card_is_fine(source: Path) -> None:
    write_card(source, "mon-hard", "monitoring", body=HARD)
    assert [] == lint(source, today=TODAY).problems


def test_hard_handout_fails_the_lint_command(source: Path) -> None:
    write_card(source, "handout-hard", "handouts", audience="patient", body=HARD)
    grade = lint(source, today=TODAY).grades["handout-hard"][1]
    result = run_lint(Path("."))
    assert 1 == result.exit_code
    assert f"cards/handouts/handout-hard.md:1: reading grade {grade} (Flesch-Kincaid) is above 8" in result.stderr
    assert f"cards/handouts/handout-hard.md: reading grade {grade} (Flesch-Kincaid, too hard)" in result.stdout
    assert "Traceback" not in result.output


def test_each_handout_grade_is_printed(source: Path) -> None:
    write_card(source, "handout-second", "handouts", audience="patient", body="Rest at home. Drink water.")
    report = lint(source, today=TODAY)
    result = run_lint(Path("."))
    assert 0 == result.exit_code
    grades = [line for line in result.stdout.splitlines() if ": reading grade " in line]
    first, second = (report.grades[c][1] for c in ("handout-after-treatment", "handout-second"))
    first_summary, second_summary = (report.summary_grades[c] for c in ("handout-after-treatment", "handout-second"))
    assert [
        f"{HANDOUT_PATH}: reading grade {first} (Flesch-Kincaid, ok); summary {first_summary} (ok)",
        f"cards/handouts/handout-second.md: reading grade {second} (Flesch-Kincaid, ok); summary {second_summary} (ok)",
    ] == grades


def test_hard_summary_is_an_error_on_its_line_even_when_the_body_is_easy(source: Path) -> None:
    # The summary prints first, in a box, on the patient's sheet.
    write_card(source, "handout-hard-summary", "handouts", audience="patient", summary=HARD.split(". ")[0] + ".")
    report = lint(source, today=TODAY)
    grade = report.summary_grades["handout-hard-summary"]
    assert grade > 8
    assert report.grades["handout-hard-summary"][1] <= 8
    assert [
        f"cards/handouts/handout-hard-summary.md:6: summary reading grade {grade} (Flesch-Kincaid) is above 8: "
        "it prints first on the handout; use short sentences and plain words"
    ] == [str(p) for p in report.errors]
    result = run_lint(Path("."))
    assert 1 == result.exit_code
    assert (
        f"handout-hard-summary.md: reading grade {report.grades['handout-hard-summary'][1]} (Flesch-Kincaid, ok); "
        f"summary {grade} (too hard)" in result.stdout
    )


def test_hard_clinician_summary_is_fine(source: Path) -> None:
    write_card(source, "mon-hard-summary", "monitoring", summary=HARD.split(". ")[0] + ".")
    assert [] == lint(source, today=TODAY).problems


def test_old_review_is_a_warning_and_the_lint_passes(source: Path) -> None:
    write_card(source, "mon-old", "monitoring", reviewed="2024-01-15")
    result = run_lint(Path("."))
    assert 0 == result.exit_code, result.output
    assert (
        "cards/monitoring/mon-old.md:8: warning: last reviewed 2024-01-15, over 18 months ago: review it"
        in result.stdout.splitlines()
    )
    assert "0 error(s)" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("reviewed", "last_current_day"),
    [
        ("2025-06-01", "2026-12-01"),
        ("2025-05-31", "2026-11-30"),
        ("2025-08-31", "2027-02-28"),
        ("2026-02-15", "2027-08-15"),
    ],
)
def test_review_age_boundary_is_18_calendar_months(source: Path, reviewed: str, last_current_day: str) -> None:
    write_card(source, "mon-old", "monitoring", reviewed=reviewed)
    current = dt.date.fromisoformat(last_current_day)
    assert [] == lint(source, today=current).warnings
    due = current + dt.timedelta(days=1)
    assert ["cards/monitoring/mon-old.md"] == [p.path for p in lint(source, today=due).warnings]
    assert [] == lint(source, today=due).errors


def test_review_date_in_the_future_is_an_error(source: Path) -> None:
    write_card(source, "mon-future", "monitoring", reviewed="2027-03-01")
    assert ["cards/monitoring/mon-future.md:8: reviewed date 2027-03-01 is in the future"] == [
        str(p) for p in lint(source, today=TODAY).errors
    ]


def test_lint_reports_invalid_cards_too(source: Path) -> None:
    card = source / HANDOUT_PATH
    card.write_text(card.read_text("utf-8").replace('audience = "patient"', 'audience = "patients"'), "utf-8")
    result = run_lint(Path("."))
    assert 1 == result.exit_code
    assert f"{HANDOUT_PATH}:5: unknown audience 'patients' (clinician or patient)" in result.stderr.splitlines()


def test_a_long_handout_summary_is_an_error_and_a_long_clinician_one_a_warning(source: Path) -> None:
    # Short sentences read easily, so the grade alone lets a 60-word summary fill half of the printed page.
    long = " ".join(["Rest at home today."] * 15)  # 60 words
    write_card(source, "handout-long-summary", "handouts", audience="patient", summary=long)
    write_card(source, "mon-long-summary", "monitoring", summary=" ".join(["Check the blood pressure."] * 23))
    report = lint(source, today=TODAY)
    assert [
        "cards/handouts/handout-long-summary.md:6: summary has 60 words (at most 50): it is the boxed opening of the "
        "printed handout, read at a glance; move the rest into the body"
    ] == [str(p) for p in report.errors]
    assert [
        "cards/monitoring/mon-long-summary.md:6: warning: summary has 92 words (at most 90): it is the box at the "
        "top of the card, read at a glance; move the rest into the body"
    ] == [str(p) for p in report.warnings]


@pytest.mark.parametrize("version", ["2026.11.2 beta", "abc", "2026-12"])
def test_a_content_version_that_is_not_a_dotted_number_is_an_error(source: Path, version: str) -> None:
    (source / "pack.toml").write_text(f'# the version\ncontent_version = "{version}"\n', "utf-8")
    [problem] = lint(source, today=TODAY).errors
    assert ("pack.toml", 2) == (problem.path, problem.line)
    assert f"content_version {version!r} is not a dotted number" in problem.message


def test_a_missing_pack_toml_is_a_warning(source: Path) -> None:
    (source / "pack.toml").unlink()
    [problem] = lint(source, today=TODAY).problems
    assert problem.warning and "no pack.toml" in problem.message


def pack_cmd(source: Path, out: Path) -> Result:
    return CliRunner().invoke(main, ["pack", "--source", str(source), "--output", str(out)])


def test_pack_refuses_what_lint_rejects_and_keeps_the_old_pack(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    assert 0 == pack_cmd(source, out).exit_code
    before = out.read_bytes()
    write_card(source, "handout-hard", "handouts", audience="patient", body=HARD)
    result = pack_cmd(source, out)
    assert 1 == result.exit_code
    assert "cards/handouts/handout-hard.md:1: reading grade" in result.stderr
    assert before == out.read_bytes()


def test_pack_prints_lint_warnings_and_builds(source: Path, tmp_path: Path) -> None:
    write_card(source, "mon-old", "monitoring", reviewed="2024-01-15")
    result = pack_cmd(source, tmp_path / "out.sqlite")
    assert 0 == result.exit_code, result.output
    assert "cards/monitoring/mon-old.md:8: warning: last reviewed 2024-01-15" in result.stderr


def test_pack_warns_when_the_cards_changed_but_the_version_did_not(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    assert "warning" not in pack_cmd(source, out).stderr
    assert "warning" not in pack_cmd(source, out).stderr  # rebuilt, nothing changed
    write_card(source, "mon-new", "monitoring")
    result = pack_cmd(source, out)
    assert 0 == result.exit_code
    assert "the cards changed but content_version is still" in result.stderr
    (source / "pack.toml").write_text('content_version = "9.0"\n', "utf-8")
    write_card(source, "mon-newer", "monitoring")
    assert "warning" not in pack_cmd(source, out).stderr
