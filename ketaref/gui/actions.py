"""The one table of actions: every command's text, shortcuts, menu and scope, keyed by an Enum."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Std = QKeySequence.StandardKey


class Act(Enum):
    """Every command of the window."""

    OPEN_PACK = auto()
    CHECK_UPDATES = auto()
    ROLLBACK_PACK = auto()
    PRINT = auto()
    PRINT_PREVIEW = auto()
    EXPORT_PDF = auto()
    PRINT_PACKET = auto()
    LARGE_PRINT = auto()
    PREFERENCES = auto()
    QUIT = auto()
    FOCUS_SEARCH = auto()
    FIND = auto()
    FIND_NEXT = auto()
    FIND_PREVIOUS = auto()
    ZOOM_IN = auto()
    ZOOM_OUT = auto()
    ZOOM_RESET = auto()
    BACK = auto()
    FORWARD = auto()
    RECENT = auto()
    TOGGLE_BOOKMARK = auto()
    BOOKMARKS = auto()
    SHORTCUTS = auto()
    ABOUT = auto()
    # Scoped to one part of the window (see ActionSpec.scope).
    NEXT_RESULT = auto()
    PREVIOUS_RESULT = auto()
    OPEN_RESULT = auto()
    CLEAR_SEARCH = auto()
    CLOSE_FIND = auto()


class Scope(Enum):
    """Where an action's shortcut works."""

    WINDOW = "Anywhere"
    SEARCH_BOX = "Search box"
    SEARCH = "Search box and results"
    SEARCH_PANEL = "Search box, results and category"
    FIND_BAR = "Find bar"


@dataclass(frozen=True)
class ActionSpec:
    """One command: menu text, shortcuts (standard keys first), menu, scope and a tip."""

    text: str
    keys: tuple[Std | str, ...] = ()
    menu: str | None = None
    tip: str = ""
    scope: Scope = Scope.WINDOW
    checkable: bool = False
    separator_before: bool = False


FILE, EDIT, VIEW, GO, BOOKMARKS, HELP = "&File", "&Edit", "&View", "&Go", "&Bookmarks", "&Help"
MENUS = (FILE, EDIT, VIEW, GO, BOOKMARKS, HELP)

