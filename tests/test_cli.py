"""The command line: each command, its output formats, exit codes and messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from ketaref import __version__
from ketaref.cli import main
from ketaref.pack import build


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def one_error_line(result: Result) -> str:
    """The single line a failed command prints on stderr."""
    assert 1 == result.exit_code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert 1 == len(lines), lines
    assert lines[0].startswith("Error: ") and not lines[0].startswith("Error: Error")
    return lines[0]


def test_every_command_and_option_has_help_text() -> None:
    assert main.help
    assert isinstance(main, click.Group)
    assert {"pack", "search", "show", "info", "lint"} <= set(main.commands)
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{name} {param.opts}"
        result = run(name, "--help")
        assert 0 == result.exit_code, name
        assert command.help.split("\n")[0][:40] in " ".join(result.output.split()), name


def test_main_help_lists_the_commands() -> None:
    result = run("--help")
    assert 0 == result.exit_code
    for name in ("pack", "search", "show", "info", "lint"):
        assert f"  {name} " in result.output


def test_version() -> None:
    result = run("--version")
    assert (0, f"ketaref {__version__}\n") == (result.exit_code, result.output)


def test_unknown_option_is_a_usage_error(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "--bogus", "x")
    assert 2 == result.exit_code
    assert "No such option" in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    assert 2 == run("frobnicate").exit_code


def test_unknown_category_is_a_usage_error(pack_path: Path) -> None:
    assert 2 == run("--pack", str(pack_path), "search", "x", "--category", "dosage").exit_code


def test_pack_builds_a_pack(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "built.sqlite"
    result = run("pack", "--source", str(source_dir), "--output", str(out))
    assert 0 == result.exit_code, result.output
    assert f"Built 4 cards into {out} (content version 1.0).\n" == result.stdout
    assert 4 == json.loads(run("--pack", str(out), "info", "--json").stdout)["cards"]


def test_pack_from_another_source_into_the_default_pack_says_it_will_not_last(
    source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETAREF_CACHE_DIR", str(tmp_path / "cache"))
    result = run("pack", "--source", str(source_dir))
    assert 0 == result.exit_code, result.output
    assert "give --output to keep a pack built from another folder" in result.stderr


def test_pack_from_a_folder_that_is_not_a_source(tmp_path: Path) -> None:
    line = one_error_line(run("pack", "--source", str(tmp_path), "--output", str(tmp_path / "p.sqlite")))
    assert "has no cards/ folder" in line


def test_search_text(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "blood", "pressure")
    assert 0 == result.exit_code
    lines = result.output.splitlines()
    assert " 1. Blood pressure rise  (Safety)  safety-blood-pressure" == lines[0]
    assert "Blood pressure rises transiently" in lines[1]
    assert "<mark>" not in result.output


def test_search_text_marks_patient_handouts(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "drive")
    assert (
        " 1. Going home after treatment  (Patient handouts)  [patient handout]  handout-after-treatment"
        == (result.output.splitlines()[0])
    )


def test_search_text_says_when_it_corrected_a_typo(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "dissociaton")
    assert 'Showing results for "dissociation" (no card has "dissociaton").' == result.output.splitlines()[0]
    assert "safety-blood-pressure" in result.output.splitlines()[1]


def test_search_text_says_when_nothing_matches(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "zzzzqqqq")
    assert (0, 'No cards match "zzzzqqqq".\n') == (result.exit_code, result.output)


def test_search_json_fields(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "dissociaton", "--json")
    assert 0 == result.exit_code
    payload = json.loads(result.stdout)
    assert {"query", "corrected_query", "unmatched", "results"} == set(payload)
    assert ("dissociaton", "dissociation") == (payload["query"], payload["corrected_query"])
    hit = payload["results"][0]
    assert {"id", "title", "category", "audience", "snippet", "score"} == set(hit)
    assert ("safety-blood-pressure", "Blood pressure rise", "safety", "clinician") == (
        hit["id"],
        hit["title"],
        hit["category"],
        hit["audience"],
    )
    assert "<mark>Dissociation</mark>" in hit["snippet"]
    assert isinstance(hit["score"], float)


def test_search_filters_and_limit(pack_path: Path) -> None:
    def found(*args: str) -> list[str]:
        return [h["id"] for h in json.loads(run("--pack", str(pack_path), "search", "--json", *args).stdout)["results"]]

    assert ["dose-iv-ketamine"] == found("minutes", "--category", "dosing")
    assert ["handout-after-treatment"] == found("not", "--audience", "patient")
    assert 1 == len(found("not", "--limit", "1"))
    assert 2 == len(found("not"))


@pytest.mark.parametrize("args", [[""], ["   "], []])
def test_empty_search_gives_no_results_and_exit_0(pack_path: Path, args: list[str]) -> None:
    text = run("--pack", str(pack_path), "search", *args)
    assert (0, "") == (text.exit_code, text.stdout)
    assert "Nothing to search for: give a word" in text.stderr
    as_json = run("--pack", str(pack_path), "search", "--json", *args)
    assert 0 == as_json.exit_code
    assert ([], None) == (json.loads(as_json.stdout)["results"], json.loads(as_json.stdout)["corrected_query"])


@pytest.mark.parametrize("query", ['"', "NEAR(", "title:foo", "\x00\x1b", "\udcffblood", "+-^*:"])
def test_hostile_search_exits_0(pack_path: Path, query: str) -> None:
    for args in (["search", query], ["search", "--json", query]):
        result = run("--pack", str(pack_path), *args)
        assert 0 == result.exit_code, result.output
        assert "Traceback" not in result.output


def test_search_for_text_starting_with_a_dash(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "search", "--json", "--", "-blood")
    assert "safety-blood-pressure" == json.loads(result.stdout)["results"][0]["id"]


def test_show_text(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "show", "dose-iv-ketamine")
    assert 0 == result.exit_code
    lines = result.output.splitlines()
    assert ["IV ketamine dosing for depression", "Dosing | dose-iv-ketamine"] == lines[:2]
    assert "Racemic ketamine 0.5 mg/kg IV over 40 minutes is the studied dose." in lines
    assert "Give 0.5 mg/kg over 40 minutes. See Blood pressure rise for vital signs." in lines
    assert (
        "  1. Berman RM, et al. Biol Psychiatry. 2000;47(4):351-354. https://pubmed.ncbi.nlm.nih.gov/10686270/" in lines
    )
    assert lines[-1].startswith("Last reviewed 2026-11-20")


def test_show_text_of_a_handout_says_so(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "show", "handout-after-treatment")
    assert "Patient handouts, patient handout | handout-after-treatment" == result.output.splitlines()[1]


def test_show_markdown_is_the_card_source_body(pack_path: Path, source_dir: Path) -> None:
    result = run("--pack", str(pack_path), "show", "dose-iv-ketamine", "--format", "markdown")
    source = (source_dir / "cards" / "dosing" / "dose-iv-ketamine.md").read_text("utf-8")
    assert (0, source.split("+++\n")[2]) == (result.exit_code, result.output)


def test_show_html(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "show", "dose-iv-ketamine", "--format", "html")
    assert 0 == result.exit_code
    assert result.output.startswith("<!DOCTYPE html>")
    assert "<title>IV ketamine dosing for depression</title>" in result.output
    assert '<h1 class="title">IV ketamine dosing for depression</h1>' in result.output
    assert '<a href="card:safety-blood-pressure"' in result.output
    assert "<td>Twice weekly</td>" in result.output
    assert result.output.rstrip().endswith("</html>")


def test_show_html_escapes_the_title(source_dir: Path, tmp_path: Path) -> None:
    card = source_dir / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace("for depression", "</title><b>& more"), "utf-8")
    build(source_dir, tmp_path / "p.sqlite")
    result = run("--pack", str(tmp_path / "p.sqlite"), "show", "dose-iv-ketamine", "--format", "html")
    assert "<title>IV ketamine dosing &lt;/title&gt;&lt;b&gt;&amp; more</title>" in result.output


def test_show_unknown_id(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "show", "no-such-card")
    assert "Error: No card with id 'no-such-card' in this pack." == one_error_line(result)
    assert "" == result.stdout


def test_info_text(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "info")
    assert 0 == result.exit_code
    assert f"Pack:            {pack_path}" in result.output
    assert "Content version: 1.0" in result.output
    assert "Cards:           4" in result.output
    assert "  Patient handouts     1" in result.output


def test_info_json(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "info", "--json")
    assert 0 == result.exit_code
    info = json.loads(result.stdout)
    keys = {"schema_version", "content_version", "built_at", "content_sha256", "cards", "categories", "signature"}
    assert keys == set(info)
    assert (1, "1.0", 4) == (info["schema_version"], info["content_version"], info["cards"])
    assert {"dosing": 1, "safety": 1, "contraindications": 1, "handouts": 1} == info["categories"]


def test_lint_clean_source(source_dir: Path) -> None:
    result = run("lint", "--source", str(source_dir))
    assert 0 == result.exit_code, result.output
    assert result.stdout.splitlines()[-1].startswith("4 cards: 0 error(s), ")


def test_lint_broken_source(source_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(source_dir)
    card = source_dir / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace('audience = "clinician"', 'audience = "doctor"'), "utf-8")
    result = run("lint", "--source", ".")
    assert 1 == result.exit_code
    assert "cards/dosing/dose-iv-ketamine.md:5: unknown audience 'doctor' (clinician or patient)" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: 3 cards: 1 error(s), ")
    assert "Traceback" not in result.output


def two_packs(source_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A pack of the four fixture cards and one of three."""
    four = tmp_path / "four.sqlite"
    build(source_dir, four)
    shutil.rmtree(source_dir / "cards" / "handouts")
    three = tmp_path / "three.sqlite"
    build(source_dir, three)
    return four, three


