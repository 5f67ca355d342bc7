"""Alt+letter: within one window or dialog each underlined letter leads to one place."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from ketaref.gui import settings as S
from ketaref.gui.dialogs import ClinicDialog, PreferencesDialog
from ketaref.gui.print_dialogs import PacketDialog
from ketaref.model import Hit


def mnemonics(widget: QWidget, extra: list[str] | None = None) -> Counter[str]:
    """The Alt letters of a widget's labels, buttons (and extra texts, such as menu titles)."""
    texts = [label.text() for label in widget.findChildren(QLabel) if label.buddy() is not None]
    texts += [button.text() for button in widget.findChildren(QAbstractButton)]
    letters = [m.group(1).lower() for text in texts + (extra or []) for m in re.finditer(r"(?<!&)&([^&\s])", text)]
    return Counter(letters)


def repeated(counts: Counter[str]) -> list[str]:
    return [letter for letter, n in counts.items() if n > 1]


def test_dialog_mnemonics_are_unique(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = S.Settings(tmp_path / "settings.ini")
    hits = [Hit("handout-a", "A handout", "handouts", "patient", "", 0.0)]
    for dialog in (PreferencesDialog(settings), ClinicDialog(settings), PacketDialog(hits, [], settings)):
        qtbot.addWidget(dialog)
        counts = mnemonics(dialog)
        assert counts, type(dialog).__name__
        assert [] == repeated(counts), type(dialog).__name__


def test_window_mnemonics_are_unique(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    menus = [action.text() for action in window.menuBar().actions()]
    assert [] == repeated(mnemonics(window, menus))
    for action in window.menuBar().actions():
        items = [item.text() for item in action.menu().actions() if item.text()]
        assert [] == repeated(mnemonics(QWidget(), items)), action.text()