ACTIONS: dict[Act, ActionSpec] = {
    Act.OPEN_PACK: ActionSpec("&Open pack...", (Std.Open,), FILE, "Open another pack file (checked before use)"),
    Act.CHECK_UPDATES: ActionSpec(
        "&Check for pack updates", (), FILE, "Look in the updates folder (Preferences) for a newer pack"
    ),
    Act.ROLLBACK_PACK: ActionSpec(
        "Roll &back to previous pack...", (), FILE, "Go back to the pack in use before the last update"
    ),
    Act.PRINT: ActionSpec(
        "&Print...", (Std.Print,), FILE, "Print the card, or the selected results", separator_before=True
    ),
    Act.PRINT_PREVIEW: ActionSpec("Print pre&view...", ("Ctrl+Shift+P",), FILE, "Preview the printed pages"),
    Act.EXPORT_PDF: ActionSpec(
        "&Export PDF...", ("Ctrl+Shift+E",), FILE, "Save the card, or the selected results, as a PDF"
    ),
    Act.PRINT_PACKET: ActionSpec(
        "Print handout pac&ket...", ("Ctrl+Shift+K",), FILE, "Choose patient handouts to print as one packet"
    ),
    Act.LARGE_PRINT: ActionSpec("&Large print handouts", (), FILE, "Print handouts in large type", checkable=True),
    Act.PREFERENCES: ActionSpec(
        "P&references...", ("Ctrl+,",), FILE, "Clinic name, phone, logo, paper and font size", separator_before=True
    ),
    Act.QUIT: ActionSpec("&Quit", ("Ctrl+Q",), FILE, "Close KetaRef", separator_before=True),
    Act.FOCUS_SEARCH: ActionSpec("&Search", ("Ctrl+L", "Ctrl+K", "F6"), EDIT, "Go to the search box"),
    Act.FIND: ActionSpec("&Find in card...", (Std.Find,), EDIT, "Find words in the open card", separator_before=True),
    Act.FIND_NEXT: ActionSpec("Find &next", ("F3",), EDIT, "Next match in the card"),
    Act.FIND_PREVIOUS: ActionSpec("Find pre&vious", ("Shift+F3",), EDIT, "Previous match in the card"),
    Act.ZOOM_IN: ActionSpec("Zoom &in", ("Ctrl+=", Std.ZoomIn), VIEW, "Larger card text"),
    Act.ZOOM_OUT: ActionSpec("Zoom &out", (Std.ZoomOut,), VIEW, "Smaller card text"),
    Act.ZOOM_RESET: ActionSpec("&Actual size", ("Ctrl+0",), VIEW, "Card text at its normal size"),
    Act.BACK: ActionSpec("&Back", ("Alt+Left",), GO, "The card seen before"),
    Act.FORWARD: ActionSpec("&Forward", ("Alt+Right",), GO, "The card seen after"),
    Act.RECENT: ActionSpec("&Recently viewed...", ("Ctrl+H",), GO, "Cards opened lately", separator_before=True),
    Act.TOGGLE_BOOKMARK: ActionSpec(
        "&Bookmark this card", ("Ctrl+D",), BOOKMARKS, "Add or remove a bookmark", checkable=True
    ),
    Act.BOOKMARKS: ActionSpec("&Show bookmarks...", ("Ctrl+Shift+D",), BOOKMARKS, "The list of bookmarked cards"),
    Act.SHORTCUTS: ActionSpec("&Keyboard shortcuts", (Std.HelpContents, "Ctrl+/"), HELP, "Every shortcut"),
    Act.ABOUT: ActionSpec("&About KetaRef", (), HELP, "Versions, pack and disclaimer"),
    Act.NEXT_RESULT: ActionSpec("Next result", ("Down",), None, "Move down the results", Scope.SEARCH_BOX),
    Act.PREVIOUS_RESULT: ActionSpec("Previous result", ("Up",), None, "Move up the results", Scope.SEARCH_BOX),
    Act.OPEN_RESULT: ActionSpec("Open result", ("Return", "Enter"), None, "Open the selected result", Scope.SEARCH),
    Act.CLEAR_SEARCH: ActionSpec("Clear search", ("Esc",), None, "Empty the search box", Scope.SEARCH_PANEL),
    Act.CLOSE_FIND: ActionSpec("Close find bar", ("Esc",), None, "Hide the find bar", Scope.FIND_BAR),
}


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The spec's shortcuts, standard keys expanded for this platform, without duplicates."""
    seen: dict[str, QKeySequence] = {}
    for key in spec.keys:
        sequences = QKeySequence.keyBindings(key) if isinstance(key, Std) else [QKeySequence(key)]
        for sequence in sequences:
            text = sequence.toString()
            if text and text not in seen:
                seen[text] = sequence
    return list(seen.values())


def first_key(sequence: QKeySequence) -> QKeyCombination:
    """The first key combination of a sequence."""
    return sequence[0]  # type: ignore[index,no-any-return]  # the stubs lack QKeySequence.__getitem__


def create_actions(parent: QWidget, slots: Mapping[Act, Callable[[], object]]) -> dict[Act, QAction]:
    """One QAction per table row, connected to its slot; scoped actions only work inside their widget."""
    actions: dict[Act, QAction] = {}
    for act, spec in ACTIONS.items():
        action = QAction(spec.text, parent)
        action.setObjectName(act.name.lower())
        action.setShortcuts(key_sequences(spec))
        action.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("."))
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if spec.scope is not Scope.WINDOW:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        slot = slots.get(act)
        if slot is not None:
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        actions[act] = action
    return actions


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(command, keys, where) for every action with a shortcut, for Help > Keyboard shortcuts."""
    rows = []
    for spec in ACTIONS.values():
        keyboard = [k for k in key_sequences(spec) if first_key(k).key().value <= Qt.Key.Key_F35.value]  # no media keys
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keyboard)
        if keys:
            rows.append((spec.text.replace("&", "").rstrip("."), keys, spec.scope.value))
    return rows
