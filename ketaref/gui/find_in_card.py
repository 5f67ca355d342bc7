"""Find in card: the find bar's matches highlighted in the card, and the search's words marked in a card opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from ..search.text import mark_pattern
from .results import mix

if TYPE_CHECKING:
    from ..model import Card, SearchResult
    from .find_bar import FindBar


class FindInCard(QWidget):
    """The card view's find in card (CardView, in card_view.py, builds the browser and the find bar)."""

    browser: QTextBrowser
    find_bar: FindBar
    card: Card | None
    # Set in CardView.__init__: the search's words marked in a card opened from the results (see there).
    _words_text: str
    _words: QRegularExpression
    _current_match = 0  # the match last selected (0-based), highlighted again after a re-render

    def open_find(self) -> None:
        """Show the find bar with its text selected."""
        self.find_bar.show()
        self.find_bar.edit.setFocus()
        self.find_bar.edit.selectAll()
        if self.find_bar.edit.text():
            self.find_text(self.find_bar.edit.text(), 0)

    def close_find(self) -> None:
        """Hide the find bar and its highlights; the card keeps the focus."""
        self.find_bar.hide()
        self.browser.setExtraSelections([])
        self.browser.setFocus()

    def find_again(self, backward: bool) -> None:
        """F3 / Shift+F3: the next or previous match (opens the find bar when it is closed)."""
        if not self.find_bar.isVisible() or not self.find_bar.edit.text():
            self.open_find()
            return
        self.find_text(self.find_bar.edit.text(), -1 if backward else 1)

    def matches(self, text: str) -> list[QTextCursor]:
        """Every case-insensitive match of text in the card, in order (of the search's words while they are
        marked and text is theirs)."""
        found: list[QTextCursor] = []
        if not text:
            return found
        document = self.browser.document()
        what: str | QRegularExpression = self._words if self._words_text and text == self._words_text else text
        cursor = document.find(what, 0)
        while not cursor.isNull():
            found.append(cursor)
            cursor = document.find(what, cursor)
        return found

    def mark_words(self, result: SearchResult | None, card_id: str) -> int:
        """Mark the search's words in the card just opened from its results, as Find in card does, and scroll to
        the first; F3 and Shift+F3 move through them, Esc or typing in the find bar ends it. The match count."""
        if result is None or not result.terms or self.card is None or self.card.id != card_id:
            return 0
        options = QRegularExpression.PatternOption
        self._words = QRegularExpression(
            mark_pattern(result.terms), options.CaseInsensitiveOption | options.UseUnicodePropertiesOption
        )  # Unicode: "presi" marks the whole of "presión"
        self._words_text = result.corrected_query or result.query.strip()
        self.find_bar.edit.blockSignals(True)
        self.find_bar.edit.setText(self._words_text)
        self.find_bar.edit.blockSignals(False)
        self.find_bar.show()
        return self.find_text(self._words_text, 0)[1]

    def _unmark_words(self) -> None:
        """Another card: the search's words are no longer marked (a text typed into the find bar stays)."""
        if self._words_text and self.find_bar.edit.text() == self._words_text:
            self.find_bar.edit.blockSignals(True)
            self.find_bar.edit.clear()
            self.find_bar.edit.blockSignals(False)
            self.find_bar.hide()
            self.find_bar.set_count(0, 0)
            self.browser.setExtraSelections([])
        self._words_text = ""

    def find_text(self, text: str, direction: int) -> tuple[int, int]:
        """Select a match (0: the one at or after the cursor, 1: next, -1: previous), highlight all; (n, total)."""
        found = self.matches(text)
        if not found:
            cursor = self.browser.textCursor()
            cursor.clearSelection()
            self.browser.setTextCursor(cursor)
            self.browser.setExtraSelections([])
            self.find_bar.set_count(0, 0)
            return 0, 0
        cursor = self.browser.textCursor()
        if direction < 0:
            before = [n for n, match in enumerate(found) if match.selectionStart() < cursor.selectionStart()]
            current = before[-1] if before else len(found) - 1
        else:
            start = cursor.selectionStart() if direction == 0 else cursor.selectionStart() + 1
            after = [n for n, match in enumerate(found) if match.selectionStart() >= start]
            current = after[0] if after else 0
        self.browser.setTextCursor(found[current])
        self.browser.ensureCursorVisible()
        self._highlight(found, current)
        self.find_bar.set_count(current + 1, len(found))
        return current + 1, len(found)

    def rehighlight(self) -> None:
        """After the card is rendered again (a new palette): the same matches highlighted, in the new colours,
        the same one current; the scroll position is the caller's to keep."""
        text = self.find_bar.edit.text()
        found = self.matches(text) if self.find_bar.isVisible() else []
        if not found:
            return
        current = min(self._current_match, len(found) - 1)
        self.browser.setTextCursor(found[current])
        self._highlight(found, current)
        self.find_bar.set_count(current + 1, len(found))

    def _highlight(self, found: list[QTextCursor], current: int) -> None:
        self._current_match = current
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        selections = []
        for n, match in enumerate(found):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = match
            if n == current:  # set apart by more than colour: underlined as well
                selection.format.setBackground(palette.color(QPalette.ColorRole.Highlight))
                selection.format.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
                selection.format.setFontUnderline(True)
            else:
                selection.format.setBackground(mix(base, palette.color(QPalette.ColorRole.Highlight), 0.35))
                selection.format.setForeground(text)
            selections.append(selection)
        self.browser.setExtraSelections(selections)