def cards_in(result: Result) -> int:
    assert 0 == result.exit_code, result.output
    return int(json.loads(result.stdout)["cards"])


def test_pack_option_and_environment_choose_the_pack(source_dir: Path, tmp_path: Path) -> None:
    four, three = two_packs(source_dir, tmp_path)
    assert 4 == cards_in(run("--pack", str(four), "info", "--json"))
    assert 3 == cards_in(run("info", "--json", env={"KETAREF_PACK": str(three)}))
    assert 4 == cards_in(run("--pack", str(four), "info", "--json", env={"KETAREF_PACK": str(three)}))


def test_bad_pack_path(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    for args in (["info"], ["search", "x"], ["show", "x"]):
        assert f"Error: No pack file at {missing}." == one_error_line(run("--pack", str(missing), *args))


def test_bad_pack_from_the_environment(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    line = one_error_line(run("info", env={"KETAREF_PACK": str(bad)}))
    assert f"Error: {bad} is not a KetaRef pack (it is not an SQLite database)." == line


def test_truncated_pack(pack_path: Path, tmp_path: Path) -> None:
    half = tmp_path / "half.sqlite"
    half.write_bytes(pack_path.read_bytes()[: pack_path.stat().st_size // 2])
    assert "truncated" in one_error_line(run("--pack", str(half), "search", "blood"))
