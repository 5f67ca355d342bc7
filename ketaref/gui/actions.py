"""The one table of actions: every command's text, shortcuts, menu, scope and slot, keyed by an Enum."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
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
    SHOW_OUTLINE = auto()
    PREVIEW_ON_ARROW = auto()
    THEME_SYSTEM = auto()
    THEME_LIGHT = auto()
    THEME_DARK = auto()
    MENU_BAR = auto()
    BACK = auto()
    FORWARD = auto()
    RECENT = auto()
    TOGGLE_BOOKMARK = auto()
    BOOKMARKS = auto()
    SHORTCUTS = auto()
    ABOUT = auto()
    DOSE_CALCULATOR = auto()
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
    """One command: menu text, shortcuts (standard keys first), menu, a tip, scope, and its slot.

    `slot` names a method of the window, or of one of its parts ("printing.export_pdf"), called with `args`.
    """

    text: str
    keys: tuple[Std | str, ...] = ()
    menu: str | None = None
    tip: str = ""
    scope: Scope = Scope.WINDOW
    checkable: bool = False
    separator_before: bool = False
    submenu: str | None = None  # a submenu of `menu` the action goes in (View > Theme)
    slot: str = field(kw_only=True)
    args: tuple[object, ...] = field(default=(), kw_only=True)


class SlotError(LookupError):
    """An action names a slot the window does not have, or arguments it does not take (a bug: start-up stops)."""


FILE, EDIT, VIEW, GO, BOOKMARKS, HELP = "&File", "&Edit", "&View", "&Go", "&Bookmarks", "&Help"
TOOLS = "&Tools"
THEME = "&Theme"
MENUS = (FILE, EDIT, VIEW, GO, BOOKMARKS, TOOLS, HELP)

# fmt: off
ACTIONS: dict[Act, ActionSpec] = {
    Act.OPEN_PACK: ActionSpec("&Open pack...", (Std.Open,), FILE, "Open another pack file (checked before use)",
                              slot="ask_open_pack"),
    Act.CHECK_UPDATES: ActionSpec("&Check for pack updates", (), FILE,
                                  "Look in the updates folder (Preferences) for a newer pack",
                                  slot="pack_updates.check_now"),
    Act.ROLLBACK_PACK: ActionSpec("Roll &back to previous pack...", (), FILE,
                                  "Go back to the pack in use before the last update", slot="pack_updates.rollback"),
    Act.PRINT: ActionSpec("&Print...", (Std.Print,), FILE, "Print the card, or the selected results",
                          separator_before=True, slot="printing.print_"),
    Act.PRINT_PREVIEW: ActionSpec("Print pre&view...", ("Ctrl+Shift+P",), FILE, "Preview the printed pages",
                                  slot="printing.print_preview"),
    Act.EXPORT_PDF: ActionSpec("&Export PDF...", ("Ctrl+Shift+E",), FILE,
                               "Save the card, or the selected results, as a PDF", slot="printing.export_pdf"),
    Act.PRINT_PACKET: ActionSpec("Print handout pac&ket...", ("Ctrl+Shift+K",), FILE,
                                 "Choose patient handouts to print as one packet", slot="printing.print_packet"),
    Act.LARGE_PRINT: ActionSpec("&Large print handouts", (), FILE, "Print handouts in large type", checkable=True,
                                slot="printing.remember_large_print"),
    Act.PREFERENCES: ActionSpec("P&references...", ("Ctrl+,",), FILE, "Clinic name, phone, logo, paper and font size",
                                separator_before=True, slot="preferences"),
    Act.QUIT: ActionSpec("&Quit", ("Ctrl+Q",), FILE, "Close KetaRef", separator_before=True, slot="close"),
    Act.FOCUS_SEARCH: ActionSpec("&Search", ("Ctrl+L", "Ctrl+K", "F6"), EDIT, "Go to the search box",
                                 slot="search_panel.focus_search"),
    Act.FIND: ActionSpec("&Find in card...", (Std.Find,), EDIT, "Find words in the open card", separator_before=True,
                         slot="card_view.open_find"),
    Act.FIND_NEXT: ActionSpec("Find &next", ("F3",), EDIT, "Next match in the card",
                              slot="card_view.find_again", args=(False,)),
    Act.FIND_PREVIOUS: ActionSpec("Find pre&vious", ("Shift+F3",), EDIT, "Previous match in the card",
                                  slot="card_view.find_again", args=(True,)),
    Act.ZOOM_IN: ActionSpec("Zoom &in", ("Ctrl+=", Std.ZoomIn), VIEW, "Larger text: card, results and outline",
                            slot="zoom_by", args=(1,)),
    Act.ZOOM_OUT: ActionSpec("Zoom &out", (Std.ZoomOut,), VIEW, "Smaller text: card, results and outline",
                             slot="zoom_by", args=(-1,)),
    Act.ZOOM_RESET: ActionSpec("&Actual size", ("Ctrl+0",), VIEW, "Text at its normal size",
                               slot="zoom", args=(0,)),
    Act.SHOW_OUTLINE: ActionSpec("Show o&utline", ("Ctrl+Shift+O",), VIEW, "Show or hide the card's sections pane",
                                 checkable=True, separator_before=True, slot="show_outline"),
    Act.PREVIEW_ON_ARROW: ActionSpec("&Preview results while arrowing", (), VIEW,
                                     "Show each result's card as you move through the list", checkable=True,
                                     slot="set_preview"),
    Act.THEME_SYSTEM: ActionSpec("&System", (), VIEW, "Follow the system's light or dark look", checkable=True,
                                 separator_before=True, submenu=THEME, slot="set_theme", args=("system",)),
    Act.THEME_LIGHT: ActionSpec("&Light", (), VIEW, "Dark text on a light background", checkable=True,
                                submenu=THEME, slot="set_theme", args=("light",)),
    Act.THEME_DARK: ActionSpec("&Dark", (), VIEW, "Light text on a dark background", checkable=True,
                               submenu=THEME, slot="set_theme", args=("dark",)),
    Act.MENU_BAR: ActionSpec("Open the menu bar", ("F10",), None, "Go to the first menu", slot="open_menu_bar"),
    Act.BACK: ActionSpec("&Back", ("Alt+Left",), GO, "The card seen before", slot="back"),
    Act.FORWARD: ActionSpec("&Forward", ("Alt+Right",), GO, "The card seen after", slot="forward"),
    Act.RECENT: ActionSpec("&Recently viewed...", ("Ctrl+H",), GO, "Cards opened lately", separator_before=True,
                           slot="show_recent"),
    Act.TOGGLE_BOOKMARK: ActionSpec("&Bookmark this card", ("Ctrl+D",), BOOKMARKS, "Add or remove a bookmark",
                                    checkable=True, slot="toggle_bookmark"),
    Act.BOOKMARKS: ActionSpec("&Show bookmarks...", ("Ctrl+Shift+D",), BOOKMARKS, "The list of bookmarked cards",
                              slot="show_bookmarks"),
    Act.SHORTCUTS: ActionSpec("&Keyboard shortcuts", (Std.HelpContents, "Ctrl+/"), HELP, "Every shortcut",
                              slot="show_shortcuts"),
    Act.ABOUT: ActionSpec("&About KetaRef", (), HELP, "Versions, pack and disclaimer", slot="about"),
    Act.DOSE_CALCULATOR: ActionSpec("&Dose calculator...", ("Ctrl+Shift+C",), TOOLS,
                                    "IV ketamine dose, volume and pump rate; nasal spray devices",
                                    slot="open_dose_calculator"),
    Act.NEXT_RESULT: ActionSpec("Next result", ("Down",), None, "Move down the results", Scope.SEARCH_BOX,
                                slot="search_panel.step", args=(1,)),
    Act.PREVIOUS_RESULT: ActionSpec("Previous result", ("Up",), None, "Move up the results", Scope.SEARCH_BOX,
                                    slot="search_panel.step", args=(-1,)),
    Act.OPEN_RESULT: ActionSpec("Open result", ("Return", "Enter"), None, "Open the selected result", Scope.SEARCH,
                                slot="search_panel.open_current"),
    Act.CLEAR_SEARCH: ActionSpec("Clear search", ("Esc",), None, "Empty the search box", Scope.SEARCH_PANEL,
                                 slot="search_panel.clear"),
    Act.CLOSE_FIND: ActionSpec("Close find bar", ("Esc",), None, "Hide the find bar", Scope.FIND_BAR,
                               slot="card_view.close_find"),
}
# fmt: on


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


def resolve_slot(window: object, act: Act, spec: ActionSpec) -> Callable[[], object]:
    """The method a row names on the window or one of its parts, with the row's arguments; SlotError if none."""
    target = window
    for name in spec.slot.split("."):
        target = getattr(target, name, None)
        if target is None:
            raise SlotError(f"Action {act.name}: the window has no slot {spec.slot!r} (no {name!r})")
    if not callable(target):
        raise SlotError(f"Action {act.name}: {spec.slot!r} is not a method")
    if not _takes(target, len(spec.args)):
        raise SlotError(f"Action {act.name}: {spec.slot} does not fit its signature called with {spec.args}")
    return functools.partial(target, *spec.args) if spec.args else target


