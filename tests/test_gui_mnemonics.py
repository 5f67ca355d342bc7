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
    from ketaref.gui.dose_dialog import DoseDialog
    from ketaref.gui.print_dialogs import WriteInDialog

    dialogs = (
        PreferencesDialog(settings),
        ClinicDialog(settings),
        PacketDialog(hits, [], settings),
        DoseDialog(),
        WriteInDialog(),
    )
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        counts = mnemonics(dialog)
        assert counts, type(dialog).__name__
        assert [] == repeated(counts), type(dialog).__name__


def test_every_label_with_an_alt_letter_leads_to_a_control(qtbot, tmp_path, make_window) -> None:  # type: ignore[no-untyped-def]
    # A label with no control to lead to shows its "&" as typed ("&Weight:") and Alt+W does nothing.
    from ketaref.gui.dose_dialog import DoseDialog
    from ketaref.gui.print_dialogs import WriteInDialog

    settings = S.Settings(tmp_path / "settings.ini")
    hits = [Hit("handout-a", "A handout", "handouts", "patient", "", 0.0)]
    widgets = [
        DoseDialog(), PreferencesDialog(settings), ClinicDialog(settings), PacketDialog(hits, [], settings),
        WriteInDialog(), make_window(),
    ]  # fmt: skip
    for widget in widgets:
        qtbot.addWidget(widget)
        dangling = [
            label.text()
            for label in widget.findChildren(QLabel)
            if re.search(r"(?<!&)&[^&\s]", label.text()) and label.buddy() is None
        ]
        assert [] == dangling, type(widget).__name__


def test_window_mnemonics_are_unique(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    menus = [action.text() for action in window.menuBar().actions()]
    assert [] == repeated(mnemonics(window, menus))
    for action in window.menuBar().actions():
        items = [item.text() for item in action.menu().actions() if item.text()]
        assert [] == repeated(mnemonics(QWidget(), items)), action.text()
