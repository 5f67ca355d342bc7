"""Dialogs: errors, file pickers, preferences, the clinic prompt, About, shortcuts and card lists."""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..site import describe
from ..updates import UPDATES_ENV
from . import DISCLAIMER
from . import settings as S
from .actions import shortcut_rows

PAPERS = (("Letter", "letter"), ("A4", "a4"))
ABOUT_NOTE_LINES = 12  # release notes beyond this many lines go under "Show Details..."


def run_modal(dialog: QDialog) -> int:
    """Show a dialog until it closes, then let Qt delete it: a dialog made with the window as its parent would
    otherwise live, hidden, as long as the window. It opens within its screen."""
    from .geometry import fit_dialog

    fit_dialog(dialog)
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


def show_error(parent: QWidget | None, message: str) -> None:
    """The box for a problem the user can act on (a KetarefError's plain message)."""
    QMessageBox.warning(parent, "KetaRef", message)


def show_info(parent: QWidget | None, message: str) -> None:
    """The box for something the user asked about (there is nothing newer, nothing to go back to)."""
    QMessageBox.information(parent, "KetaRef", message)


def ask_open_pack(parent: QWidget | None, folder: str) -> Path | None:
    """The pack file the user picks, or None."""
    name, _ = QFileDialog.getOpenFileName(parent, "Open pack", folder, "KetaRef packs (*.sqlite *.db);;All files (*)")
    return Path(name) if name else None


def ask_pdf_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where to save a PDF, or None."""
    name, _ = QFileDialog.getSaveFileName(parent, "Export PDF", str(suggested), "PDF files (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def ask_logo(parent: QWidget | None, current: str) -> str | None:
    """An image file for the handout header, or None."""
    name, _ = QFileDialog.getOpenFileName(parent, "Choose a logo", current, "PNG or JPEG images (*.png *.jpg *.jpeg)")
    return name or None


def ask_folder(parent: QWidget | None, title: str, current: str) -> str | None:
    """A folder the user picks, or None."""
    name = QFileDialog.getExistingDirectory(parent, title, current)
    return name or None


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


def _when(stamp: str) -> str:
    """An ISO timestamp as "2026-11-27 06:46 UTC" (as stored, when it is not one)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.utcoffset() == dt.timedelta(0) else "")


def about_text(app_version: str, info: dict[str, object], pack_path: Path, notes: str | None = None) -> str:
    """Help > About: app version, pack content version, build date, card count, what changed, and the disclaimer."""
    esc = html.escape
    changes = ""
    if notes:
        lines = notes.splitlines()
        shown = "<br>".join(esc(line).replace("  ", "&nbsp;&nbsp;") for line in lines[:ABOUT_NOTE_LINES])
        more = len(lines) - ABOUT_NOTE_LINES
        if more > 0:
            shown += f"<br>... and {more} more line(s) under Show Details."
        changes = f"<p><b>What changed in this pack:</b><br>{shown}</p>"
    return (
        f"<h3>KetaRef {esc(app_version)}</h3>"
        "<p>Offline reference on ketamine and esketamine for depression.</p>"
        f"<p>Pack content version <b>{esc(str(info['content_version']))}</b>, "
        f"built {esc(_when(str(info['built_at'])))}, {esc(str(info['cards']))} cards."
        + (f"<br>Signature: {esc(str(info['signature']))}" if info.get("signature") else "")
        + f"<br><small>{esc(str(pack_path))}</small></p>"
        f"{changes}"
        f"<p><b>{esc(DISCLAIMER)}</b></p>"
    )


def show_about(parent: QWidget | None, text: str, details: str = "") -> None:
    """Show the About box; details (release notes too long for it) go behind its "Show Details..." button."""
    if not details:
        QMessageBox.about(parent, "About KetaRef", text)
        return
    box = QMessageBox(QMessageBox.Icon.Information, "About KetaRef", text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setDetailedText(details)
    run_modal(box)


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts, generated from the action table."""

    def __init__(self, parent: QWidget | None = None, extra: Sequence[tuple[str, str, str]] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows() + list(extra)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Command", "Keys", "Where"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for n, row in enumerate(rows):
            for column, text in enumerate(row):
                self.table.setItem(n, column, QTableWidgetItem(text))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 640)


class CardListDialog(QDialog):
    """A list of cards (bookmarks or recently viewed) to open one from, optionally removing entries."""

    def __init__(
        self,
        title: str,
        cards: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        remove: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chosen: str | None = None
        self._remove = remove
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.setWordWrap(True)
        for card_id, card_title in cards:
            item = QListWidgetItem(card_title)
            item.setData(Qt.ItemDataRole.UserRole, card_id)
            item.setToolTip(card_id)
            self.list.addItem(item)
        if cards:
            self.list.setCurrentRow(0)
        empty = QLabel("No cards yet." if not cards else "")
        empty.setVisible(not cards)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self._open)
        buttons.rejected.connect(self.reject)
        if remove is not None:
            remove_button = buttons.addButton("&Remove", QDialogButtonBox.ButtonRole.ActionRole)
            remove_button.clicked.connect(self._remove_current)
        self.list.itemActivated.connect(lambda _item: self._open())
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def _open(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = item.data(Qt.ItemDataRole.UserRole)
            self.accept()

    def _remove_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and self._remove is not None:
            self._remove(item.data(Qt.ItemDataRole.UserRole))
            self.list.takeItem(self.list.row(item))
