"""Opening cards in the window: history, bookmarks and the outline pane; and switching to another pack."""

from __future__ import annotations

from pathlib import Path

from ..store import open_pack
from . import settings as S
from .actions import Act
from .messages import LONG, Level
from .window_state import WindowState


class CardOpening(WindowState):
    """The cards the window shows, Back and Forward, bookmarks and recent cards, and the pack they come from (a
    base of MainWindow, in window.py)."""

    def _fit_outline(self) -> None:
        """The outline pane only when asked for and the card has sections (the welcome page has none)."""
        side = self.card_view.outline.parentWidget()
        wanted = self.actions_[Act.SHOW_OUTLINE].isChecked() and self.card_view.outline.topLevelItemCount() > 0
        if side is not None and side.isVisibleTo(self.card_view) != wanted:
            side.setVisible(wanted)

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
        return bool(self.messages.guarded(self._show_card, Level.WARNING)(card_id, resume))

    def _show_card(self, card_id: str, resume: bool) -> bool:
        from ..translations import languages

        card = self.pack.card(card_id)
        self.messages.clear()  # "Bookmarked: ..." or a link's target was about the card before
        self.card_view.show_card(card, self.titles, resume, languages(self.pack, card))
        self._fit_outline()
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
            self.tell("Open a card to bookmark it.")
            self._update_nav()
            return
        added = self.nav.toggle_bookmark(card.id)
        self.tell(f"{'Bookmarked' if added else 'Removed bookmark'}: {card.title}")
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
        return bool(self.messages.guarded(self._switch_pack)(path, verified))

    def _switch_pack(self, path: Path, verified: bool) -> bool:
        if not verified:  # a pack the user opens: refused, with the reason, when a trusted key did not sign it
            from ..trust import require_trusted

            require_trusted(path, "The pack")
        new = open_pack(path)
        try:
            if not verified:
                new.verify()
        except Exception:
            new.close()
            raise
        old, self.pack = self.pack, new
        self.titles = new.titles()
        self.search_panel.set_pack(new.path)
        old.close()
        self._show_pack()
        current = self.card_view.card
        if current is None or not self._show(current.id):
            self.card_view.clear()
            self._fit_outline()
        self._update_nav()
        self.pack_updates.forget()
        self.pack_updates.refresh_actions()
        self.tell(f"Opened {path} ({len(self.titles)} cards).", duration_ms=LONG)
        return True
