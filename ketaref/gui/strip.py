"""The message strip above the results and card: what saving, printing and updates did, with Open and Show in folder."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from .banners import Banner

# How long a confirmation stays in the strip; errors and warnings stay until dismissed.
CONFIRMATION_MS = 15_000
PREFIXES = {"INFO": "", "WARNING": "<b>Warning:</b> ", "ERROR": "<b>Error:</b> "}


class MessageStrip(Banner):
    """One message at a time, where the user is looking; the words say how serious it is, not only the tint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Message", parent)
        self.label.setAccessibleName("Message")
        self.file: Path | None = None
        self.message = ""  # the text on show, plain ("" when hidden)
        self.open_button = self.add_button("O&pen file", "Open the file")
        self.folder_button = self.add_button("Show in fol&der", "Show the file in its folder")
        self.dismiss_button = self.add_button("Dis&miss", "Dismiss the message")
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.show_folder)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        self.hide()

    def say(self, text: str, level: str, file: Path | None = None, stays: bool = False) -> None:
        """Show a message (level "INFO", "WARNING" or "ERROR"); a file gets Open and Show in folder; a
        confirmation goes after CONFIRMATION_MS unless it stays (errors and warnings always do)."""
        self.file = file
        self.label.setText(PREFIXES.get(level, "") + html.escape(text))
        self.message = text
        self.setAccessibleDescription(text)
        self.open_button.setVisible(file is not None)
        self.folder_button.setVisible(file is not None)
        self.show()
        if stays or level != "INFO":
            self.timer.stop()
        else:
            self.timer.start(CONFIRMATION_MS)

    def dismiss(self) -> None:
        """Take the message down."""
        self.timer.stop()
        self.file = None
        self.message = ""
        self.label.clear()
        self.hide()

    def open_file(self) -> None:
        """Open the file in the program the system uses for it."""
        if self.file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.file)))

    def show_folder(self) -> None:
        """Open the folder that holds the file."""
        if self.file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.file.parent)))
