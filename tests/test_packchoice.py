"""The default pack: built from the bundled resources into the user cache, reused, rebuilt when they change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cardtext import write_card
from click.testing import CliRunner

from ketaref.cli import main
from ketaref.pack import build
from ketaref.packchoice import default_pack, resolve_pack
from ketaref.paths import PACK_FILENAME
from ketaref.store import open_pack

DATA = Path(__file__).parent / "data"


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture source standing in for the bundled resources."""
    target = tmp_path / "resources"
    shutil.copytree(DATA / "source", target)
    monkeypatch.setenv("KETAREF_RESOURCES", str(target))
    return target


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KETAREF_CACHE_DIR", str(folder))
    return folder


def default_with_notices() -> tuple[Path, list[str]]:
    notices: list[str] = []
    return default_pack(notice=notices.append), notices


def card_count(path: Path) -> int:
    with open_pack(path) as pack:
        return int(pack.info()["cards"])


def test_default_pack_is_built_into_the_cache(resources: Path, cache: Path) -> None:
    path, notices = default_with_notices()
    assert cache / PACK_FILENAME == path
    assert [f"Building the default pack from {resources} into {path} ..."] == notices
    assert 4 == card_count(path)


def test_default_pack_is_reused_when_the_resources_are_unchanged(resources: Path, cache: Path) -> None:
    first, _ = default_with_notices()
    before = first.stat()
    second, notices = default_with_notices()
    after = second.stat()
    assert (first, []) == (second, notices)
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_default_pack_is_rebuilt_when_a_card_changes(resources: Path, cache: Path) -> None:
    path, _ = default_with_notices()
    card = resources / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace("IV ketamine dosing for depression", "IV ketamine doses"), "utf-8")
    again, notices = default_with_notices()
    assert (path, 1) == (again, len(notices))
    with open_pack(again) as pack:
        assert "IV ketamine doses" == pack.card("dose-iv-ketamine").title


def test_default_pack_is_rebuilt_when_a_card_is_added(resources: Path, cache: Path) -> None:
    default_with_notices()
    write_card(resources, "mon-new", "monitoring")
    path, _ = default_with_notices()
    assert 5 == card_count(path)


def test_damaged_default_pack_is_rebuilt(resources: Path, cache: Path) -> None:
    path, _ = default_with_notices()
    path.write_bytes(b"")
    again, notices = default_with_notices()
    assert 1 == len(notices)
    assert 4 == card_count(again)


def test_a_current_bundled_pack_is_used_as_it_is(resources: Path, cache: Path) -> None:
    bundled = resources / PACK_FILENAME
    build(resources, bundled)
    path, notices = default_with_notices()
    assert (bundled, []) == (path, notices)
    assert not (cache / PACK_FILENAME).exists()


def test_a_stale_bundled_pack_is_not_used(resources: Path, cache: Path) -> None:
    build(resources, resources / PACK_FILENAME)
    write_card(resources, "mon-new", "monitoring")
    path, _ = default_with_notices()
    assert cache / PACK_FILENAME == path
    assert 5 == card_count(path)


def test_resolve_pack_order(resources: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache / PACK_FILENAME == resolve_pack()
    monkeypatch.setenv("KETAREF_PACK", str(tmp_path / "env.sqlite"))
    assert tmp_path / "env.sqlite" == resolve_pack()
    assert tmp_path / "option.sqlite" == resolve_pack(tmp_path / "option.sqlite")


def test_cli_builds_then_reuses_the_default_pack(resources: Path, cache: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["info", "--json"])
    assert 0 == first.exit_code, first.output
    assert 4 == json.loads(first.stdout)["cards"]
    assert "Building the default pack" in first.stderr
    second = runner.invoke(main, ["search", "--json", "dissociation"])
    assert 0 == second.exit_code
    assert "" == second.stderr
    assert "safety-blood-pressure" == json.loads(second.stdout)["results"][0]["id"]


def test_installed_command_finds_the_shipped_cards(tmp_path: Path) -> None:
    command = shutil.which("ketaref", path=str(Path(sys.executable).parent))
    assert command, f"no ketaref command beside {sys.executable}: install the package"
    env = {k: v for k, v in os.environ.items() if k not in ("KETAREF_PACK", "KETAREF_RESOURCES")}
    env["KETAREF_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        [command, "info", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert 0 == result.returncode, result.stderr
    info = json.loads(result.stdout)
    assert info["cards"] >= 40
    assert 10 == len(info["categories"])
    assert (tmp_path / "cache" / PACK_FILENAME).is_file()


def test_a_broken_card_keeps_the_previous_default_pack_in_use(resources: Path, cache: Path) -> None:
    path, _ = default_with_notices()
    card = resources / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace('category = "dosing"', 'category = "dosage"'), "utf-8")
    again, notices = default_with_notices()
    assert path == again
    assert "have problems" in notices[-1]
    assert 4 == card_count(again)
    result = CliRunner().invoke(main, ["search", "infusion"])
    assert 0 == result.exit_code, result.output
    assert "dose-iv-ketamine" in result.output


def test_a_broken_card_with_no_previous_pack_is_reported(resources: Path, cache: Path) -> None:
    card = resources / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace('category = "dosing"', 'category = "dosage"'), "utf-8")
    result = CliRunner().invoke(main, ["search", "infusion"])
    assert 1 == result.exit_code
    assert "dose-iv-ketamine.md:" in result.output
    assert "unknown category 'dosage'" in result.output


def test_an_unchanged_start_does_not_hash_the_sources_again(
    resources: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = default_with_notices()
    default_with_notices()  # the full check passes and leaves a stamp of the files' sizes and times

    def no_hashing(_source: Path) -> str:
        raise AssertionError("hashed the sources although nothing changed")

    monkeypatch.setattr("ketaref.source_folder.source_digest", no_hashing)
    assert (path, []) == default_with_notices()


def test_an_edit_that_keeps_the_size_still_rebuilds(resources: Path, cache: Path) -> None:
    default_with_notices()
    default_with_notices()
    card = resources / "cards" / "dosing" / "dose-iv-ketamine.md"
    before = card.stat()
    text = card.read_text("utf-8")
    card.write_text(text.replace("IV ketamine dosing for depression", "IV ketamine dosing for Depression"), "utf-8")
    os.utime(card, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert before.st_size == card.stat().st_size
    path, notices = default_with_notices()
    assert 1 == len(notices)
    with open_pack(path) as pack:
        assert "IV ketamine dosing for Depression" == pack.card("dose-iv-ketamine").title
