"""Reading grades: textstat's own figures, each computed once per exact text and kept (shipped and cached)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import textstat
from cardtext import write_card
from click.testing import CliRunner

from ketaref import grades
from ketaref.cli import main
from ketaref.grades import GRADES_FILE, reading_grades
from ketaref.lint import lint
from ketaref.pack import build
from ketaref.paths import resources_dir

TEXTS = ["Rest at home today. Drink water.", "Call us if you feel worse. We are here to help you."]


def no_grading(text: str) -> float:
    raise AssertionError(f"graded again: {text!r}")


def test_grades_are_textstats_own() -> None:
    expected = {text: float(textstat.flesch_kincaid_grade(text)) for text in TEXTS}
    assert expected == reading_grades(TEXTS)
    assert expected == reading_grades(TEXTS)  # from the cache this time


def test_a_text_is_graded_once_and_a_changed_text_again(monkeypatch: pytest.MonkeyPatch) -> None:
    first = reading_grades(TEXTS)
    monkeypatch.setattr(grades, "compute", no_grading)
    assert first == reading_grades(TEXTS)
    with pytest.raises(AssertionError, match="graded again"):
        reading_grades([TEXTS[0] + " "])


def test_a_grades_file_of_another_textstat_is_not_used(tmp_path: Path) -> None:
    (tmp_path / GRADES_FILE).write_text(f"# textstat 0.0.1 flesch_kincaid_grade\n{grades.text_key(TEXTS[0])}\t1.0\n")
    assert float(textstat.flesch_kincaid_grade(TEXTS[0])) == reading_grades(TEXTS[:1], tmp_path)[TEXTS[0]]


def test_lint_keeps_the_source_folders_grades_and_a_build_only_reads_them(source_dir: Path, tmp_path: Path) -> None:
    kept = source_dir / GRADES_FILE
    kept.write_text(grades.grader() + "\n", "utf-8")
    build(source_dir, tmp_path / "p.sqlite")
    assert [grades.grader()] == kept.read_text("utf-8").splitlines()  # a library build leaves the folder alone
    result = CliRunner().invoke(main, ["lint", "--source", str(source_dir)])
    assert 0 == result.exit_code, result.output
    assert 3 == len(kept.read_text("utf-8").splitlines())  # the header, the handout's body and its summary
    before = kept.read_text("utf-8")
    write_card(source_dir, "handout-rest", "handouts", audience="patient", body="Rest at home. Drink water.")
    packed = CliRunner().invoke(main, ["pack", "--source", str(source_dir), "--output", str(tmp_path / "q.sqlite")])
    assert 0 == packed.exit_code, packed.output
    assert 5 == len(kept.read_text("utf-8").splitlines())
    assert set(before.splitlines()) < set(kept.read_text("utf-8").splitlines())


def test_kept_grades_give_the_same_report(source_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_card(source_dir, "handout-rest", "handouts", audience="patient", body="Rest at home. Drink water.")
    first = lint(source_dir)
    monkeypatch.setattr(grades, "compute", no_grading)
    again = lint(source_dir)
    assert (first.grades, first.summary_grades, first.problems) == (again.grades, again.summary_grades, again.problems)


def test_the_shipped_grades_cover_every_shipped_handout(tmp_path: Path) -> None:
    """A fresh machine's first start builds the default pack without loading textstat's dictionary (about 2 s)."""
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy, ignore=shutil.ignore_patterns("*.sqlite"))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ketaref.lint import lint\n"
        f"report = lint(Path({str(copy)!r}))\n"
        "print(len(report.grades), 'textstat' in sys.modules)\n"
    )
    env = dict(os.environ, KETAREF_CACHE_DIR=str(tmp_path / "fresh-cache"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert 0 == done.returncode, done.stderr
    count, loaded = done.stdout.split()
    assert int(count) > 0
    assert "False" == loaded, f"resources/{GRADES_FILE} is out of date: run `ketaref lint` and commit it"


def test_the_grader_named_in_grades_files_is_the_installed_textstat() -> None:
    from importlib.metadata import version

    assert f"# textstat {version('textstat')} flesch_kincaid_grade" == grades.grader()
