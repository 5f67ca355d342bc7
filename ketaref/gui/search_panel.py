"""The search box, category filter and results list; queries go to the worker and stale answers are dropped."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..model import CATEGORIES, CATEGORY_LABELS, Hit, SearchResult
from ..search import relaxed_notice
from .dose_line import DoseLine
from .results import HIT_ROLE, ResultsModel, ResultsView, browse_rows, search_rows
from .search_worker import RESULT_LIMIT, Answer, Request, SearchWorker

log = logging.getLogger(__name__)


def cards_count(count: int) -> str:
    """ "12 cards", "1 card", "No cards": the count shown beside the category filter."""
    if count >= RESULT_LIMIT:
        return f"{count}+ cards"
    return "No cards" if count == 0 else "1 card" if count == 1 else f"{count} cards"


class SearchPanel(QWidget):
    """Search as you type, or browse every card by category when the box is empty."""

    card_requested = Signal(str)  # a card id to open
    results_shown = Signal(int)  # the sequence number of the answer now on screen

    def __init__(self, pack_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Search cards: word, drug, abbreviation...")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Search cards")
        self.edit.setAccessibleDescription(
            "Results follow each keystroke; Down and Up move through them, Enter opens one."
        )
        self.category = QComboBox()
        self.category.setAccessibleName("Category filter")
        self.category.addItem("All categories", None)
        for name in CATEGORIES:
            self.category.addItem(CATEGORY_LABELS[name], name)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Search status")
        self.all_categories = QPushButton("Search a&ll categories")
        self.all_categories.setAccessibleName("Search all categories")
        self.all_categories.setToolTip("Clear the category filter and search again")
        self.all_categories.hide()
        self.count = QLabel()
        self.count.setAccessibleName("Result count")
        self.model = ResultsModel(self)
        self.list = ResultsView()
        self.list.setModel(self.model)
        self.list.setAccessibleName("Search results")
        label = QLabel("&Search:")
        label.setBuddy(self.edit)
        category_label = QLabel("C&ategory:")
        category_label.setBuddy(self.category)

        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.edit, 1)
        filters = QHBoxLayout()
        filters.addWidget(category_label)
        filters.addWidget(self.category, 1)
        filters.addWidget(self.count)
        notices = QHBoxLayout()
        notices.addWidget(self.notice, 1)
        notices.addWidget(self.all_categories, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(notices)
        self.dose_line = DoseLine()  # a query with a weight: the dose, and a link to the calculator
        layout.addWidget(self.dose_line)
        layout.addWidget(self.list, 1)
        # Tab from the search box goes to the results, then to the category filter.
        QWidget.setTabOrder(self.edit, self.list)
        QWidget.setTabOrder(self.list, self.category)
        QWidget.setTabOrder(self.category, self.all_categories)

        self._seq = 0
        self._shown = -1
        self._open_when_ready = False
        self._result: SearchResult | None = None
        self.worker = SearchWorker(pack_path, self)
        self.worker.answered.connect(self._show)
        self.edit.textChanged.connect(self.refresh)
        self.edit.textChanged.connect(self.dose_line.show_for)
        self.edit.returnPressed.connect(self.open_current)  # when the window's Enter shortcut is not active
        self.category.currentIndexChanged.connect(self.refresh)
        self.all_categories.clicked.connect(self.search_all_categories)
        self.list.clicked.connect(self._clicked)
        self.list.activated.connect(self._activated)
        self.setFocusProxy(self.edit)
        self.refresh()

    @property
    def result(self) -> SearchResult | None:
        """The search whose results are on screen (None while browsing)."""
        return self._result

    def search_all_categories(self) -> None:
        """Clear the category filter (the search runs again over every card); the focus goes to the search box."""
        self.category.setCurrentIndex(0)
        self.edit.setFocus()

    @property
    def up_to_date(self) -> bool:
        """True when the list shows the answer to the latest query."""
        return self._shown == self._seq

    def set_pack(self, pack_path: Path) -> None:
        """Search another pack from now on."""
        self.worker.stop()
        self.worker = SearchWorker(pack_path, self)
        self.worker.answered.connect(self._show)
        self.refresh()

    def shutdown(self) -> None:
        """Stop the worker thread (the window is closing)."""
        self.worker.stop()

    def refresh(self) -> None:
        """Ask for the results of the box's text and the category filter (answered on the worker)."""
        self._seq += 1
        self.worker.submit(Request(self._seq, self.edit.text(), self.category.currentData()))

    def clear(self) -> None:
        """Empty the search box (back to browsing) and put the focus in it."""
        self.edit.clear()
        self.edit.setFocus()

    def focus_search(self) -> None:
        """Focus the search box with its text selected, ready to type over."""
        self.edit.setFocus()
        self.edit.selectAll()

    def step(self, delta: int) -> None:
        """Move through the results from the search box."""
        self.list.step(delta)

    def open_current(self) -> None:
        """Open the selected result (the first one when none is; the final query's when typing ran ahead)."""
        if not self.up_to_date:
            self._open_when_ready = True
            return
        index = self.list.currentIndex()
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if hit is None:
            row = self.model.first_hit_row()
            hit = self.model.rows[row].hit if row >= 0 else None
        if hit is not None:
            self.card_requested.emit(hit.id)

    def mark_shown(self, card_id: str) -> None:
        """Make the card on show the current result, or none when it is not in the list (after Back, a link).

        Several results selected for a packet stay selected.
        """
        if len(self.list.selectionModel().selectedIndexes()) > 1:
            return
        row = next((n for n, r in enumerate(self.model.rows) if r.hit is not None and r.hit.id == card_id), -1)
        if row >= 0:
            self.model.load_to(row)
            self.list.setCurrentIndex(self.model.index(row, 0))
        else:
            self.list.selectionModel().clear()

    def selected_hits(self) -> list[Hit]:
        """The selected results, in list order."""
        rows = sorted(index.row() for index in self.list.selectionModel().selectedIndexes())
        return [hit for row in rows if (hit := self.model.rows[row].hit) is not None]

    def handout_hits(self) -> list[Hit]:
        """The handouts among the results on screen."""
        return [row.hit for row in self.model.rows if row.hit is not None and row.hit.audience == "patient"]

    def _show(self, answer: Answer) -> None:
        if answer.request.seq != self._seq:
            return  # a newer query is on its way
        self._shown = answer.request.seq
        self._result = answer.result
        filtered = answer.request.category is not None
        if answer.error:
            self.model.set_rows([])
            self.notice.setText(html.escape(answer.error))
            self.count.setText("")
        elif answer.result is not None:
            result = answer.result
            self.model.set_rows(search_rows(result.results))
            self.notice.setText(self._notice(result, answer.request.category))
            self.count.setText(cards_count(len(result.results)))
        else:
            self.model.set_rows(browse_rows(answer.browse))
            self.notice.setText(f"All {len(answer.browse)} cards by category. Type to search." if answer.browse else "")
            self.count.setText(cards_count(len(answer.browse)))
        self.notice.setVisible(bool(self.notice.text()))
        none_here = answer.result is not None and not answer.result.results and bool(answer.result.query.strip())
        self.all_categories.setVisible(filtered and none_here)
        row = self.model.first_hit_row()
        if row >= 0 and answer.result is not None:
            self.list.setCurrentIndex(self.model.index(row, 0))  # Enter opens the best match
        self.list.scrollToTop()
        self.results_shown.emit(answer.request.seq)
        if self._open_when_ready:
            self._open_when_ready = False
            self.open_current()

    @staticmethod
    def _notice(result: SearchResult, category: str | None = None) -> str:
        parts = []
        if result.corrected_query:
            corrected, unmatched = html.escape(result.corrected_query), html.escape(result.replaced)
            parts.append(f"Showing results for <b>{corrected}</b> (no card has “{unmatched}”).")
        if relaxed := relaxed_notice(result, "“”"):
            parts.append(html.escape(relaxed) + ".")
        if not result.results:
            where = f" in {CATEGORY_LABELS.get(category, category)}" if category else ""
            parts.append(f"No cards{where} match “{html.escape(result.query)}”. Try fewer or other words.")
        return " ".join(parts)

    def _clicked(self, index: QModelIndex) -> None:
        if QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.card_requested.emit(hit.id)
