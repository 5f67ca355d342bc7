"""Tools > Dose calculator: IV ketamine by weight and esketamine nasal spray devices, with the working shown.

The arithmetic is ketaref.dosing's (the command line's too): this dialog only reads the inputs, shows the result or
the one plain sentence that says what is wrong, copies it, and prints a one-page worksheet with a second-checker line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import dosing
from ..errors import KetarefError
from ..model import Card

PrintCards = Callable[[list[Card]], object]

IV_TAB, SPRAY_TAB = 0, 1
CHOOSE_STRENGTH = "Choose the vial strength..."
CHOOSE_DOSE = "Choose the dose..."


def worksheet_card(result: dosing.IvDose, reviewed: dt.date) -> Card:
    """The printable dose worksheet as a clinician card (tick boxes make it a one-page form)."""
    from ..render import markdown_to_html

    body = dosing.iv_worksheet(result)
    return Card(
        id=dosing.WORKSHEET_ID,
        title=dosing.WORKSHEET_TITLE,
        category="dosing",
        audience="clinician",
        summary=f"{result.dose_mg:.1f} mg = {result.drug_volume_ml:.2f} mL of {result.concentration_mg_per_ml} mg/mL: "
        "check it independently before the infusion starts.",
        body=body,
        reviewed=reviewed,
        body_html=markdown_to_html(body),
    )


class DoseDialog(QDialog):
    """The calculator: inputs, the result with its working (or why there is none), Copy and Print."""

    def __init__(
        self, parent: QWidget | None = None, print_cards: PrintCards | None = None, reviewed: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dose calculator")
        self.setObjectName("dose_dialog")
        self._print_cards = print_cards
        self._reviewed = reviewed
        self.tabs = QTabWidget()
        self.tabs.addTab(self._iv_tab(), "&IV ketamine")
        self.tabs.addTab(self._spray_tab(), "Esketamine &nasal spray")
        self.result_box = QPlainTextEdit()
        self.result_box.setObjectName("dose_result")
        self.result_box.setReadOnly(True)
        self.result_box.setMinimumHeight(190)
        self.result_box.setAccessibleName("Result and working")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Copy the result and its working")
        self.print_button = QPushButton("&Print worksheet...")
        self.print_button.setToolTip("A one-page worksheet with a line for the second checker")
        close = QPushButton("Close")
        self.copy_button.clicked.connect(self.copy)
        self.print_button.clicked.connect(self.print_worksheet)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        result_label = QLabel("&Result and working:")
        result_label.setBuddy(self.result_box)
        layout.addWidget(result_label)
        layout.addWidget(self.result_box, 1)
        layout.addLayout(buttons)
        self.tabs.currentChanged.connect(self.update_result)
        self.resize(620, 560)
        self.update_result()
        self.weight.setFocus()

    def _iv_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.weight = QLineEdit()
        self.weight.setObjectName("dose_weight")
        self.weight.setPlaceholderText("actual body weight, 30-250 kg")
        self.unit = QComboBox()
        self.unit.setObjectName("dose_unit")
        self.unit.addItems(["kg", "lb"])
        weight_row = QHBoxLayout()
        weight_row.addWidget(self.weight, 1)
        weight_row.addWidget(self.unit)
        self.mg_per_kg = QLineEdit(dosing.fmt(dosing.DEFAULT_MG_PER_KG))
        self.mg_per_kg.setObjectName("dose_mg_per_kg")
        self.mg_per_kg.setPlaceholderText("0.1-1.0")
        self.minutes = QLineEdit(str(dosing.DEFAULT_MINUTES))
        self.minutes.setObjectName("dose_minutes")
        self.minutes.setPlaceholderText(f"{dosing.MINUTES_MIN}-{dosing.MINUTES_MAX}")
        self.concentration = QComboBox()
        self.concentration.setObjectName("dose_concentration")
        self.concentration.addItem(CHOOSE_STRENGTH, None)
        for strength in dosing.CONCENTRATIONS_MG_PER_ML:
            self.concentration.addItem(f"{strength} mg/mL", strength)
        self.final_ml = QComboBox()
        self.final_ml.setObjectName("dose_final_ml")
        self.final_ml.setEditable(True)
        self.final_ml.addItems([""] + [str(v) for v in dosing.COMMON_FINAL_ML])
        line = self.final_ml.lineEdit()
        if line is not None:
            line.setPlaceholderText("mL the dose is made up to (blank: undiluted)")
        weight_label = QLabel("&Weight:")  # a row of two fields: the label leads to the number
        weight_label.setBuddy(self.weight)
        form.addRow(weight_label, weight_row)
        labels: list[tuple[str, QWidget]] = [
            ("&Dose (mg/kg):", self.mg_per_kg),
            ("Infusion &time (minutes):", self.minutes),
            ("Vial &strength:", self.concentration),
            ("&Made up to (mL):", self.final_ml),
        ]
        for text, field in labels:
            form.addRow(text, field)
        for edit in (self.weight, self.mg_per_kg, self.minutes):
            edit.textChanged.connect(self.update_result)
        for combo in (self.unit, self.concentration):
            combo.currentIndexChanged.connect(self.update_result)
        self.final_ml.currentTextChanged.connect(self.update_result)
        return tab

    def _spray_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.spray = QComboBox()
        self.spray.setObjectName("dose_spray")
        self.spray.addItem(CHOOSE_DOSE, None)
        for mg in dosing.SPRAY_DOSES_MG:
            self.spray.addItem(f"{mg} mg", mg)
        form.addRow("Esketamine d&ose:", self.spray)
        self.spray.currentIndexChanged.connect(self.update_result)
        return tab

    def fill(self, weight: str, unit: str = "kg", mg_per_kg: str | None = None) -> None:
        """Open on the IV tab with a weight (and dose) already typed, as from a query like "ketamine dose 80 kg"."""
        self.tabs.setCurrentIndex(IV_TAB)
        self.unit.setCurrentText("lb" if unit == "lb" else "kg")
        if mg_per_kg:
            self.mg_per_kg.setText(mg_per_kg)
        self.weight.setText(weight)
        self.concentration.setFocus()  # the strength is never assumed: it is the next thing to choose

    def bring_forward(self) -> None:
        """Show the open calculator on top with the keyboard focus (the offscreen platform cannot raise)."""
        self.show()
        if QGuiApplication.platformName() != "offscreen":
            self.raise_()
        self.activateWindow()

    def current(self) -> dosing.IvDose | dosing.SprayDose:
        """The result for the inputs as they stand; DoseInputError with the plain sentence when there is none."""
        if self.tabs.currentIndex() == SPRAY_TAB:
            return dosing.spray_dose(self.spray.currentData())
        return dosing.iv_dose(
            self.weight.text(),
            self.concentration.currentData(),
            unit=self.unit.currentText(),
            mg_per_kg=self.mg_per_kg.text(),
            minutes=self.minutes.text(),
            final_ml=self.final_ml.currentText().strip() or None,
        )

    def update_result(self) -> None:
        """Recompute as the user types: the result and its working, or the one sentence that says what is missing."""
        try:
            result = self.current()
        except KetarefError as exc:
            self.result_box.setPlainText(str(exc))
            self._ready(False)
            return
        self.result_box.setPlainText(result.text())
        self._ready(True)

    def _ready(self, ok: bool) -> None:
        self.copy_button.setEnabled(ok)
        self.print_button.setEnabled(ok and self.tabs.currentIndex() == IV_TAB and self._print_cards is not None)

    def result_text(self) -> str:
        """What the result box shows."""
        return self.result_box.toPlainText()

    def copy(self) -> None:
        """Put the result and its working on the clipboard."""
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.result_text())

    def worksheet(self) -> Card | None:
        """The worksheet for the IV result shown, or None when there is no result."""
        try:
            result = self.current()
        except KetarefError:
            return None
        if not isinstance(result, dosing.IvDose):
            return None
        from ..clock import today

        return worksheet_card(result, self._reviewed or today())

    def print_worksheet(self) -> None:
        """Print the one-page worksheet through the window's print path (the system print dialog)."""
        card = self.worksheet()
        if card is not None and self._print_cards is not None:
            self._print_cards([card])


def open_dose_dialog(
    parent: QWidget | None,
    print_cards: PrintCards | None = None,
    reviewed: dt.date | None = None,
    weight: str | None = None,
    unit: str = "kg",
    mg_per_kg: str | None = None,
) -> DoseDialog:
    """Show the calculator (not modal: the card view stays usable), filled in when a weight is given."""
    dialog = DoseDialog(parent, print_cards, reviewed)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if weight:
        dialog.fill(weight, unit, mg_per_kg)
    dialog.show()
    return dialog
