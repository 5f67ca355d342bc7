"""The page-break rules: read off a laid-out sheet where the next break should go, one method per rule."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QTextBlock, QTextDocument, QTextList, QTextTable

    from .layout import Page

START_SLACK_PT = 30  # a block this close to the top of its page already starts the page


class BreakKind(enum.Enum):
    """How a break moves content on to the next page."""

    BLOCK = "block"  # a page break before a block
    TABLE = "table"  # a page break before a table
    ROW = "row"  # a table longer than a page cut in two between rows
    PUSH = "push"  # space added above a list item, so that it starts the next page


@dataclass(frozen=True)
class Break:
    """One page break for the sheet's next layout."""

    kind: BreakKind
    index: int  # the block number (BLOCK, PUSH), or the table's index among the document's tables (TABLE, ROW)
    row: int = 0  # ROW: the first row of the second half (header rows count)
    pixels: int = 0  # PUSH: device pixels of space added above the item

    def __str__(self) -> str:
        if self.kind is BreakKind.ROW:
            return f"table {self.index} cut before row {self.row}"
        if self.kind is BreakKind.PUSH:
            return f"block {self.index} moved down {self.pixels} px"
        return f"a page break before {self.kind.value} {self.index}"

    @classmethod
    def before_block(cls, number: int) -> Break:
        """A page break before block number."""
        return cls(BreakKind.BLOCK, number)

    @classmethod
    def before_table(cls, index: int) -> Break:
        """A page break before the index-th table."""
        return cls(BreakKind.TABLE, index)

    @classmethod
    def between_rows(cls, index: int, row: int) -> Break:
        """The index-th table cut before row, its second half starting a page."""
        return cls(BreakKind.ROW, index, row=row)

    @classmethod
    def push(cls, number: int, pixels: int) -> Break:
        """Block number (a list item) moved down by pixels of space above it."""
        return cls(BreakKind.PUSH, number, pixels=pixels)


def tables_of(doc: QTextDocument) -> list[QTextTable]:
    """The document's top-level tables, in document order."""
    from PySide6.QtGui import QTextDocument, QTextTable

    assert isinstance(doc, QTextDocument)
    return [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]


