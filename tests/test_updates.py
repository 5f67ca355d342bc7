"""Pack updates: a newer pack in the updates folder is found, described, installed and can be rolled back."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from packversions import make_pack, make_source, version_of

from ketaref import updates
from ketaref.cli import main
from ketaref.errors import UpdateError
from ketaref.packchoice import resolve_pack
from ketaref.store import open_pack
from ketaref.updates import (
    active_pack,
    file_sha256,
    find_update,
    install_update,
    release_notes,
    rollback,
    updates_folder,
    version_key,
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user data folder (where installed packs and the state file go)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("KETAREF_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The shared updates folder clinic IT copies packs into."""
    path = tmp_path / "updates"
    path.mkdir()
    return path


def test_newer_pack_is_offered_and_installed(current: Path, folder: Path, data_dir: Path) -> None:
    newer = make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    update = find_update(folder, current)
    assert update is not None
    assert (newer, "1.1", current) == (update.path, update.content_version, update.current_path)
    installed = install_update(update, data_dir)
    assert data_dir / "packs" == installed.parent
    assert file_sha256(newer) == file_sha256(installed)
    assert installed == active_pack(data_dir)
    assert installed == resolve_pack()  # the app now opens the update
    with open_pack(installed) as pack:
        pack.verify()
        assert pack.has_card("mon-new-checklist")


def test_the_newest_pack_is_offered_comparing_versions_as_numbers(current: Path, folder: Path) -> None:
    for version in ("1.9", "1.10", "1.2"):
        make_pack(folder / f"pack-{version}.sqlite", version)
    update = find_update(folder, current)
    assert update is not None
    assert "1.10" == update.content_version


def test_rollback_restores_the_previous_pack(current: Path, folder: Path, data_dir: Path) -> None:
    original = file_sha256(current)
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    update = find_update(folder, current)
    assert update is not None
    install_update(update, data_dir)
    restored = rollback(data_dir)
    assert original == file_sha256(restored)
    assert "1.0" == version_of(restored)
    assert "1.0" == version_of(resolve_pack())
    # The pack that was rolled back is not offered again; a later one is.
    assert find_update(folder, resolve_pack()) is None
    make_pack(folder / "ketaref-1.2.sqlite", "1.2")
    later = find_update(folder, resolve_pack())
    assert later is not None
    assert "1.2" == later.content_version


def test_rollback_between_two_installed_updates(current: Path, folder: Path, data_dir: Path) -> None:
    make_pack(folder / "a.sqlite", "1.1")
    first = install_update(find_update(folder, current), data_dir)  # type: ignore[arg-type]
    make_pack(folder / "b.sqlite", "1.2")
    install_update(find_update(folder, first), data_dir)  # type: ignore[arg-type]
    assert first == rollback(data_dir)
    assert first == resolve_pack()
    assert {first.name} == {p.name for p in (data_dir / "packs").glob("*.sqlite")}


def test_rollback_with_nothing_to_go_back_to_says_so(data_dir: Path) -> None:
    with pytest.raises(UpdateError, match="no previous pack"):
        rollback(data_dir)


def write_foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE patients (name TEXT)")
    conn.commit()
    conn.close()


def write_corrupt(path: Path, source: Path) -> None:
    data = bytearray(source.read_bytes())
    data[4096:12288] = b"\xff" * 8192
    path.write_bytes(bytes(data))


def write_truncated(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])


