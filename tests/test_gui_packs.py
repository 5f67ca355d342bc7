"""File > Open pack and Help > About: a bad pack is refused in plain words and the current pack stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ketaref import __version__
from ketaref.gui import dialogs
from ketaref.gui.messages import Messages


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window would show in an error dialog (recorded by its messages instead of a modal box)."""
    shown: list[str] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: shown.append(message.text))
    return shown


def search(qtbot, window, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    panel.edit.setText(text)
    qtbot.waitUntil(lambda: panel.up_to_date)
    return [row.hit.id for row in panel.model.rows if row.hit is not None]


def test_a_corrupt_pack_is_refused_and_the_current_pack_stays(
    qtbot, make_window, errors, pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    corrupt = tmp_path / "corrupt.sqlite"
    data = bytearray(pack_path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a damaged page inside an otherwise valid file
    corrupt.write_bytes(bytes(data))
    monkeypatch.setattr(dialogs, "ask_open_pack", lambda _parent, _folder: corrupt)
    title = window.windowTitle()

    window.actions_[next(a for a in window.actions_ if a.name == "OPEN_PACK")].trigger()

    assert 1 == len(errors)
    assert str(corrupt) in errors[0]
    assert "Traceback" not in errors[0]
    assert pack_path == window.pack.path
    assert title == window.windowTitle()
    assert "dose-iv-ketamine" == window.card_view.card.id
    assert "safety-blood-pressure" in search(qtbot, window, "blood pressure")


@pytest.mark.parametrize("content", [b"", b"not a pack at all" * 20])
def test_files_that_are_not_packs_are_refused(qtbot, make_window, errors, tmp_path: Path, content: bytes) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    assert not window.open_pack_file(bad)
    assert 1 == len(errors)
    assert "safety-blood-pressure" in search(qtbot, window, "systolic")


def test_a_good_pack_replaces_the_current_one(
    qtbot, make_window, errors, shipped_pack_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert "content 1.0" in window.windowTitle()
    copy = tmp_path / "clinic.sqlite"
    shutil.copy(shipped_pack_path, copy)
    assert window.open_pack_file(copy)
    assert [] == errors
    assert "content 1.0" not in window.windowTitle()
    assert "dose-esketamine" in search(qtbot, window, "spravato")


def test_about_shows_versions_card_count_and_disclaimer(qtbot, make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_about", lambda _parent, text, _details="": shown.append(text))
    window = make_window()
    window.about()
    text = shown[0]
    assert f"KetaRef {__version__}" in text
    assert "content version <b>1.0</b>" in text
    assert "4 cards" in text
    assert f"built {window.pack.meta['built_at'][:10]}" in text
    assert "not a substitute for clinical judgement or the current product label" in text
