"""File > Preferences and the clinic details asked for before a handout prints (the clinic's own settings)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..site import describe
from ..updates import UPDATES_ENV
from . import settings as S
from .standard_dialogs import ask_folder, ask_logo, show_error

PAPERS = (("Letter", "letter"), ("A4", "a4"))


def _own_text(settings: S.Settings, setting: S.Setting[str], name: str, empty: str = "") -> QLineEdit:
    """A field with the user's own value; when it is empty, the site file's value shows in grey."""
    field = QLineEdit(settings.get(setting) if settings.is_set(setting) else "")
    field.setAccessibleName(name)
    inherited = settings.from_site(setting)
    field.setPlaceholderText(f"{inherited} (site file)" if inherited else empty)
    return field


class PreferencesDialog(QDialog):
    """Clinic name, day and after-hours phone, logo, paper size, print font size, large print for handouts, and the
    updates folder; an empty one shows and uses the site file's value."""

    def __init__(self, settings: S.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.clinic = _own_text(settings, S.CLINIC, "Clinic name")
        self.phone = _own_text(settings, S.PHONE, "Clinic day phone")
        self.after_hours_phone = _own_text(settings, S.AFTER_HOURS_PHONE, "Clinic after-hours phone")
        self.logo = _own_text(settings, S.LOGO, "Logo file", "No logo")
        browse = QPushButton("&Browse...")
        browse.clicked.connect(self._pick_logo)
        clear = QPushButton("Clea&r")
        clear.clicked.connect(self.logo.clear)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        logo_row.addWidget(clear)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size")
        for label, value in PAPERS:
            self.paper.addItem(label, value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.get(S.PAPER))))
        self.base_pt = QDoubleSpinBox()
        self.base_pt.setAccessibleName("Print font size in points")
        self.base_pt.setRange(*S.BASE_PT_RANGE)
        self.base_pt.setDecimals(1)
        self.base_pt.setSingleStep(0.5)
        self.base_pt.setSuffix(" pt")
        self.base_pt.setValue(settings.get(S.BASE_PT))
        self.large_print = QCheckBox("Print patient handouts in &large type")
        self.large_print.setChecked(settings.get(S.LARGE_PRINT))
        self.updates_folder = QLineEdit(settings.get(S.UPDATES_FOLDER))
        self.updates_folder.setAccessibleName("Updates folder")
        from_env = os.environ.get(UPDATES_ENV, "").strip()
        from_site = settings.site.updates_folder
        self.updates_folder.setPlaceholderText(
            f"{from_env} (from {UPDATES_ENV})" if from_env else f"{from_site} (site file)" if from_site else "None"
        )
        browse_folder = QPushButton("Bro&wse...")
        browse_folder.clicked.connect(self._pick_updates_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.updates_folder, 1)
        folder_row.addWidget(browse_folder)

        form = QFormLayout()
        form.addRow("&Clinic name:", self.clinic)
        form.addRow("&Phone:", self.phone)
        form.addRow("Af&ter-hours phone:", self.after_hours_phone)
        logo_label = QLabel("L&ogo:")
        logo_label.setBuddy(self.logo)
        form.addRow(logo_label, logo_row)
        form.addRow("P&aper size:", self.paper)
        form.addRow("Print &font size:", self.base_pt)
        form.addRow("", self.large_print)
        note = QLabel("The clinic name, phones and logo head every printed patient handout.")
        note.setWordWrap(True)
        form.addRow("", note)
        if settings.site.path is not None:  # clinic IT's defaults: shown greyed in the empty fields
            site_note = QLabel(
                f"Grey values and \u201c(site file)\u201d come from {settings.site.path}; "
                "type your own to use it instead. " + ("" if not settings.site.problems else describe(settings.site))
            )
            site_note.setWordWrap(True)
            form.addRow("", site_note)
        self.paper_from_site = settings.from_site(S.PAPER)
        if self.paper_from_site is not None:
            for index in range(self.paper.count()):
                if self.paper.itemData(index) == self.paper_from_site:
                    self.paper.setItemText(index, f"{self.paper.itemText(index)} (site file)")
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        form.addRow(rule)
        folder_label = QLabel("&Updates folder:")
        folder_label.setBuddy(self.updates_folder)
        form.addRow(folder_label, folder_row)
        folder_note = QLabel("Clinic IT puts new packs here; KetaRef offers a newer one when it starts.")
        folder_note.setWordWrap(True)
        form.addRow("", folder_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(600, self.sizeHint().height())

    def _pick_updates_folder(self) -> None:
        name = ask_folder(self, "Choose the updates folder", self.updates_folder.text())
        if name:
            self.updates_folder.setText(name)

    def _pick_logo(self) -> None:
        name = ask_logo(self, self.logo.text())
        if name:
            self.logo.setText(name)

    def accept(self) -> None:
        """Store the choices; a logo that cannot be printed is named now and the dialog stays open."""
        from ..errors import KetarefError
        from ..handout import check_logo

        logo = self.logo.text().strip()  # empty: the site file's, already checked when it was read
        try:
            check_logo(Path(logo) if logo else None)
        except KetarefError as exc:
            show_error(self, str(exc))
            self.logo.setFocus()
            self.logo.selectAll()
            return
        self.settings.set(S.CLINIC, self.clinic.text().strip())  # empty: the site file's applies
        self.settings.set(S.PHONE, self.phone.text().strip())
        self.settings.set(S.AFTER_HOURS_PHONE, self.after_hours_phone.text().strip())
        self.settings.set(S.LOGO, self.logo.text().strip())
        if self.paper.currentData() == self.paper_from_site:
            self.settings.unset(S.PAPER)  # follows the site file, also when clinic IT changes it
        else:
            self.settings.set(S.PAPER, self.paper.currentData())
        self.settings.set(S.BASE_PT, self.base_pt.value())
        self.settings.set(S.LARGE_PRINT, self.large_print.isChecked())
        self.settings.set(S.CLINIC_ASKED, True)
        self.settings.set(S.UPDATES_FOLDER, self.updates_folder.text().strip())
        self.settings.sync()
        super().accept()


class ClinicDialog(QDialog):
    """Before a patient handout is printed with no clinic phone: the clinic's name and phones for the page, or an
    explicit "Print without a clinic phone" (asked again at every print until a phone is known)."""

    def __init__(self, settings: S.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic details for handouts")
        self.settings = settings
        self.without_phone = False  # "Print without a clinic phone" was pressed: this print only, nothing stored
        intro = QLabel(
            "Patient handouts show your clinic's name and phone numbers at the top of the first page, so that a "
            "patient knows whom to call. You can change them later in File > Preferences."
        )
        intro.setWordWrap(True)
        self.clinic = QLineEdit(settings.get(S.CLINIC))
        self.clinic.setAccessibleName("Clinic name")
        self.phone = QLineEdit(settings.get(S.PHONE))
        self.phone.setAccessibleName("Clinic day phone")
        self.after_hours_phone = QLineEdit(settings.get(S.AFTER_HOURS_PHONE))
        self.after_hours_phone.setAccessibleName("Clinic after-hours phone")
        self.large_print = QCheckBox("&Large print")
        self.large_print.setChecked(settings.get(S.LARGE_PRINT))
        self.hint = QLabel("Type the clinic's phone, or choose Print without a clinic phone.")
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)
        form = QFormLayout()
        form.addRow("&Clinic name:", self.clinic)
        form.addRow("&Phone:", self.phone)
        form.addRow("&After-hours phone:", self.after_hours_phone)
        form.addRow("", self.large_print)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("C&ontinue")
        self.without_button = buttons.addButton("Print &without a clinic phone", QDialogButtonBox.ButtonRole.ActionRole)
        self.without_button.setAutoDefault(False)  # Enter never chooses it
        self.without_button.clicked.connect(self.print_without_phone)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def accept(self) -> None:
        """Store the details; with no phone the dialog stays open and says what to do."""
        if not self.phone.text().strip():
            self.hint.setVisible(True)
            self.phone.setFocus()
            return
        self.settings.set(S.CLINIC, self.clinic.text().strip())
        self.settings.set(S.PHONE, self.phone.text().strip())
        self.settings.set(S.AFTER_HOURS_PHONE, self.after_hours_phone.text().strip())
        self.settings.set(S.LARGE_PRINT, self.large_print.isChecked())
        self.settings.set(S.CLINIC_ASKED, True)
        self.settings.sync()
        super().accept()

    def print_without_phone(self) -> None:
        """The user's explicit choice: this print goes without a clinic phone (asked again next time)."""
        self.without_phone = True
        if self.clinic.text().strip():
            self.settings.set(S.CLINIC, self.clinic.text().strip())
        self.settings.set(S.LARGE_PRINT, self.large_print.isChecked())
        self.settings.set(S.CLINIC_ASKED, True)
        self.settings.sync()
        super().accept()