class Paginator:
    """The page-break rules over one laid-out document: before a heading stranded at a page foot, or before a
    short list or a table that would split but fits on a page (with the heading, and a paragraph under it, that
    lead into it). Relaxed, a short list of four items or more may split too, to save a near-empty last page."""

    def __init__(self, doc: QTextDocument, page: Page, relaxed: bool = False) -> None:
        self.doc = doc
        self.layout = doc.documentLayout()
        self.height = page.body
        self.slack = page.pt(START_SLACK_PT)
        self.relaxed = relaxed
        doc.pageCount()  # lays the document out
        self.tables = tables_of(doc)

    def next_break(self, done: Sequence[Break]) -> Break | None:
        """Where the next page break should go; None when the pages are settled. Breaks in done (already placed)
        are not suggested again."""
        # In document order, so that each new break lies below the ones already placed and never unsettles them.
        table_at = {table.firstPosition(): index for index, table in enumerate(self.tables)}
        block = self.doc.begin()
        while block.isValid():
            wanted = self.table_break(table_at[block.position()]) if block.position() in table_at else None
            if wanted is None:
                wanted = self.heading_break(block)
            if wanted is None:
                wanted = self.list_break(block)
            if wanted is None:
                wanted = self.list_item_break(block)
            if wanted is not None and wanted not in done:
                return wanted
            block = block.next()
        return None

    def page_of(self, y: float) -> int:
        """The page (from 0) that a y position in the document falls on."""
        return int(y // self.height)

    def starts_page(self, y: float) -> bool:
        """True when y lies so close to the top of its page that what is there already starts the page."""
        return y - self.page_of(y) * self.height < self.slack

    def with_heading(self, block: QTextBlock) -> QTextBlock:
        """Whatever moves to the next page takes the headings just above it along: the first of them."""
        while block.previous().isValid() and block.previous().blockFormat().headingLevel() > 0:
            block = block.previous()
        return block

    def first_line_bottom(self, block: QTextBlock) -> float:
        """Where the block's first line ends."""
        top = self.layout.blockBoundingRect(block).top()
        return top + (block.layout().lineAt(0).height() if block.layout().lineCount() else 0.0)

    def heading_break(self, block: QTextBlock) -> Break | None:
        """A heading keeps at least the first line of what follows it (three lines of a paragraph)."""
        top = self.layout.blockBoundingRect(block).top()
        following = block.next()
        if block.blockFormat().headingLevel() == 0 or not following.isValid() or self.starts_page(top):
            return None
        lines = min(3, max(1, following.layout().lineCount())) if following.textList() is None else 1
        line = following.layout().lineAt(0).height() if following.layout().lineCount() else 0.0
        if self.page_of(self.first_line_bottom(following) + (lines - 1) * line) != self.page_of(top):
            return Break.before_block(self.with_heading(block).blockNumber())
        return None

    def table_break(self, index: int) -> Break | None:
        """A table that fits on a page is not split: it moves on with what leads into it (a heading, or a heading
        and one paragraph under it). A longer one splits between rows (row_break)."""
        table = self.tables[index]
        rect = self.layout.frameBoundingRect(table)
        # The space under a table may run past the page foot: only its border has to fit.
        rect.setBottom(rect.bottom() - table.frameFormat().bottomMargin() - 1)
        if rect.height() >= self.height:
            return self.row_break(index)
        splits = self.page_of(rect.bottom()) != self.page_of(rect.top()) and not self.starts_page(rect.top())
        lead = self.doc.findBlock(table.firstPosition() - 1)
        heading_first = lead.isValid() and lead.blockFormat().headingLevel() > 0
        intro = lead.previous() if lead.isValid() and lead.textList() is None else None
        start = None
        if heading_first:
            start = self.with_heading(lead)
        elif intro is not None and intro.isValid() and intro.blockFormat().headingLevel() > 0:
            start = self.with_heading(intro)
        if start is not None:
            top = self.layout.blockBoundingRect(start).top()
            together = self.layout.blockBoundingRect(lead).bottom() - top + rect.height()
            if not self.starts_page(top) and self.page_of(top) != self.page_of(rect.bottom()):
                if together < self.height or (heading_first and splits):
                    return Break.before_block(start.blockNumber())
        return Break.before_table(index) if splits else None

    def row_break(self, index: int) -> Break | None:
        """A table longer than a page splits, but between two rows, never inside one: a result read on the next
        page without its trial's name could be put to the wrong trial."""
        table = self.tables[index]
        header_rows = table.format().headerRowCount()
        for row in range(header_rows, table.rows()):
            cells = [table.cellAt(row, column) for column in range(table.columns())]
            top = min(self.layout.blockBoundingRect(c.firstCursorPosition().block()).top() for c in cells)
            bottom = max(self.layout.blockBoundingRect(c.lastCursorPosition().block()).bottom() for c in cells)
            if self.page_of(top) != self.page_of(bottom) and bottom - top < self.height / 2:
                if row == header_rows:  # not even the first row fits under the header: the table moves
                    starts = self.starts_page(self.layout.frameBoundingRect(table).top())
                    if starts:
                        return None
                    lead = self.doc.findBlock(table.firstPosition() - 1)
                    if lead.isValid() and lead.blockFormat().headingLevel() > 0:  # with its heading
                        start = self.with_heading(lead)
                        if not self.starts_page(self.layout.blockBoundingRect(start).top()):
                            return Break.before_block(start.blockNumber())
                    return Break.before_table(index)
                return Break.between_rows(index, row)
        return None

    def list_break(self, block: QTextBlock) -> Break | None:
        """At a list's first item: a short list moves whole to the next page with what leads into it; a longer
        one may split between two items, with at least two on each page."""
        listed = block.textList()
        if listed is None or listed.item(0) != block or not block.previous().isValid():
            return None
        return self._list_break(listed, block)

    def _list_break(self, listed: QTextList, first_item: QTextBlock) -> Break | None:
        # The break goes on the sentence or heading that leads into the list: Qt's layout stops early when a list
        # item carries one. No item is left alone under its heading or at the top of the next page; moving a long
        # list whole would leave a third of a page or more blank, mostly in large print. When fewer than two items
        # would stay, the list moves with its lead whatever its length.
        lead = self.with_heading(first_item.previous())
        lead_top = self.layout.blockBoundingRect(lead).top()
        items = [listed.item(number) for number in range(listed.count())]
        bottom = self.layout.blockBoundingRect(items[-1]).bottom()
        if lead.textList() is not None or self.starts_page(lead_top) or self.page_of(bottom) == self.page_of(lead_top):
            return None
        here = sum(
            self.page_of(self.layout.blockBoundingRect(item).bottom() - 1) == self.page_of(lead_top) for item in items
        )
        whole = bottom - lead_top
        short = len(items) < 4 or (
            not self.relaxed and bottom - self.layout.blockBoundingRect(first_item).top() < self.height / 4
        )
        if here < 2 or (whole < self.height / 2 and short):
            return Break.before_block(lead.blockNumber())
        if len(items) >= 4 and len(items) - here < 2:
            return self.push(items[-2])
        return None

    def list_item_break(self, block: QTextBlock) -> Break | None:
        """A list item is read whole: one that would run over the page foot moves to the next page."""
        if block.textList() is None or block.layout().lineCount() < 2:
            return None
        item = block.layout()
        first = item.position().y() + item.lineAt(0).y()
        last = item.lineAt(item.lineCount() - 1)
        bottom = item.position().y() + last.y() + last.height()
        if self.page_of(first) != self.page_of(bottom - 1) and bottom - first < self.height / 4:
            return self.push(block)
        return None

    def push(self, item: QTextBlock) -> Break:
        """Space enough above a list item that its first line no longer fits: Qt then starts it on the next page.
        (A margin taller than what is left of the page would go along with it, and a page break on a list item
        stops Qt's layout early.)"""
        lines = item.layout()
        first = lines.position().y() + lines.lineAt(0).y()
        left = (self.page_of(first) + 1) * self.height - first
        return Break.push(item.blockNumber(), max(1, int(left - lines.lineAt(0).height() / 2)))
