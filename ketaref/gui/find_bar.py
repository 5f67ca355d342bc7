"""The find-in-card bar: a box, previous/next buttons, a match count and a close button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Asks for the words to find; the card view does the finding and reports the count back."""

    find_requested = Signal(str, int)  # text, direction: 0 as you type, 1 next, -1 previous
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in card")
        self.edit.setAccessibleName("Find in card")
        self.edit.setClearButtonEnabled(True)
        label = QLabel("Fi&nd:")
        label.setBuddy(self.edit)
        self.previous = QToolButton()
        self.previous.setText("Previous")
        self.previous.setAccessibleName("Previous match")
        self.previous.setToolTip("Previous match (Shift+F3)")
        self.next = QToolButton()
        self.next.setText("Next")
        self.next.setAccessibleName("Next match")
        self.next.setToolTip("Next match (F3)")
        self.count = QLabel()
        self.count.setAccessibleName("Matches")
        self.count.setMinimumWidth(90)
        close = QToolButton()
        close.setText("Close")
        close.setAccessibleName("Close find bar")
        close.setToolTip("Close the find bar (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (label, self.edit, self.previous, self.next, self.count, close):
            layout.addWidget(widget, 1 if widget is self.edit else 0)
        self.edit.textChanged.connect(lambda text: self.find_requested.emit(text, 0))
        self.edit.returnPressed.connect(self._return)
        self.previous.clicked.connect(lambda: self.find_requested.emit(self.edit.text(), -1))
        self.next.clicked.connect(lambda: self.find_requested.emit(self.edit.text(), 1))
        close.clicked.connect(self.closed.emit)
        self.setFocusProxy(self.edit)

    def _return(self) -> None:
        backward = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.find_requested.emit(self.edit.text(), -1 if backward else 1)

    def set_count(self, current: int, total: int) -> None:
        """Show "n of m", or that nothing matched."""
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("Not found")
        else:
            self.count.setText(f"{current} of {total}")
