"""The window's print commands: print, preview or save as PDF the open card, the selected results or a packet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import settings as S
from .actions import Act
from .messages import LONG, Level

if TYPE_CHECKING:
    from ..handout import PrintOptions, WriteIn
    from ..model import Card
    from .window import MainWindow


def print_options(settings: S.Settings, write_in: WriteIn | None = None) -> PrintOptions:
    """The handout layout options from Preferences (each unset one from the site file), with this patient's
    write-in lines (never stored)."""
    from ..handout import PrintOptions, WriteIn

    logo = settings.get(S.LOGO)
    return PrintOptions(
        clinic=settings.get(S.CLINIC),
        phone=settings.get(S.PHONE),
        after_hours_phone=settings.get(S.AFTER_HOURS_PHONE),
        logo=Path(logo) if logo else None,
        large_print=settings.get(S.LARGE_PRINT),
        paper=settings.get(S.PAPER),
        base_pt=settings.get(S.BASE_PT),
        write_in=write_in or WriteIn(),
    )


def suggested_pdf(settings: S.Settings, cards: list[Card]) -> Path:
    """A file name for the PDF, in the folder used last."""
    folder = Path(settings.get(S.LAST_FOLDER) or Path.home())
    name = cards[0].id if len(cards) == 1 else ("handouts" if all(c.is_handout for c in cards) else "ketaref-cards")
    return folder / f"{name}.pdf"


class PrintController:
    """File > Print, Print preview, Export PDF, Print handout packet and Large print, for one window.

    The three outputs tell the user of a KetarefError (a bad logo, a printer or file that cannot be written)
    through the window's messages, so a dialog's button may call them as the menu does.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def report_site(self) -> None:
        """A bad site file: one line in the status bar (and the log); what is fine in it still applies."""
        from ..site import describe

        site = self.window.settings.site
        if site.problems:
            self.window.tell(describe(site), Level.WARNING)

    def targets(self) -> list[Card]:
        """Several selected results, else the open card, else the selected result."""
        window = self.window
        hits = window.search_panel.selected_hits()
        if len(hits) > 1:
            ids = [hit.id for hit in hits]
        elif window.card_view.card is not None:
            return [window.card_view.card]
        else:
            ids = [hit.id for hit in hits]
        return [window.pack.card(card_id) for card_id in ids]

    def prepare(self, cards: list[Card] | None, write_in: WriteIn | None = None) -> tuple[list[Card], PrintOptions]:
        """The cards (the targets when none are given) and their print options, after what a patient handout
        asks: the clinic's phone when none is known, and this patient's write-in lines. ([], ...) when cancelled."""
        cards = cards or self.targets()
        if not cards:
            self.window.tell("Open a card (or select results) to print it.")
        elif not self.ensure_clinic(cards):
            cards = []
        elif write_in is None:
            write_in = self.ask_write_in(cards)
            if write_in is None:
                cards = []
        return cards, print_options(self.window.settings, write_in)

    def ensure_clinic(self, cards: list[Card]) -> bool:
        """A patient handout with no clinic phone (Preferences or the site file) asks for one at every print;
        False to cancel. The dialog's "Print without a clinic phone" is the only way to go on without one."""
        settings = self.window.settings
        if not any(card.is_handout for card in cards) or settings.get(S.PHONE).strip():
            return True
        from PySide6.QtWidgets import QDialog

        from .dialogs import ClinicDialog, run_modal

        return run_modal(ClinicDialog(settings, self.window)) == QDialog.DialogCode.Accepted

    def ask_write_in(self, cards: list[Card]) -> WriteIn | None:
        """This patient's name, next visit and ride home for a handout's lines (blank by default); None to cancel.
        Never stored."""
        from ..handout import WriteIn

        if not any(card.is_handout for card in cards):
            return WriteIn()
        from PySide6.QtWidgets import QDialog

        from .dialogs import run_modal
        from .print_dialogs import WriteInDialog

        dialog = WriteInDialog(self.window)
        if run_modal(dialog) != QDialog.DialogCode.Accepted:
            return None
        return dialog.fields.values()

    def print_(self, cards: list[Card] | None = None, write_in: WriteIn | None = None) -> None:
        """Print the cards through the system print dialog (a problem is told, so any part may call this)."""
        self.window.messages.guarded(self._print)(cards, write_in)

    def _print(self, cards: list[Card] | None, write_in: WriteIn | None) -> None:
        from . import print_dialogs

        cards, options = self.prepare(cards, write_in)
        if cards:
            window = self.window
            pages = print_dialogs.print_cards(window, options, cards, window.titles)
            if pages:
                window.tell(f"Sent {_pages(pages)} to the printer.", strip=True)

    def print_preview(self, cards: list[Card] | None = None, write_in: WriteIn | None = None) -> None:
        """Preview the printed pages (a problem is told)."""
        self.window.messages.guarded(self._print_preview)(cards, write_in)

    def _print_preview(self, cards: list[Card] | None, write_in: WriteIn | None) -> None:
        from . import print_dialogs

        cards, options = self.prepare(cards, write_in)
        if cards:
            print_dialogs.preview_cards(self.window, options, cards, self.window.titles)

    def export_pdf(self, cards: list[Card] | None = None, write_in: WriteIn | None = None) -> Path | None:
        """Save the cards as a PDF file; the path written, or None (cancelled, or the problem was told)."""
        return self.window.messages.guarded(self._export_pdf)(cards, write_in)

    def _export_pdf(self, cards: list[Card] | None, write_in: WriteIn | None) -> Path | None:
        from ..handout import write_pdf
        from . import dialogs

        window = self.window
        cards, options = self.prepare(cards, write_in)
        if not cards:
            return None
        output = dialogs.ask_pdf_path(window, suggested_pdf(window.settings, cards))
        if output is None:
            return None
        window.settings.set(S.LAST_FOLDER, str(output.parent))
        pages = write_pdf(cards, output, options, window.titles)
        window.tell(f"Saved {_pages(pages)} to {output}.", duration_ms=LONG, file=output)
        return output

    def print_packet(self) -> None:
        """Choose handouts with tick boxes and print, preview or save them as one packet."""
        from .dialogs import run_modal
        from .print_dialogs import PacketDialog

        window = self.window
        handouts = window.pack.browse(category=None, audience="patient")
        checked = [hit.id for hit in window.search_panel.selected_hits() if hit.audience == "patient"]
        if not checked and window.card_view.card is not None and window.card_view.card.is_handout:
            checked = [window.card_view.card.id]
        dialog = PacketDialog(handouts, checked, window.settings, window)
        if not run_modal(dialog):
            return
        chosen, choice, write_in = dialog.checked_ids(), dialog.choice, dialog.write_in.values()
        window.actions_[Act.LARGE_PRINT].setChecked(window.settings.get(S.LARGE_PRINT))
        cards = [window.pack.card(card_id) for card_id in chosen]
        output = {dialog.PRINT: self.print_, dialog.PREVIEW: self.print_preview, dialog.PDF: self.export_pdf}
        output[choice](cards, write_in)

    def remember_large_print(self) -> None:
        """File > Large print handouts: keep the choice for the next handout."""
        self.window.settings.set(S.LARGE_PRINT, self.window.actions_[Act.LARGE_PRINT].isChecked())


def _pages(count: int) -> str:
    """The page count in words: 1 page, 3 pages."""
    return f"{count} page" if count == 1 else f"{count} pages"
