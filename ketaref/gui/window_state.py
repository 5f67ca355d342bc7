"""The window's state kept between sessions (size, layout, zoom, navigation), its parts, telling the user."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QMainWindow

from . import geometry
from . import settings as S
from .card_view import ZOOM_STEP
from .messages import Level

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QSplitter

    from ..store import Pack
    from .actions import Act
    from .banners import DisclaimerBanner
    from .card_view import CardView
    from .messages import Messages
    from .navigation import Navigation
    from .search_panel import SearchPanel
    from .update_controller import UpdateController


class WindowState(QMainWindow):
    """The window's size, layout, zoom and navigation, restored when it is built and saved when it closes; the
    base of MainWindow (window.py), whose build() makes the parts declared here."""

    pack: Pack
    titles: dict[str, str]
    settings: S.Settings
    messages: Messages
    nav: Navigation
    _bookmarks_saved: tuple[str, ...]
    search_panel: SearchPanel
    card_view: CardView
    banner: DisclaimerBanner
    splitter: QSplitter
    pack_label: QLabel
    pack_updates: UpdateController
    actions_: dict[Act, QAction]

    # -- telling the user

    def tell(
        self,
        text: str,
        level: Level = Level.INFO,
        duration_ms: int | None = None,
        dialog: bool = False,
        *,
        file: Path | None = None,
        strip: bool = False,
    ) -> None:
        """Say something to the user, logged: info and warnings in the status bar (for duration_ms, or a dialog
        when asked), errors in a dialog; confirmations (strip, or a file written) and errors in the message strip
        as well. Every message of the window goes through here."""
        self.messages.tell(text, level, duration_ms, dialog, file=file, strip=strip)

    # -- state

    def _restore(self) -> None:
        saved = self.settings.get(S.GEOMETRY)
        if saved and self.restoreGeometry(saved):
            geometry.clamp_onto_screen(self)  # a monitor unplugged, a smaller screen since
        else:
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                available = screen.availableGeometry()
                self.resize(geometry.first_size(available))
                geometry.centre_on(self, available)
        state = self.settings.get(S.WINDOW_STATE)
        if state:
            self.restoreState(state)
        splitter = self.settings.get(S.SPLITTER)
        if not splitter or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([460, 740])
        card_splitter = self.settings.get(S.CARD_SPLITTER)
        if not card_splitter or not self.card_view.splitter.restoreState(card_splitter):
            self.card_view.splitter.setSizes([560, 180])
        zoom = self.settings.get(S.ZOOM)
        self.card_view.set_zoom(zoom)
        if zoom:
            self._zoom_lists()
        self.messages.clear()

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
        self.settings.sync()
        from .shared_settings import save_bookmarks

        merged = save_bookmarks(self.settings, self._bookmarks_saved, self.nav.bookmarks)
        self.nav.bookmarks[:] = merged
        self._bookmarks_saved = merged

    def showEvent(self, event: QShowEvent) -> None:
        """The search box has the focus whenever the window opens."""
        super().showEvent(event)
        if not self.card_view.find_bar.isVisible():
            self.search_panel.edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save state, stop the search and update threads and close the pack."""
        self.save_state()
        self.pack_updates.stop()
        self.search_panel.shutdown()
        self.pack.close()
        super().closeEvent(event)

    def accept_disclaimer(self) -> None:
        """Hide the disclaimer banner for good."""
        self.settings.set(S.DISCLAIMER_ACCEPTED, True)
        self.settings.sync()
        self.banner.hide()
        self.search_panel.edit.setFocus()

    # -- zoom

    def zoom(self, steps: int) -> None:
        """Set and remember the zoom of the card, the results list and the outline."""
        self.card_view.set_zoom(steps)
        self._zoom_lists()
        self.settings.set(S.ZOOM, self.card_view.zoom)

    def _zoom_lists(self) -> None:
        """The results list and the outline at the card's zoom (their rows grow with the text)."""
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * (1 + ZOOM_STEP * self.card_view.zoom))
        for view in (self.search_panel.list, self.card_view.outline):
            view.setFont(font)
            view.doItemsLayout()

    def zoom_by(self, steps: int) -> None:
        """Zoom in (steps > 0) or out from the current zoom."""
        self.zoom(self.card_view.zoom + steps)