@pytest.mark.parametrize(
    ("kind", "level"),
    [
        ("corrupt", logging.WARNING),
        ("truncated", logging.WARNING),
        ("foreign", logging.WARNING),
        ("not a database", logging.WARNING),
        ("older", logging.INFO),
        ("equal", logging.INFO),
        ("odd version", logging.WARNING),
    ],
)
def test_unusable_packs_are_ignored_with_a_log_note(
    kind: str, level: int, current: Path, folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    candidate = folder / "candidate.sqlite"
    newer = make_pack(tmp_path / "newer" / "newer.sqlite", "2.0", add=True)
    if kind == "corrupt":
        write_corrupt(candidate, newer)
    elif kind == "truncated":
        write_truncated(candidate, newer)
    elif kind == "foreign":
        write_foreign(candidate)
    elif kind == "not a database":
        candidate.write_text("Dear IT, please copy the new pack here.", "utf-8")
    elif kind == "older":
        make_pack(candidate, "0.9", add=True)
    elif kind == "equal":
        make_pack(candidate, "1.0.0", add=True)  # 1.0.0 == 1.0
    else:  # `ketaref pack` refuses such a version now; a pack built elsewhere or edited by hand may still carry one
        make_pack(candidate, "2.0", add=True)
        with sqlite3.connect(candidate) as conn:
            conn.execute("UPDATE meta SET value = '2026-12' WHERE key = 'content_version'")
        conn.close()
    with caplog.at_level(logging.INFO, logger="ketaref.updates"):
        assert find_update(folder, current) is None
    notes = [r for r in caplog.records if str(candidate) in r.getMessage()]
    assert [level] == [r.levelno for r in notes]


def test_an_unusable_pack_does_not_hide_a_good_one(current: Path, folder: Path, tmp_path: Path) -> None:
    good = make_pack(folder / "a-good.sqlite", "1.1")
    write_corrupt(folder / "z-newest.sqlite", make_pack(tmp_path / "n" / "newest.sqlite", "9.0"))
    update = find_update(folder, current)
    assert update is not None
    assert good == update.path


def test_a_missing_updates_folder_finds_nothing(
    current: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ketaref.updates"):
        assert find_update(tmp_path / "share-not-mounted", current) is None
    assert "share-not-mounted" in caplog.text


def test_a_failed_copy_keeps_the_working_pack(current: Path, folder: Path, tmp_path: Path) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    update = find_update(folder, current)
    assert update is not None
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be", "utf-8")  # like a read-only data folder
    with pytest.raises(UpdateError, match="the current pack stays in use"):
        install_update(update, blocked)
    assert current == resolve_pack()


def test_a_copy_that_fails_midway_keeps_the_installed_pack(
    current: Path, folder: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pack(folder / "a.sqlite", "1.1")
    working = install_update(find_update(folder, current), data_dir)  # type: ignore[arg-type]
    make_pack(folder / "b.sqlite", "1.2")
    update = find_update(folder, working)
    assert update is not None

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    with pytest.raises(UpdateError, match="No space left on device"):
        install_update(update, data_dir)
    assert working == resolve_pack()
    assert sorted(p.name for p in (data_dir / "packs").iterdir()) == sorted(
        p.name for p in (data_dir / "packs").glob("*.sqlite")
    )  # no half-written temporary file left behind
    assert "1.1" == version_of(working)


def test_a_pack_that_changes_while_copying_is_refused(current: Path, folder: Path, data_dir: Path) -> None:
    path = make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    update = find_update(folder, current)
    assert update is not None
    make_pack(path, "1.1", add=True)  # IT replaces the file between the offer and the install
    with pytest.raises(UpdateError, match="does not match the original"):
        install_update(update, data_dir)
    assert active_pack(data_dir) is None
    assert current == resolve_pack()


def test_the_diff_lists_added_changed_and_removed_cards(current: Path, folder: Path) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)
    update = find_update(folder, current)
    assert update is not None
    changes = update.changes
    assert ("1.0", "1.1") == (changes.previous_content_version, changes.content_version)
    assert ("mon-new-checklist",) == changes.added
    assert ("dose-iv-ketamine",) == changes.changed
    assert ("handout-after-treatment",) == changes.removed
    assert {"dose-iv-ketamine": "2026-12-02", "mon-new-checklist": "2026-12-01"} == changes.reviewed
    assert "New monitoring checklist (mon-new-checklist)" == changes.label("mon-new-checklist")


def test_a_newer_app_with_newer_bundled_cards_beats_an_installed_update(
    current: Path, folder: Path, data_dir: Path, tmp_path: Path
) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1")
    installed = install_update(find_update(folder, current), data_dir)  # type: ignore[arg-type]
    assert installed == resolve_pack()
    make_source(tmp_path / "resources", "1.2")  # the app is upgraded with newer bundled cards
    assert "1.2" == version_of(resolve_pack())


def test_a_broken_state_file_falls_back_to_the_default_pack(current: Path, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / updates.STATE_FILE).write_text("{not json", "utf-8")
    assert active_pack(data_dir) is None
    assert current == resolve_pack()


def test_release_notes_tell_what_the_installed_update_changed(current: Path, folder: Path, data_dir: Path) -> None:
    assert release_notes(data_dir) is None
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)
    installed = install_update(find_update(folder, current), data_dir)  # type: ignore[arg-type]
    expected = "\n".join(
        [
            "Content version 1.0 -> 1.1",
            "Added (1):",
            "  New monitoring checklist (mon-new-checklist)",
            "Changed (1):",
            "  IV ketamine dosing for depression (dose-iv-ketamine)",
            "Removed (1):",
            "  Going home after treatment (handout-after-treatment)",
            "New review dates:",
            "  IV ketamine dosing for depression (dose-iv-ketamine): 2026-12-02",
            "  New monitoring checklist (mon-new-checklist): 2026-12-01",
        ]
    )
    assert expected == release_notes(data_dir)
    assert expected == release_notes(data_dir, installed)
    assert release_notes(data_dir, current) is None  # the notes are about the installed pack only
    rollback(data_dir)
    assert release_notes(data_dir) is None


def test_info_shows_the_changes_since_the_previous_pack(current: Path, folder: Path, data_dir: Path) -> None:
    runner = CliRunner()
    before = json.loads(runner.invoke(main, ["info", "--json"]).output)
    assert "changes" not in before
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)
    install_update(find_update(folder, current), data_dir)  # type: ignore[arg-type]
    after = json.loads(runner.invoke(main, ["info", "--json"]).output)
    assert "1.1" == after["content_version"]
    assert {
        "previous_content_version": "1.0",
        "added": ["mon-new-checklist"],
        "changed": ["dose-iv-ketamine"],
        "removed": ["handout-after-treatment"],
    } == after["changes"]
    text = runner.invoke(main, ["info"]).output
    assert "Changes since the previous pack:\n  Content version 1.0 -> " in text
    assert "  Added (1):\n    " in text and "(mon-new-checklist)\n" in text


def test_versions_compare_as_dotted_numbers() -> None:
    assert version_key("2026.11.10") > version_key("2026.11.9")
    assert version_key("1.0") == version_key("1")
    with pytest.raises(ValueError):
        version_key("2026-11")


def test_the_updates_folder_comes_from_preferences_else_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert updates_folder("") is None
    monkeypatch.setenv("KETAREF_UPDATES", "/srv/share/ketaref")
    assert Path("/srv/share/ketaref") == updates_folder("")
    assert Path("/mnt/packs") == updates_folder("/mnt/packs")