def _takes(target: Callable[..., object], count: int) -> bool:
    """Whether target can be called with `count` positional arguments, read from its code object (inspect.signature
    takes about 2 ms for the table, at every start); Qt's own methods (QWidget.close) have none: taken on trust."""
    func = getattr(target, "__func__", target)
    code = getattr(func, "__code__", None)
    if code is None:
        return True
    positional = code.co_argcount - (1 if getattr(target, "__self__", None) is not None else 0)
    required = positional - len(getattr(func, "__defaults__", None) or ())
    keywords_required = code.co_kwonlyargcount - len(getattr(func, "__kwdefaults__", None) or {})
    extra_allowed = bool(code.co_flags & inspect.CO_VARARGS)
    return keywords_required == 0 and required <= count and (count <= positional or extra_allowed)


def create_actions(
    window: QWidget, guard: Callable[[Callable[[], object]], Callable[[], object]]
) -> dict[Act, QAction]:
    """One QAction per table row, its slot (through `guard`) checked now; scoped ones only work inside their widget."""
    actions: dict[Act, QAction] = {}
    for act, spec in ACTIONS.items():
        slot = guard(resolve_slot(window, act, spec))
        action = QAction(spec.text, window)
        action.setObjectName(act.name.lower())
        action.setShortcuts(key_sequences(spec))
        action.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("."))
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if spec.scope is not Scope.WINDOW:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
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
