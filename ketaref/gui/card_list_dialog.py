"""The card list dialog: bookmarks or recently viewed cards, to open one from or remove entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget


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
