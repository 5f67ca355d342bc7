"""The window's menu bar, toolbar and where each shortcut works, all laid out from the action table."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar, QToolButton, QWidget

from .actions import ACTIONS, MENUS, Act, Scope, first_key, key_sequences

MENU_ENTRIES = 10
TOOLBAR = (Act.BACK, Act.FORWARD, None, Act.TOGGLE_BOOKMARK, None, Act.FIND, Act.PRINT, Act.EXPORT_PDF)
TOOLBAR_ICONS = {Act.BACK: QStyle.StandardPixmap.SP_ArrowBack, Act.FORWARD: QStyle.StandardPixmap.SP_ArrowForward}


class ShortcutGuard(QObject):
    """Keeps a text box from swallowing the window's shortcuts (Ctrl+K, Ctrl+D, Ctrl+H edit text on some desktops)."""

    def __init__(self, keys: set[QKeyCombination], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys = keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Claim the window's own keys before the text box sees them."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            return event.keyCombination() in self.keys
        return False


def build_menus(window: QMainWindow, actions: Mapping[Act, QAction]) -> dict[str, QMenu]:
    """The menu bar: every action with a menu (or a submenu of it), in table order; the menus by title.

    A window-wide action in no menu (F10) is put on the window, so that its shortcut works."""
    menus = {title: window.menuBar().addMenu(title) for title in MENUS}
    submenus: dict[tuple[str, str], QMenu] = {}
    for act, spec in ACTIONS.items():
        if spec.menu is None:
            if spec.scope is Scope.WINDOW:
                window.addAction(actions[act])
            continue
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        if spec.submenu is not None:
            key = (spec.menu, spec.submenu)
            if key not in submenus:
                submenus[key] = menu.addMenu(spec.submenu)
            menu = submenus[key]
        menu.addAction(actions[act])
    return menus


def list_cards(
    menu: QMenu,
    card_ids: Callable[[], Sequence[str]],
    titles: Callable[[], Mapping[str, str]],
    open_card: Callable[[str], object],
) -> None:
    """Below the menu's own commands, the first cards of card_ids() in the open pack, listed anew each time it opens."""
    fixed = list(menu.actions())

    def fill() -> None:
        for action in menu.actions():
            if action not in fixed:
                menu.removeAction(action)
                action.deleteLater()
        known = titles()
        entries = [card_id for card_id in card_ids() if card_id in known][:MENU_ENTRIES]
        if entries:
            menu.addSeparator()
        for card_id in entries:
            action = QAction(known[card_id].replace("&", "&&"), menu)
            action.triggered.connect(lambda _checked=False, card_id=card_id: open_card(card_id))
            menu.addAction(action)

    menu.aboutToShow.connect(fill)


def build_toolbar(window: QMainWindow, actions: Mapping[Act, QAction]) -> QToolBar:
    """The navigation toolbar: back, forward, bookmark, find, print and export."""
    toolbar = QToolBar("Navigation")
    toolbar.setObjectName("navigation")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for act in TOOLBAR:
        if act is None:
            toolbar.addSeparator()
            continue
        if act in TOOLBAR_ICONS:
            actions[act].setIcon(window.style().standardIcon(TOOLBAR_ICONS[act]))
        toolbar.addAction(actions[act])
        button = toolbar.widgetForAction(actions[act])
        if button is not None:  # named as the menu names it, for screen readers
            button.setAccessibleName(actions[act].text().replace("&", "").rstrip("."))
    window.addToolBar(toolbar)
    # Qt's own "more" buttons, shown when a narrow window cannot hold every menu or toolbar button.
    for owner, more in ((toolbar, "More toolbar buttons"), (window.menuBar(), "More menus")):
        for button in owner.findChildren(QToolButton):
            if button.objectName() in ("qt_toolbar_ext_button", "qt_menubar_ext_button"):
                button.setAccessibleName(more)
    return toolbar


def attach_scoped(
    window: QMainWindow,
    actions: Mapping[Act, QAction],
    targets: Mapping[Scope, Sequence[QWidget]],
    text_boxes: Sequence[QWidget],
) -> ShortcutGuard:
    """Scoped actions go on their widgets; the text boxes leave the window-wide keys to the window."""
    for act, spec in ACTIONS.items():
        for widget in targets.get(spec.scope, []):
            widget.addAction(actions[act])
    window_keys = {
        first_key(sequence)
        for spec in ACTIONS.values()
        if spec.scope is Scope.WINDOW
        for sequence in key_sequences(spec)
        if sequence.count()
    }
    guard = ShortcutGuard(window_keys, window)
    for box in text_boxes:
        box.installEventFilter(guard)
    return guard
