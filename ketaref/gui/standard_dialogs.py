"""The standard dialogs: running a dialog modally, the message boxes and the file and folder pickers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget


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
