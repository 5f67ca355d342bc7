"""`ketaref update --check | --install | --rollback` for clinic IT's scripts: exit 0 or 1 with one line (the check
lists each skipped candidate first, one line each)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from packversions import make_pack, version_of

from ketaref import updates
from ketaref.cli import main


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "updates"
    path.mkdir()
    monkeypatch.setenv("KETAREF_UPDATES", str(path))
    return path


def test_check_install_rollback(current: Path, folder: Path) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    shutil.copy(current, folder / "ketaref-1.0.sqlite")
    (folder / "broken.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)

    check = run("update", "--check")
    assert 0 == check.exit_code, check.output
    lines = check.stdout.splitlines()
    assert lines[-1].startswith("Update available: content version 1.1 from ")
    assert "not signed" in lines[-1] and "1.0 in use" in lines[-1]
    skipped = {line.split(":")[0] for line in lines[:-1]}
    assert {"skipped broken.sqlite", "skipped ketaref-1.0.sqlite"} == skipped
    assert any("not newer" in line for line in lines if "ketaref-1.0" in line)
    assert updates.active_pack() is None  # a check installs nothing

    install = run("update", "--install")
    assert 0 == install.exit_code, install.output
    assert 1 == len(install.stdout.splitlines()) and install.stdout.startswith("Installed content version 1.1")
    installed = updates.active_pack()
    assert installed is not None and "1.1" == version_of(installed)

    again = run("update", "--check")
    assert 1 == again.exit_code
    assert "No update: content 1.1 in use" in again.stderr

    nothing = run("update", "--install")
    assert 1 == nothing.exit_code and "Nothing installed" in nothing.stderr

    back = run("update", "--rollback")
    assert 0 == back.exit_code, back.output
    assert back.stdout.startswith("Rolled back to content version 1.0") and 1 == len(back.stdout.splitlines())
    assert "1.0" == run("info", "--json").stdout.split('"content_version": "')[1][:3]

    twice = run("update", "--rollback")
    assert 1 == twice.exit_code and "no previous pack" in twice.stderr
    assert "rolled back on this workstation" in run("update", "--check").stdout  # not offered again


def test_no_updates_folder_is_one_line(current: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETAREF_UPDATES", raising=False)
    result = run("update", "--check")
    assert 1 == result.exit_code
    assert 1 == len(result.output.strip().splitlines()) and "No updates folder" in result.output


def test_the_site_files_updates_folder_is_used(current: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    make_pack(shared / "ketaref-1.1.sqlite", "1.1")
    site = tmp_path / "ketaref-site.toml"
    site.write_text(f"updates_folder = {str(shared)!r}\n", "utf-8")
    monkeypatch.setenv("KETAREF_SITE", str(site))
    monkeypatch.delenv("KETAREF_UPDATES", raising=False)
    result = run("update", "--check")
    assert 0 == result.exit_code, result.output
    assert str(shared / "ketaref-1.1.sqlite") in result.stdout


def test_no_action_is_a_usage_error(current: Path) -> None:
    assert 2 == run("update").exit_code
