"""The window, its dialogs and the print preview open within the screen; a restored geometry off screen comes back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QDialog

from ketaref.gui import dialogs, geometry

# Each screen: (width, height, device pixel ratio), in the logical pixels Qt lays out in.
SCREENS = [(1024, 768, 1.0), (1366, 768, 1.0), (1366, 768, 2.0)]

# Opens the window on a screen of the given size and reports where it and every dialog and the preview go.
PROBE = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtWidgets import QApplication, QDialog
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    app = QApplication([])
    from ketaref.gui import dialogs, geometry, print_dialogs
    from ketaref.gui.window import MainWindow
    from ketaref.store import open_pack

    report = {"available": list(app.primaryScreen().availableGeometry().getRect())}

    def rect(widget):
        return list(widget.frameGeometry().getRect())

    def opened(dialog):
        dialog.show()
        app.processEvents()
        report.setdefault("dialogs", {})[type(dialog).__name__] = rect(dialog)
        return 0

    QDialog.exec = opened
    window = MainWindow(open_pack(sys.argv[1]))
    window.show()
    app.processEvents()
    report["window"] = rect(window)
    window.preferences()
    window.show_shortcuts()
    window.show_bookmarks()
    window.open_card("dose-iv-ketamine")
    window.printing.print_preview()
    window.close()
    print(json.dumps(report))
    """
)


@pytest.mark.parametrize(("width", "height", "ratio"), SCREENS)
def test_window_dialogs_and_preview_fit_the_screen(
    tmp_path: Path, pack_path: Path, width: int, height: int, ratio: float
) -> None:
    config = tmp_path / "screen.json"
    screen = {"name": "S", "x": 0, "y": 0, "width": width, "height": height, "dpr": ratio}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "logicalBaseDpi": 96}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(pack_path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert 0 == done.returncode, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    available = QRect(*report["available"])
    assert (width, height) == (available.width(), available.height())
    placed = {"window": report["window"], **report["dialogs"]}
    assert {"window", "PreferencesDialog", "ShortcutsDialog", "CardListDialog", "QPrintPreviewDialog"} <= set(placed)
    for name, frame in placed.items():
        assert available.contains(QRect(*frame)), f"{name} at {frame} is not within {report['available']}"
    window = QRect(*report["window"])
    assert window.width() >= 0.85 * width and window.height() >= 0.85 * height  # and it uses the room


def test_fit_rect_shrinks_and_moves_onto_the_area() -> None:
    area = QRect(0, 0, 1366, 768)
    assert QRect(0, 0, 1366, 768) == geometry.fit_rect(QRect(0, 0, 1200 * 2, 800 * 2), area)
    assert QRect(166, 0, 1200, 768) == geometry.fit_rect(QRect(400, -50, 1200, 800), area)
    assert QRect(100, 100, 400, 300) == geometry.fit_rect(QRect(100, 100, 400, 300), area)
    second = QRect(1366, 0, 1920, 1080)  # a screen to the right
    assert QRect(1366, 0, 1200, 800) == geometry.fit_rect(QRect(1000, 0, 1200, 800), second)


def test_first_window_is_within_the_screen(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    available = window.screen().availableGeometry()
    assert available.contains(window.frameGeometry())


def test_a_restored_geometry_off_every_screen_comes_back_onto_one(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    available = window.screen().availableGeometry()
    window.move(available.right() + 3000, available.bottom() + 2000)  # on a monitor since unplugged
    window.resize(available.width() + 900, available.height() + 600)
    window.close()
    again = make_window()
    assert again.screen().availableGeometry().contains(again.frameGeometry())


def test_a_dialog_bigger_than_the_screen_is_fitted_before_it_opens(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    available = window.screen().availableGeometry()
    sizes = []
    monkeypatch.setattr(QDialog, "exec", lambda self: sizes.append(self.size()) or 0)
    dialog = dialogs.ShortcutsDialog(window)
    dialog.resize(available.width() * 2, available.height() * 2)
    dialogs.run_modal(dialog)
    assert sizes[0].width() <= available.width() and sizes[0].height() <= available.height()
    assert QApplication.activeModalWidget() is None
