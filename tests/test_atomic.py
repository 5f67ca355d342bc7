"""Atomic writes: readers see the old file or the whole new one, and nothing is left behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ketaref.atomic import atomic_path


def test_a_finished_block_replaces_the_file_readable_by_everyone(tmp_path: Path) -> None:
    target = tmp_path / "pack.sqlite"
    target.write_text("old")
    with atomic_path(target) as tmp:
        tmp.write_text("new")
        assert "old" == target.read_text()
    assert "new" == target.read_text()
    assert 0o644 == stat.S_IMODE(target.stat().st_mode)
    assert ["pack.sqlite"] == [p.name for p in tmp_path.iterdir()]


def test_an_error_in_the_block_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "pack.sqlite"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert "old" == target.read_text()
    assert ["pack.sqlite"] == [p.name for p in tmp_path.iterdir()]


def test_a_missing_folder_is_an_os_error_for_the_caller_to_word(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_path(tmp_path / "missing" / "x.pdf"):
        pass
