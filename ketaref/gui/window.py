"""The main window: search beside the card, navigation and packs; printing and pack updates are parts it holds."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QActionGroup, QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..paths import app_resource
from ..store import Pack
from . import settings as S
from . import theme
from .actions import BOOKMARKS, GO, Act, Scope, SlotError, create_actions
from .banners import DisclaimerBanner, UpdateBanner
from .card_opening import CardOpening
from .card_view import CardView
from .menus import attach_scoped, build_menus, build_toolbar, list_cards
from .messages import Messages
from .navigation import Navigation
from .print_controller import PrintController
from .results import HIT_ROLE
from .search_panel import SearchPanel
from .update_controller import UpdateController

ICON = "icons/ketaref.png"
PREVIEW_MS = 250  # the pause after an arrow key before the result's card is shown
THEMES = {Act.THEME_SYSTEM: theme.Theme.SYSTEM, Act.THEME_LIGHT: theme.Theme.LIGHT, Act.THEME_DARK: theme.Theme.DARK}


class MainWindow(CardOpening):
    """KetaRef's window over one open pack (it closes the pack when it closes).

    Its parts: `printing` (the print commands), `pack_updates` (looking for, installing and rolling back
    packs) and `messages` (what the window tells the user). Each action of the table in actions.py names its
    slot here or on one of these parts; a KetarefError raised in a slot becomes an error message.

    Opening cards and packs is in its base CardOpening (card_opening.py), its saved state and zoom in
    WindowState (window_state.py) under that.
    """

    def __init__(self, pack: Pack, settings: S.Settings | None = None) -> None:
        super().__init__()
        self.build(pack, settings)

    def build(self, pack: Pack, settings: S.Settings | None = None) -> None:
        """Everything the window holds, on a pack. app.py shows a light frame first (gui/frame.py: the search box
        and empty panes) and builds the window onto it just after its first frame, so it appears at once."""
        self.pack = pack
        self.titles = pack.titles()
        self.settings = settings or S.Settings()
        self.messages = Messages(self)
        get = self.settings.get
        back, forward, recent, bookmarks = (get(s) for s in (S.BACK, S.FORWARD, S.RECENT, S.BOOKMARKS))
        self.nav = Navigation(get(S.CURRENT), [*back], [*forward], [*recent], [*bookmarks])
        self._bookmarks_saved = tuple(bookmarks)  # as last read or saved: another window's changes merge onto it
        self.search_panel = SearchPanel(pack.path)
        self.card_view = CardView()
        self.banner = DisclaimerBanner()
        self.banner.button.clicked.connect(self.accept_disclaimer)
        self.banner.setVisible(not get(S.DISCLAIMER_ACCEPTED))
        self.update_banner = UpdateBanner()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.search_panel)
        self.splitter.addWidget(self.card_view)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.update_banner)
        layout.addWidget(self.messages.strip)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.pack_label = QLabel()
        self.statusBar().addPermanentWidget(self.pack_label)
        self.printing = PrintController(self)
        self.pack_updates = UpdateController(self)

        try:
            self.actions_ = create_actions(self, self.messages.guarded)
        except SlotError:
            self.search_panel.shutdown()  # its search thread has started; the window goes no further
            raise
        self._build()
        self.search_panel.card_requested.connect(self.open_card)
        # A card opened from the results shows the search's words marked, the first in view (F3: the next).
        panel = self.search_panel
        panel.card_requested.connect(lambda card_id: self.card_view.mark_words(panel.result, card_id))
        self.card_view.card_link.connect(self.open_card)
        self.card_view.message.connect(self.tell)
        self.search_panel.dose_line.open_requested.connect(self.open_dose_calculator)
        self.actions_[Act.LARGE_PRINT].setChecked(get(S.LARGE_PRINT))
        self._set_icon()
        self._setup_preview()
        self._setup_view_actions()

        self._restore()
        self._show_pack()
        if self.nav.current and pack.has_card(self.nav.current):
            self._show(self.nav.current)
        self._update_nav()
        self.pack_updates.refresh_actions()
        self.search_panel.edit.setFocus()
        self.printing.report_site()  # a bad site file is said once, in the status bar

    def _build(self) -> None:
        menus = build_menus(self, self.actions_)
        self.recent_menu, self.bookmarks_menu = menus[GO], menus[BOOKMARKS]
        list_cards(self.recent_menu, lambda: self.nav.recent, lambda: self.titles, self.open_card)
        list_cards(self.bookmarks_menu, lambda: self.nav.bookmarks, lambda: self.titles, self.open_card)
        build_toolbar(self, self.actions_)
        panel, edit, find_bar = self.search_panel, self.search_panel.edit, self.card_view.find_bar
        targets: dict[Scope, list[QWidget]] = {
            Scope.SEARCH_BOX: [edit],
            Scope.SEARCH: [edit, panel.list],
            Scope.SEARCH_PANEL: [edit, panel.list, panel.category],
            Scope.FIND_BAR: [find_bar],
        }
        self.guard = attach_scoped(self, self.actions_, targets, [edit, find_bar.edit])
        for box, name in ((edit, "Clear the search"), (find_bar.edit, "Clear the find box")):
            for button in box.findChildren(QToolButton):  # the box's own clear button, named for screen readers
                button.setAccessibleName(name)

    def _set_icon(self) -> None:
        icon = QIcon(str(app_resource(ICON)))
        self.setWindowIcon(icon)
        if QApplication.windowIcon().cacheKey() != icon.cacheKey():
            QApplication.setWindowIcon(icon)  # dialogs, previews and the task bar too

    # -- view: theme, outline, preview, menu bar

    def _setup_view_actions(self) -> None:
        group = QActionGroup(self)
        chosen = theme.parse(self.settings.get(S.THEME))
        for act, choice in THEMES.items():
            group.addAction(self.actions_[act])
            self.actions_[act].setChecked(choice is chosen)
        if chosen is not theme.Theme.SYSTEM:  # the system look needs nothing done (nor the time it takes)
            theme.apply(chosen)
        self.actions_[Act.SHOW_OUTLINE].setChecked(self.settings.get(S.SHOW_OUTLINE))
        self.actions_[Act.PREVIEW_ON_ARROW].setChecked(self.settings.get(S.PREVIEW_ON_ARROW))
        self._fit_outline()

    def set_theme(self, name: str) -> None:
        """View > Theme: System, Light or Dark, applied now and remembered."""
        chosen = theme.parse(name)
        theme.apply(chosen)
        for act, choice in THEMES.items():
            self.actions_[act].setChecked(choice is chosen)
        self.settings.set(S.THEME, chosen.value)
        self.settings.sync()

    def show_outline(self) -> None:
        """View > Show outline: the card's sections pane, shown (when the card has sections) or hidden."""
        self.settings.set(S.SHOW_OUTLINE, self.actions_[Act.SHOW_OUTLINE].isChecked())
        self._fit_outline()

    def set_preview(self) -> None:
        """View > Preview results while arrowing: on or off, remembered."""
        self.settings.set(S.PREVIEW_ON_ARROW, self.actions_[Act.PREVIEW_ON_ARROW].isChecked())
        self.preview_timer.stop()

    def _setup_preview(self) -> None:
        """Moving through the results with the keys shows each card after a pause; new results do not."""
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_MS)
        self.preview_timer.timeout.connect(self.preview_current)
        self._new_results = False  # the current result is being set by a new answer, not by the user
        self._preview_id = ""  # the result the user moved to
        panel = self.search_panel
        panel.model.modelAboutToBeReset.connect(self._results_replaced)
        panel.results_shown.connect(lambda _seq: setattr(self, "_new_results", False))
        panel.list.selectionModel().currentChanged.connect(self._current_result_changed)

    def _current_result_changed(
        self, current: QModelIndex | QPersistentModelIndex, _previous: QModelIndex | QPersistentModelIndex
    ) -> None:
        hit = current.data(HIT_ROLE) if current.isValid() else None
        if self._new_results or hit is None or not self.actions_[Act.PREVIEW_ON_ARROW].isChecked():
            return
        self._preview_id = hit.id
        self.preview_timer.start()

    def _results_replaced(self) -> None:
        """New results: a preview still waiting is of a result no longer there."""
        self._new_results = True
        self.preview_timer.stop()

    def preview_current(self) -> None:
        """Show the current result's card, the focus left where it is (on the list or the search box)."""
        panel = self.search_panel
        index = panel.list.currentIndex()
        hit = index.data(HIT_ROLE) if index.isValid() else None
        shown = self.card_view.card
        if hit is None or hit.id != self._preview_id or (shown is not None and shown.id == hit.id):
            return
        if len(panel.selected_hits()) > 1:  # results picked for a packet
            return
        focus = QApplication.focusWidget()
        if self._show(hit.id):
            self.card_view.mark_words(panel.result, hit.id)
        self._update_nav()
        if focus is not None and not focus.hasFocus():
            focus.setFocus()

    def open_menu_bar(self) -> None:
        """F10: open the first menu of the menu bar, as on other desktops; the arrow keys go on from there."""
        first = next((action for action in self.menuBar().actions() if action.isVisible()), None)
        if first is not None:
            self.menuBar().setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.menuBar().setActiveAction(first)

    # -- help and preferences

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts."""
        from . import dialogs

        dialogs.run_modal(dialogs.ShortcutsDialog(self, self.mnemonic_rows()))

    def mnemonic_rows(self) -> list[tuple[str, str, str]]:
        """(what, Alt+letter, where) for the window's menus and its underlined labels and buttons."""
        rows = []
        strips = {self.card_view.find_bar: Scope.FIND_BAR.value, self.banner: "Disclaimer strip",
                  self.update_banner: "Pack update strip"}  # fmt: skip

        def add(text: str, what: str, widget: QWidget | None = None) -> None:
            found = re.search(r"(?<!&)&([^&\s])", text)
            if found and (widget is None or widget.window() is self):  # not a dialog's own buttons
                plain = text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":.")
                where = next((name for strip, name in strips.items() if widget and strip.isAncestorOf(widget)), "")
                rows.append((what.format(plain), f"Alt+{found.group(1).upper()}", where or Scope.WINDOW.value))

        for action in self.menuBar().actions():
            add(action.text(), "Open the {} menu")
        for label in self.findChildren(QLabel):
            if label.buddy() is not None:
                add(label.text(), "Go to {}", label)
        for button in self.findChildren(QAbstractButton):
            add(button.text(), "Press {}", button)
        return rows

    def open_dose_calculator(self, found: object = None) -> None:
        """Tools > Dose calculator; from the dose line above the results, filled in with the query's weight."""
        import shiboken6

        from .dose_dialog import DoseDialog, open_dose_dialog

        weight, unit, per_kg = (getattr(found, name, None) for name in ("weight", "unit", "mg_per_kg"))
        dialog = getattr(self, "dose_dialog", None)
        if isinstance(dialog, DoseDialog) and shiboken6.isValid(dialog):
            if weight:
                dialog.fill(str(weight), str(unit or "kg"), str(per_kg) if per_kg else None)
            dialog.bring_forward()
            return
        prep = "dose-iv-preparation"
        reviewed = self.pack.card(prep).reviewed if self.pack.has_card(prep) else None
        self.dose_dialog = open_dose_dialog(
            self,
            lambda cards: self.printing.print_(cards),
            reviewed,
            str(weight) if weight else None,
            str(unit or "kg"),
            str(per_kg) if per_kg else None,
        )

    def about(self) -> None:
        """Help > About: versions, the pack, what changed since the previous pack, and the disclaimer."""
        from .. import updates
        from ..trust import pack_trust
        from . import dialogs

        notes = updates.release_notes(pack_path=self.pack.path)
        info = {**self.pack.info(), "signature": pack_trust(self.pack.path).label()}
        text = dialogs.about_text(__version__, info, self.pack.path, notes)
        long_notes = notes if notes and len(notes.splitlines()) > dialogs.ABOUT_NOTE_LINES else ""
        dialogs.show_about(self, text, long_notes)

    def preferences(self) -> None:
        """File > Preferences."""
        from . import dialogs

        folder = self.settings.get(S.UPDATES_FOLDER)
        if dialogs.run_modal(dialogs.PreferencesDialog(self.settings, self)):
            self.actions_[Act.LARGE_PRINT].setChecked(self.settings.get(S.LARGE_PRINT))
            if self.settings.get(S.UPDATES_FOLDER) != folder:
                self.pack_updates.check()
