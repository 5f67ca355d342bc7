"""The main window's printing: print, preview or save as PDF the open card, the selected results or a packet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import KetarefError
from . import settings as S
from .actions import Act

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow as _Window

    from ..model import Card
    from ..store import Pack
    from .card_view import CardView
    from .search_panel import SearchPanel
else:
    _Window = object  # a plain mixin at run time: MainWindow brings the QMainWindow


class PrintingMixin(_Window):
    """MainWindow's slots for File > Print, Print preview, Export PDF and Print handout packet."""

    pack: Pack
    titles: dict[str, str]
    settings: S.Settings
    actions_: dict[Act, QAction]
    search_panel: SearchPanel
    card_view: CardView

    def print_targets(self) -> list[Card]:
        """Several selected results, else the open card, else the selected result."""
        hits = self.search_panel.selected_hits()
        if len(hits) > 1:
            ids = [hit.id for hit in hits]
        elif self.card_view.card is not None:
            return [self.card_view.card]
        else:
            ids = [hit.id for hit in hits]
        return [self.pack.card(card_id) for card_id in ids]

    def _targets_or_say(self) -> list[Card]:
        from . import printing

        cards = self.print_targets()
        if not cards:
            self.statusBar().showMessage("Open a card (or select results) to print it.", 5000)
        elif not printing.ensure_clinic(self, self.settings, cards):
            return []
        return cards

    def print_(self, cards: list[Card] | None = None) -> None:
        """Print the cards through the system print dialog."""
        from . import dialogs, printing

        cards = cards or self._targets_or_say()
        if cards:
            try:
                pages = printing.print_cards(self, self.settings, cards, self.titles)
            except KetarefError as exc:
                dialogs.show_error(self, str(exc))
                return
            if pages:
                self.statusBar().showMessage(f"Sent {pages} page(s) to the printer.", 5000)

    def print_preview(self, cards: list[Card] | None = None) -> None:
        """Preview the printed pages."""
        from . import dialogs, printing

        cards = cards or self._targets_or_say()
        if cards:
            try:
                printing.preview_cards(self, self.settings, cards, self.titles)
            except KetarefError as exc:
                dialogs.show_error(self, str(exc))

    def export_pdf(self, cards: list[Card] | None = None) -> Path | None:
        """Save the cards as a PDF file; the path written, or None."""
        from . import dialogs, printing

        cards = cards or self._targets_or_say()
        if not cards:
            return None
        output = dialogs.ask_pdf_path(self, printing.suggested_pdf(self.settings, cards))
        if output is None:
            return None
        self.settings.set(S.LAST_FOLDER, str(output.parent))
        try:
            pages = printing.export_pdf(self.settings, cards, output, self.titles)
        except KetarefError as exc:
            dialogs.show_error(self, str(exc))
            return None
        self.statusBar().showMessage(f"Saved {pages} page(s) to {output}.", 8000)
        return output

    def print_packet(self) -> None:
        """Choose handouts with tick boxes and print, preview or save them as one packet."""
        from . import printing
        from .dialogs import run_modal

        handouts = self.pack.browse(category=None, audience="patient")
        checked = [hit.id for hit in self.search_panel.selected_hits() if hit.audience == "patient"]
        if not checked and self.card_view.card is not None and self.card_view.card.is_handout:
            checked = [self.card_view.card.id]
        dialog = printing.PacketDialog(handouts, checked, self.settings, self)
        if not run_modal(dialog):
            return
        chosen, choice = dialog.checked_ids(), dialog.choice
        self.actions_[Act.LARGE_PRINT].setChecked(self.settings.get(S.LARGE_PRINT))
        cards = [self.pack.card(card_id) for card_id in chosen]
        if not printing.ensure_clinic(self, self.settings, cards):
            return
        output = {dialog.PRINT: self.print_, dialog.PREVIEW: self.print_preview, dialog.PDF: self.export_pdf}
        output[choice](cards)
