"""The window as a new user meets it: title, focus, the disclaimer banner, shortcuts, quitting, geometry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ketaref.gui import settings as S
from ketaref.gui.actions import ACTIONS, Act
from ketaref.gui.dialogs import ShortcutsDialog


def test_title_names_the_app_and_the_content_version(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.windowTitle().startswith("KetaRef")
    assert "1.0" in window.windowTitle()


def test_disclaimer_is_a_banner_not_a_dialog_and_the_search_box_has_focus(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.banner.isVisible()
    assert "not a substitute for clinical judgement" in window.banner.findChild(type(window.pack_label)).text()
    assert QApplication.activeModalWidget() is None
    assert window.search_panel.edit.hasFocus()
    qtbot.keyClicks(window.search_panel.edit, "blood")
    assert "blood" == window.search_panel.edit.text()


def test_shift_tab_from_the_search_box_reaches_i_understand_above_it(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.banner.button.hasFocus()
    qtbot.keyClick(window.banner.button, Qt.Key.Key_Tab)
    assert window.search_panel.edit.hasFocus()  # the hidden update strip's buttons are skipped


def test_i_understand_hides_the_banner_for_good(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()
    assert window.search_panel.edit.hasFocus()
    window.close()
    assert not make_window().banner.isVisible()


def test_ctrl_l_ctrl_k_and_f6_focus_the_search_box(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for key, modifier in ((Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_F6, Qt.KeyboardModifier.NoModifier)):  # fmt: skip
        window.search_panel.list.setFocus()
        assert not window.search_panel.edit.hasFocus()
        qtbot.keyClick(window.search_panel.list, key, modifier)
        assert window.search_panel.edit.hasFocus()


def test_ctrl_q_closes_the_window(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_size_and_position_are_restored(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(700, 520)
    qtbot.waitUntil(lambda: window.width() == 700)
    window.close()
    assert S.Settings().get(S.GEOMETRY)
    again = make_window()
    assert (700, 520) == (again.width(), again.height())


def test_keyboard_shortcuts_help_lists_every_shortcut_in_the_table(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    table = dialog.table
    commands = [table.item(row, 0).text() for row in range(table.rowCount())]
    keys = " ".join(table.item(row, 1).text() for row in range(table.rowCount()))
    with_keys = [spec for spec in ACTIONS.values() if spec.keys]
    assert len(with_keys) == len(commands)
    for shortcut in ("Ctrl+L", "Ctrl+K", "F6", "Esc", "Ctrl+F", "F3", "Shift+F3", "Ctrl+P", "Ctrl+D", "Alt+Left",
                     "Alt+Right", "Ctrl+Q", "Ctrl+=", "Ctrl+-", "Ctrl+0", "Down", "Up", "Return"):  # fmt: skip
        assert shortcut in keys


def test_keyboard_shortcuts_help_lists_the_alt_letters_too(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[ShortcutsDialog] = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda self: shown.append(self) or 0)
    window = make_window()
    window.actions_[Act.SHORTCUTS].trigger()
    table = shown[0].table
    rows = {(table.item(row, 0).text(), table.item(row, 1).text()) for row in range(table.rowCount())}
    for row in [("Open the File menu", "Alt+F"), ("Go to Search", "Alt+S"), ("Go to Category", "Alt+A"),
                ("Go to On this card", "Alt+C"), ("Press I understand", "Alt+U")]:  # fmt: skip
        assert row in rows


def test_closed_dialogs_leave_neither_buttons_in_the_shortcuts_list_nor_hidden_windows(
    qtbot, make_window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from ketaref.gui.dialogs import CardListDialog, PreferencesDialog

    for kind in (CardListDialog, PreferencesDialog, ShortcutsDialog):
        monkeypatch.setattr(kind, "exec", lambda self: 0)  # opened, then closed with Cancel
    window = make_window()
    for act in (Act.BOOKMARKS, Act.PREFERENCES, Act.RECENT, Act.SHORTCUTS):
        window.actions_[act].trigger()
    qtbot.waitUntil(lambda: not window.findChildren(QDialog))
    pressed = {what for what, _key, _where in window.mnemonic_rows() if what.startswith("Press ")}
    assert {"Press I understand"} <= pressed
    assert not {"Press Remove", "Press Open", "Press Browse"} & pressed


def test_every_menu_command_is_in_a_menu_with_its_shortcut(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    in_menus = {action for menu in window.menuBar().findChildren(type(window.recent_menu)) for action in menu.actions()}
    for act, spec in ACTIONS.items():
        if spec.menu is not None:
            assert window.actions_[act] in in_menus, act
    assert "Ctrl+D" in [k.toString() for k in window.actions_[Act.TOGGLE_BOOKMARK].shortcuts()]
