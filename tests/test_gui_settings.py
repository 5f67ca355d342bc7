"""The settings module: typed values with defaults, in the test's own data folder."""

from __future__ import annotations

from pathlib import Path

from ketaref.gui import settings as S


def test_settings_live_in_the_data_folder_override(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KETAREF_DATA_DIR", str(tmp_path))
    assert tmp_path / "settings.ini" == S.settings_path()


def test_values_round_trip_with_their_types(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.ini"
    first = S.Settings(path)
    first.set(S.CLINIC, "Riverside Clinic")
    first.set(S.BASE_PT, 13.5)
    first.set(S.LARGE_PRINT, True)
    first.set(S.ZOOM, -2)
    first.set(S.BOOKMARKS, ("a", "b"))
    first.set(S.GEOMETRY, b"\x00\x01geometry")
    first.sync()
    again = S.Settings(path)
    assert "Riverside Clinic" == again.get(S.CLINIC)
    assert 13.5 == again.get(S.BASE_PT)
    assert again.get(S.LARGE_PRINT) is True
    assert -2 == again.get(S.ZOOM)
    assert ("a", "b") == again.get(S.BOOKMARKS)
    assert b"\x00\x01geometry" == again.get(S.GEOMETRY)


def test_missing_or_bad_values_give_the_default(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.ini"
    path.write_text("[view]\nzoom=huge\n[navigation]\nbookmarks=not json\n")
    settings = S.Settings(path)
    assert 0 == settings.get(S.ZOOM)
    assert () == settings.get(S.BOOKMARKS)
    assert "letter" == settings.get(S.PAPER)
