"""The main window: menus and shortcuts from the action table, search beside the card, navigation and packs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..errors import KetarefError
from ..store import Pack, open_pack
from . import settings as S
from .actions import ACTIONS, MENUS, Act, Scope, create_actions, first_key, key_sequences
from .banners import DisclaimerBanner, UpdateBanner
from .card_view import CardView
from .navigation import Navigation
from .search_panel import SearchPanel
from .window_printing import PrintingMixin
from .window_updates import PackUpdatesMixin

MENU_ENTRIES = 10


class ShortcutGuard(QObject):
    """Keeps a text box from swallowing the window's shortcuts (Ctrl+K, Ctrl+D, Ctrl+H edit text on some desktops)."""

    def __init__(self, keys: set[QKeyCombination], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys = keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            return event.keyCombination() in self.keys
        return False


class MainWindow(PrintingMixin, PackUpdatesMixin, QMainWindow):
    """KetaRef's window over one open pack (it closes the pack when it closes)."""

    def __init__(self, pack: Pack, settings: S.Settings | None = None) -> None:
        super().__init__()
        self.pack = pack
        self.titles = pack.titles()
        self.settings = settings or S.Settings()
        get = self.settings.get
        back, forward, recent, bookmarks = (get(s) for s in (S.BACK, S.FORWARD, S.RECENT, S.BOOKMARKS))
        self.nav = Navigation(get(S.CURRENT), [*back], [*forward], [*recent], [*bookmarks])
        self.search_panel = SearchPanel(pack.path)
        self.card_view = CardView()
        self.banner = DisclaimerBanner()
        self.banner.button.clicked.connect(self.accept_disclaimer)
        self.banner.setVisible(not get(S.DISCLAIMER_ACCEPTED))
        self.update_banner = UpdateBanner()
        self.update_banner.review_button.clicked.connect(self.review_update)
        self.update_banner.not_now_button.clicked.connect(self.dismiss_update)
        self.pending_update = None
        self._on_demand = 0  # the number of the check the user asked for from the menu, if any
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
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.pack_label = QLabel()
        self.statusBar().addPermanentWidget(self.pack_label)

        self.actions_ = create_actions(self, self._slots())
        self._build_menus()
        self._build_toolbar()
        self._attach_scoped()
        self.search_panel.card_requested.connect(self.open_card)
        self.card_view.card_link.connect(self.open_card)
        self.card_view.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.actions_[Act.LARGE_PRINT].setChecked(get(S.LARGE_PRINT))

        self._restore()
        self._show_pack()
        if self.nav.current and pack.has_card(self.nav.current):
            self._show(self.nav.current)
        self._update_nav()
        self._update_pack_actions()
        self.search_panel.edit.setFocus()

    # -- building

    def _slots(self) -> dict[Act, Callable[[], object]]:
        panel, view = self.search_panel, self.card_view
        return {
            Act.OPEN_PACK: self.ask_open_pack,
            Act.CHECK_UPDATES: lambda: self.check_for_update(on_demand=True),
            Act.ROLLBACK_PACK: self.rollback_pack,
            Act.PRINT: self.print_,
            Act.PRINT_PREVIEW: self.print_preview,
            Act.EXPORT_PDF: self.export_pdf,
            Act.PRINT_PACKET: self.print_packet,
            Act.LARGE_PRINT: lambda: self.settings.set(S.LARGE_PRINT, self.actions_[Act.LARGE_PRINT].isChecked()),
            Act.PREFERENCES: self.preferences,
            Act.QUIT: self.close,
            Act.FOCUS_SEARCH: panel.focus_search,
            Act.FIND: view.open_find,
            Act.FIND_NEXT: lambda: view.find_again(backward=False),
            Act.FIND_PREVIOUS: lambda: view.find_again(backward=True),
            Act.ZOOM_IN: lambda: self.zoom(view.zoom + 1),
            Act.ZOOM_OUT: lambda: self.zoom(view.zoom - 1),
            Act.ZOOM_RESET: lambda: self.zoom(0),
            Act.BACK: self.back,
            Act.FORWARD: self.forward,
            Act.RECENT: self.show_recent,
            Act.TOGGLE_BOOKMARK: self.toggle_bookmark,
            Act.BOOKMARKS: self.show_bookmarks,
            Act.SHORTCUTS: self.show_shortcuts,
            Act.ABOUT: self.about,
            Act.NEXT_RESULT: lambda: panel.step(1),
            Act.PREVIOUS_RESULT: lambda: panel.step(-1),
            Act.OPEN_RESULT: panel.open_current,
            Act.CLEAR_SEARCH: panel.clear,
            Act.CLOSE_FIND: view.close_find,
        }

    def _build_menus(self) -> None:
        menus = {title: self.menuBar().addMenu(title) for title in MENUS}
        for act, spec in ACTIONS.items():
            if spec.menu is None:
                continue
            if spec.separator_before:
                menus[spec.menu].addSeparator()
            menus[spec.menu].addAction(self.actions_[act])
        self.recent_menu = menus["&Go"]
        self.bookmarks_menu = menus["&Bookmarks"]
        self._fixed = {menu: list(menu.actions()) for menu in (self.recent_menu, self.bookmarks_menu)}
        self.recent_menu.aboutToShow.connect(lambda: self._fill_menu(self.recent_menu, self.nav.recent))
        self.bookmarks_menu.aboutToShow.connect(lambda: self._fill_menu(self.bookmarks_menu, self.nav.bookmarks))

    def _fill_menu(self, menu: QMenu, card_ids: list[str]) -> None:
        for action in menu.actions():
            if action not in self._fixed[menu]:
                menu.removeAction(action)
                action.deleteLater()
        entries = [card_id for card_id in card_ids if card_id in self.titles][:MENU_ENTRIES]
        if entries:
            menu.addSeparator()
        for card_id in entries:
            action = QAction(self.titles[card_id].replace("&", "&&"), menu)
            action.triggered.connect(lambda _checked=False, card_id=card_id: self.open_card(card_id))
            menu.addAction(action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Navigation")
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        style = self.style()
        icons = {
            Act.BACK: QStyle.StandardPixmap.SP_ArrowBack,
            Act.FORWARD: QStyle.StandardPixmap.SP_ArrowForward,
        }
        for act in (Act.BACK, Act.FORWARD, None, Act.TOGGLE_BOOKMARK, None, Act.FIND, Act.PRINT, Act.EXPORT_PDF):
            if act is None:
                toolbar.addSeparator()
                continue
            action = self.actions_[act]
            if act in icons:
                action.setIcon(style.standardIcon(icons[act]))
            toolbar.addAction(action)
        self.addToolBar(toolbar)

    def _attach_scoped(self) -> None:
        panel, edit = self.search_panel, self.search_panel.edit
        targets: dict[Scope, list[QWidget]] = {
            Scope.SEARCH_BOX: [edit],
            Scope.SEARCH: [edit, panel.list],
            Scope.SEARCH_PANEL: [edit, panel.list, panel.category],
            Scope.FIND_BAR: [self.card_view.find_bar],
        }
        for act, spec in ACTIONS.items():
            for widget in targets.get(spec.scope, []):
                widget.addAction(self.actions_[act])
        window_keys = {
            first_key(sequence)
            for spec in ACTIONS.values()
            if spec.scope is Scope.WINDOW
            for sequence in key_sequences(spec)
            if sequence.count()
        }
        self.guard = ShortcutGuard(window_keys, self)
        edit.installEventFilter(self.guard)
        self.card_view.find_bar.edit.installEventFilter(self.guard)

    # -- state

    def _restore(self) -> None:
        geometry = self.settings.get(S.GEOMETRY)
        if not geometry or not self.restoreGeometry(geometry):
            self.resize(1200, 800)
        state = self.settings.get(S.WINDOW_STATE)
        if state:
            self.restoreState(state)
        splitter = self.settings.get(S.SPLITTER)
        if not splitter or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([460, 740])
        card_splitter = self.settings.get(S.CARD_SPLITTER)
        if not card_splitter or not self.card_view.splitter.restoreState(card_splitter):
            self.card_view.splitter.setSizes([560, 180])
        self.card_view.set_zoom(self.settings.get(S.ZOOM))
        self.statusBar().clearMessage()

    def save_state(self) -> None:
        """Write the window's size, layout, zoom and navigation to the settings file."""
        put = self.settings.set
        put(S.GEOMETRY, bytes(self.saveGeometry().data()))
        put(S.WINDOW_STATE, bytes(self.saveState().data()))
        put(S.SPLITTER, bytes(self.splitter.saveState().data()))
        put(S.CARD_SPLITTER, bytes(self.card_view.splitter.saveState().data()))
        self._save_navigation()

    def _save_navigation(self) -> None:
        put = self.settings.set
        put(S.ZOOM, self.card_view.zoom)
        put(S.CURRENT, self.nav.current)
        put(S.BACK, tuple(self.nav.back))
        put(S.FORWARD, tuple(self.nav.forward))
        put(S.RECENT, tuple(self.nav.recent))
        put(S.BOOKMARKS, tuple(self.nav.bookmarks))
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        """The search box has the focus whenever the window opens."""
        super().showEvent(event)
        if not self.card_view.find_bar.isVisible():
            self.search_panel.edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save state, stop the search and update threads and close the pack."""
        self.save_state()
        self._stop_update_check()
        self.search_panel.shutdown()
        self.pack.close()
        super().closeEvent(event)

    def accept_disclaimer(self) -> None:
        """Hide the disclaimer banner for good."""
        self.settings.set(S.DISCLAIMER_ACCEPTED, True)
        self.settings.sync()
        self.banner.hide()
        self.search_panel.edit.setFocus()

    # -- cards and navigation

    def open_card(self, card_id: str) -> bool:
        """Show a card and add it to the history; a missing card is reported in the status bar."""
        if not self._show(card_id):
            return False
        self.nav.visit(card_id)
        self._update_nav()
        self._save_navigation()
        return True

    def _show(self, card_id: str, resume: bool = False) -> bool:
        try:
            card = self.pack.card(card_id)
        except KetarefError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return False
        self.statusBar().clearMessage()  # "Bookmarked: ..." or a link's target was about the card before
        self.card_view.show_card(card, self.titles, resume)
        self.search_panel.mark_shown(card_id)
        return True

    def back(self) -> None:
        """The card seen before this one."""
        card_id = self.nav.go_back()
        if card_id:
            self._show(card_id, resume=True)
        self._update_nav()

    def forward(self) -> None:
        """The card seen after this one."""
        card_id = self.nav.go_forward()
        if card_id:
            self._show(card_id, resume=True)
        self._update_nav()

    def toggle_bookmark(self) -> None:
        """Bookmark the open card, or remove its bookmark."""
        card = self.card_view.card
        if card is None:
            self.statusBar().showMessage("Open a card to bookmark it.", 5000)
            self._update_nav()
            return
        added = self.nav.toggle_bookmark(card.id)
        self.statusBar().showMessage(f"{'Bookmarked' if added else 'Removed bookmark'}: {card.title}", 5000)
        self._update_nav()
        self._save_navigation()

    def _card_list(self, title: str, card_ids: list[str], removable: bool) -> None:
        from . import dialogs

        cards = [(card_id, self.titles[card_id]) for card_id in card_ids if card_id in self.titles]
        remove = self._remove_bookmark if removable else None
        dialog = dialogs.CardListDialog(title, cards, self, remove)
        if dialogs.run_modal(dialog) and dialog.chosen:
            self.open_card(dialog.chosen)

    def _remove_bookmark(self, card_id: str) -> None:
        if card_id in self.nav.bookmarks:
            self.nav.toggle_bookmark(card_id)
        self._update_nav()
        self._save_navigation()

    def show_bookmarks(self) -> None:
        """The bookmarks list."""
        self._card_list("Bookmarks", self.nav.bookmarks, removable=True)

    def show_recent(self) -> None:
        """The recently viewed list."""
        self._card_list("Recently viewed", self.nav.recent, removable=False)

    def _update_nav(self) -> None:
        self.actions_[Act.BACK].setEnabled(bool(self.nav.back))
        self.actions_[Act.FORWARD].setEnabled(bool(self.nav.forward))
        card = self.card_view.card
        bookmark = self.actions_[Act.TOGGLE_BOOKMARK]
        bookmark.setChecked(card is not None and card.id in self.nav.bookmarks)
        bookmark.setText("&Bookmarked" if bookmark.isChecked() else "&Bookmark this card")

    def zoom(self, steps: int) -> None:
        """Set and remember the card zoom."""
        self.card_view.set_zoom(steps)
        self.settings.set(S.ZOOM, self.card_view.zoom)

    # -- packs

    def _show_pack(self) -> None:
        version = self.pack.content_version
        self.setWindowTitle(f"KetaRef — content {version}")
        self.pack_label.setText(f"Pack {version} · {len(self.titles)} cards")
        self.pack_label.setToolTip(str(self.pack.path))

    def ask_open_pack(self) -> None:
        """File > Open pack: pick a file, then check it before switching."""
        from . import dialogs

        path = dialogs.ask_open_pack(self, self.settings.get(S.LAST_FOLDER) or str(self.pack.path.parent))
        if path is not None:
            self.settings.set(S.LAST_FOLDER, str(path.parent))
            self.open_pack_file(path)

    def open_pack_file(self, path: Path, verified: bool = False) -> bool:
        """Switch to another pack after a full check (skipped when the caller has just verified it, as installing
        an update does); a bad pack is reported and the current one stays."""
        from . import dialogs

        try:
            new = open_pack(path)
            try:
                if not verified:
                    new.verify()
            except KetarefError:
                new.close()
                raise
        except KetarefError as exc:
            dialogs.show_error(self, str(exc))
            return False
        old, self.pack = self.pack, new
        self.titles = new.titles()
        self.search_panel.set_pack(new.path)
        old.close()
        self._show_pack()
        current = self.card_view.card
        if current is None or not self._show(current.id):
            self.card_view.clear()
        self._update_nav()
        self._stop_update_check(forget_only=True)  # an update found for the old pack no longer applies
        self.pending_update = None
        self.update_banner.hide()
        self._update_pack_actions()
        self.statusBar().showMessage(f"Opened {path} ({len(self.titles)} cards).", 8000)
        return True

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

    def about(self) -> None:
        """Help > About: versions, the pack, what changed since the previous pack, and the disclaimer."""
        from .. import updates
        from . import dialogs

        notes = updates.release_notes(pack_path=self.pack.path)
        text = dialogs.about_text(__version__, self.pack.info(), self.pack.path, notes)
        long_notes = notes if notes and len(notes.splitlines()) > dialogs.ABOUT_NOTE_LINES else ""
        dialogs.show_about(self, text, long_notes)

    def preferences(self) -> None:
        """File > Preferences."""
        from . import dialogs

        folder = self.settings.get(S.UPDATES_FOLDER)
        if dialogs.run_modal(dialogs.PreferencesDialog(self.settings, self)):
            self.actions_[Act.LARGE_PRINT].setChecked(self.settings.get(S.LARGE_PRINT))
            if self.settings.get(S.UPDATES_FOLDER) != folder:
                self.check_for_update()
