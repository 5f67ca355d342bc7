"""Screen readers: every control of the window and its dialogs has an accessible name, and so does each result."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QTextEdit,
    QWidget,
)

from ketaref.gui import dialogs, print_dialogs
from ketaref.gui.update_dialog import UpdateDialog

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit)


def accessible_name(widget: QWidget) -> str:
    """What a screen reader announces for the widget (through Qt's accessibility bridge, as AT-SPI reads it)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def part_of_another_control(widget: QWidget) -> bool:
    """Read as part of their control: the box inside a combo or spin box, a combo box's drop-down list, a table's
    headers and corner button."""
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, (QComboBox, QAbstractSpinBox)):
        return True
    if parent is not None and parent.metaObject().className() == "QComboBoxPrivateContainer":
        return True
    if isinstance(widget, QHeaderView) or widget.objectName() == "qt_tableview_cornerbutton":
        return isinstance(parent, QAbstractItemView)
    return False


def unnamed(top: QWidget) -> list[str]:
    """The controls under top (hidden ones too: the find bar, strips) that a screen reader could not name."""
    found = []
    for widget in top.findChildren(QWidget):
        if isinstance(widget, CONTROLS) and not part_of_another_control(widget) and not accessible_name(widget):
            found.append(f"{type(widget).__name__} {widget.objectName()!r} {getattr(widget, 'text', lambda: '')()!r}")
    return found


def test_every_control_of_the_window_is_named(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    window.card_view.open_find()
    assert [] == unnamed(window)
    names = {accessible_name(w) for w in window.findChildren(QWidget)}
    expected = {"Search cards", "Search results", "Card", "Sections of this card", "Back", "Forward", "Print"}
    assert expected <= names


def test_each_result_is_named_with_its_title_category_and_snippet(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.keyClicks(window.search_panel.edit, "blood pressure")
    qtbot.waitUntil(lambda: window.search_panel.up_to_date and window.search_panel.edit.text() == "blood pressure")
    results = QAccessible.queryAccessibleInterface(window.search_panel.list)
    rows = [results.child(n) for n in range(results.childCount())]
    names = [row.text(QAccessible.Text.Name) for row in rows if row is not None]
    assert names and all(names)
    assert any(name.startswith("Blood pressure rise, Safety.") for name in names)


@pytest.fixture
def opened_dialogs(qtbot, make_window, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Every dialog of the window, built as the window builds it and left open (not modal) to be read."""
    seen: list[QDialog] = []

    def keep(self: QDialog) -> int:
        self.show()
        seen.append(self)
        return 0

    monkeypatch.setattr(QDialog, "exec", keep)
    monkeypatch.setattr(dialogs, "run_modal", lambda dialog: keep(dialog))
    window = make_window()
    window.preferences()
    window.show_shortcuts()
    window.show_bookmarks()
    window.show_recent()
    window.printing.print_packet()
    settings = window.settings
    seen.append(dialogs.ClinicDialog(settings, window))
    seen.append(print_dialogs.PacketDialog([], [], settings, window))
    return window, seen


def test_every_dialog_control_is_named(opened_dialogs) -> None:  # type: ignore[no-untyped-def]
    _window, seen = opened_dialogs
    kinds = {type(dialog).__name__ for dialog in seen}
    assert {"PreferencesDialog", "ShortcutsDialog", "CardListDialog", "ClinicDialog", "PacketDialog"} <= kinds
    assert {} == {type(dialog).__name__: unnamed(dialog) for dialog in seen if unnamed(dialog)}


def test_the_update_dialog_controls_are_named(qtbot, current: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from packversions import make_pack

    from ketaref import updates

    make_pack(tmp_path / "updates" / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)
    update = updates.find_update(tmp_path / "updates", current)
    assert update is not None
    dialog = UpdateDialog(update)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [] == unnamed(dialog)
