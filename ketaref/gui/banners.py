"""Strips across the top of the window that say something without a modal dialog: the disclaimer, a pack update."""

from __future__ import annotations

import html

from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from . import DISCLAIMER
from .results import mix


class Banner(QFrame):
    """A tinted strip with a message and buttons at the right; the words carry the meaning, not the tint."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self._layout.addWidget(self.label, 1)

    def add_button(self, text: str, accessible_name: str) -> QPushButton:
        """A button at the right end of the strip."""
        button = QPushButton(text)
        button.setAccessibleName(accessible_name)
        self._layout.addWidget(button)
        return button

    def paintEvent(self, event: QPaintEvent) -> None:
        """A tint of the palette's highlight, so the strip stands out in light and dark themes alike."""
        palette = self.palette()
        painter = QPainter(self)
        tint = mix(palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Highlight), 0.18)
        painter.fillRect(self.rect(), tint)
        painter.end()
        super().paintEvent(event)


class DisclaimerBanner(Banner):
    """The first-run disclaimer: a strip in the window, never a modal dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Disclaimer", parent)
        self.label.setText(f"<b>Important:</b> {DISCLAIMER}")
        self.button = self.add_button("I &understand", "I understand the disclaimer")


class UpdateBanner(Banner):
    """A newer pack is in the updates folder: review it now, or not now (hidden until one is found)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Pack update", parent)
        self.review_button = self.add_button("&Review update...", "Review the pack update")
        self.not_now_button = self.add_button("N&ot now", "Not now: hide the pack update notice")
        self.hide()

    def offer(self, new_version: str, current_version: str) -> None:
        """Say which content version is available and which one is in use, and show the strip."""
        self.label.setText(
            f"<b>A newer reference pack is available:</b> content {html.escape(new_version)} "
            f"(you have {html.escape(current_version)})."
        )
        self.show()
