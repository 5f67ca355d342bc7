"""Print, preview and export PDF through ketaref.handout; Qt's print support is loaded on first use."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import KetarefError
from ..model import Card, Hit
from . import settings as S
from .dialogs import ClinicDialog

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from ..handout import PrintOptions

log = logging.getLogger(__name__)


def print_options(settings: S.Settings) -> PrintOptions:
    """The handout layout options from Preferences."""
    from ..handout import PrintOptions

    logo = settings.get(S.LOGO)
    return PrintOptions(
        clinic=settings.get(S.CLINIC),
        phone=settings.get(S.PHONE),
        logo=Path(logo) if logo else None,
        large_print=settings.get(S.LARGE_PRINT),
        paper=settings.get(S.PAPER),
        base_pt=settings.get(S.BASE_PT),
    )


def ensure_clinic(parent: QWidget | None, settings: S.Settings, cards: Sequence[Card]) -> bool:
    """Before the first handout is printed, ask once for the clinic's name and phone; False to cancel."""
    if not any(card.is_handout for card in cards) or settings.get(S.CLINIC) or settings.get(S.CLINIC_ASKED):
        return True
    from .dialogs import run_modal

    return run_modal(ClinicDialog(settings, parent)) == QDialog.DialogCode.Accepted


def _printer(settings: S.Settings, cards: Sequence[Card]) -> QPrinter:
    from PySide6.QtPrintSupport import QPrinter

    from ..handout import page_layout

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(print_options(settings)))  # the same paper and margins as the PDF
    printer.setDocName(cards[0].title if len(cards) == 1 else f"KetaRef: {len(cards)} cards")
    return printer


def print_cards(parent: QWidget, settings: S.Settings, cards: Sequence[Card], titles: Mapping[str, str]) -> int:
    """The system print dialog, then the cards on the chosen printer; pages printed (0 when cancelled)."""
    from PySide6.QtPrintSupport import QPrintDialog

    from ..handout import check_logo, paint_cards

    options = print_options(settings)
    check_logo(options.logo)
    printer = _printer(settings, cards)
    dialog = QPrintDialog(printer, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return paint_cards(printer, cards, options, titles)
    finally:
        shiboken6.delete(dialog)  # it points at the printer, which goes when this returns


def preview_cards(parent: QWidget, settings: S.Settings, cards: Sequence[Card], titles: Mapping[str, str]) -> None:
    """The print preview dialog (it can print from there); KetarefError when the pages cannot be laid out."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from ..handout import check_logo, paint_cards

    options = print_options(settings)
    check_logo(options.logo)
    problems: list[str] = []

    def paint(device: QPrinter) -> None:
        try:
            paint_cards(device, cards, options, titles)
        except KetarefError as exc:
            problems.append(str(exc))

    printer = _printer(settings, cards)
    dialog = QPrintPreviewDialog(printer, parent)
    try:
        dialog.setWindowTitle("Print preview")
        dialog.paintRequested.connect(paint)
        dialog.resize(900, 800)
        dialog.exec()
    finally:
        shiboken6.delete(dialog)
    if problems:
        raise KetarefError(problems[0])


def export_pdf(settings: S.Settings, cards: Sequence[Card], output: Path, titles: Mapping[str, str]) -> int:
    """Write the cards to a PDF file; pages written (KetarefError with a plain message on a bad path or logo)."""
    from ..handout import write_pdf

    return write_pdf(cards, output, print_options(settings), titles)


def suggested_pdf(settings: S.Settings, cards: Sequence[Card]) -> Path:
    """A file name for the PDF, in the folder used last."""
    folder = Path(settings.get(S.LAST_FOLDER) or Path.home())
    name = cards[0].id if len(cards) == 1 else ("handouts" if all(c.is_handout for c in cards) else "ketaref-cards")
    return folder / f"{name}.pdf"


class PacketDialog(QDialog):
    """Tick patient handouts to print, preview or save as one packet."""

    PRINT, PREVIEW, PDF = "print", "preview", "pdf"

    def __init__(
        self, handouts: Sequence[Hit], checked: Sequence[str], settings: S.Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print handout packet")
        self.settings = settings
        self.choice = ""
        intro = QLabel("Tick the handouts to give the patient; they print in this order, each from a new page.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Patient handouts")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)  # tick boxes packed edge to edge are hard to tell apart
        for hit in handouts:
            item = QListWidgetItem(hit.title)
            item.setData(Qt.ItemDataRole.UserRole, hit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if hit.id in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if handouts:
            self.list.setCurrentRow(0)
        self.large_print = QCheckBox("&Large print")
        self.large_print.setChecked(settings.get(S.LARGE_PRINT))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        for text, choice in (("&Print...", self.PRINT), ("Pre&view...", self.PREVIEW), ("&Save PDF...", self.PDF)):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _checked=False, choice=choice: self._choose(choice))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.large_print)
        layout.addWidget(buttons)
        self.resize(560, 440)

    def checked_ids(self) -> list[str]:
        """The ticked handouts, in list order."""
        items = (self.list.item(n) for n in range(self.list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def _choose(self, choice: str) -> None:
        if not self.checked_ids():
            self.list.setFocus()
            return
        self.choice = choice
        self.settings.set(S.LARGE_PRINT, self.large_print.isChecked())
        self.accept()
