"""The print dialogs: the system print dialog, print preview and the handout packet; Qt print support loads here."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import KetarefError
from ..model import Card, Hit
from . import settings as S

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from ..handout import PrintOptions, WriteIn

log = logging.getLogger(__name__)


def _printer(options: PrintOptions, cards: Sequence[Card]) -> QPrinter:
    from PySide6.QtPrintSupport import QPrinter

    from ..handout import fit_printer

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    fit_printer(printer, options)  # the same paper, margins and resolution as the PDF
    printer.setDocName(cards[0].title if len(cards) == 1 else f"KetaRef: {len(cards)} cards")
    return printer


def print_cards(parent: QWidget, options: PrintOptions, cards: Sequence[Card], titles: Mapping[str, str]) -> int:
    """The system print dialog, then the cards on the chosen printer; pages printed (0 when cancelled)."""
    from PySide6.QtPrintSupport import QPrintDialog

    from ..handout import check_logo, fit_printer, paint_cards

    check_logo(options.logo)
    printer = _printer(options, cards)
    dialog = QPrintDialog(printer, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        fit_printer(printer, options)  # the dialog puts the chosen printer's default paper back (often A4)
        return paint_cards(printer, cards, options, titles)
    finally:
        shiboken6.delete(dialog)  # it points at the printer, which goes when this returns


def preview_cards(parent: QWidget, options: PrintOptions, cards: Sequence[Card], titles: Mapping[str, str]) -> None:
    """The print preview dialog (it can print from there); KetarefError when the pages cannot be laid out."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from ..handout import check_logo, fit_printer, paint_cards
    from .geometry import fit_dialog

    check_logo(options.logo)
    problems: list[str] = []

    def paint(device: QPrinter) -> None:
        try:
            fit_printer(device, options)  # also when printing from the preview, after its print dialog
            paint_cards(device, cards, options, titles)
        except KetarefError as exc:  # raised in Qt's paint callback: kept, and raised again once the dialog closes
            problems.append(str(exc))

    printer = _printer(options, cards)
    dialog = QPrintPreviewDialog(printer, parent)
    try:
        dialog.setWindowTitle("Print preview")
        dialog.paintRequested.connect(paint)
        dialog.resize(900, 800)
        fit_dialog(dialog)  # 800 pixels high is more than a 1366x768 screen has
        dialog.exec()
    finally:
        shiboken6.delete(dialog)
    if problems:
        raise KetarefError(problems[0])


class WriteInFields(QGroupBox):
    """The handout's write-in lines for this patient: typed here they print on the lines; never stored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("For this patient (printed on the handout, not saved)", parent)
        self.patient = QLineEdit()
        self.next_visit = QLineEdit()
        self.ride = QLineEdit()
        self.ride_phone = QLineEdit()
        form = QFormLayout(self)
        for label, field, name in (
            ("Patient &name:", self.patient, "Patient name"),
            ("Ne&xt visit:", self.next_visit, "Next visit"),
            ("Who takes me &home:", self.ride, "Who takes me home"),
            ("&Their phone:", self.ride_phone, "Their phone"),
        ):
            field.setAccessibleName(name)
            field.setPlaceholderText("Blank line to write on")
            form.addRow(label, field)

    def values(self) -> WriteIn:
        """What was typed (empty: a blank line prints)."""
        from ..handout import WriteIn

        return WriteIn(
            patient=self.patient.text().strip(),
            next_visit=self.next_visit.text().strip(),
            ride=self.ride.text().strip(),
            ride_phone=self.ride_phone.text().strip(),
        )


class WriteInDialog(QDialog):
    """Before a patient handout prints: what to fill in on its lines for this patient (Enter: blank lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handout for this patient")
        self.fields = WriteInFields()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("C&ontinue")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())


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
        self.write_in = WriteInFields()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        for text, choice in (("&Print...", self.PRINT), ("Pre&view...", self.PREVIEW), ("&Save PDF...", self.PDF)):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _checked=False, choice=choice: self._choose(choice))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.large_print)
        layout.addWidget(self.write_in)
        layout.addWidget(buttons)
        self.resize(560, 560)

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
