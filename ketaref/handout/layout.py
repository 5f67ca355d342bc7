"""Each card laid out in pages for one device: page geometry, the document with its breaks, the passes placing them.

A form shrinks to fit one page; a sheet whose last page would hold little is tried set closer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Card
from .options import PrintOptions
from .paginate import Break, BreakKind, Paginator, tables_of
from .sheet import FONT_FAMILIES, card_print_html, is_form, print_stylesheet, split_table

if TYPE_CHECKING:
    from PySide6.QtGui import QPagedPaintDevice, QTextDocument

log = logging.getLogger(__name__)

HEADER_PT = 62.0  # the header band of every page (larger in large print)
FOOTER_PT = 46.0
MIN_FORM_PT = 8.5  # a tick-box form shrinks to this at the least to fit one page
FORM_SPACING = 0.4  # a form's paragraphs and items sit closer, so that it fits one page at a readable size
SNUG_SPACING = 0.6  # tried on a sheet whose last page holds little: used when it saves that page
LIGHT_LAST_PAGE = 0.35
RELAXED = "ketaref_relaxed"  # document property: short lists of 4 items or more were let split to save a page
MAX_PASSES = 20  # layouts tried for one sheet, each with one break more than the last


class Page:
    """Page geometry in device pixels; scale enlarges the header and footer (large print)."""

    def __init__(self, device: QPagedPaintDevice, scale: float = 1.0) -> None:
        from PySide6.QtGui import QPagedPaintDevice

        assert isinstance(device, QPagedPaintDevice)
        self.dpi = device.logicalDpiY()
        self.scale = scale
        self.width = float(device.width())
        self.height = float(device.height())
        self.header = self.pt(HEADER_PT * scale)
        self.footer = self.pt(FOOTER_PT * scale)
        self.body = self.height - self.header - self.footer

    def pt(self, points: float) -> float:
        """Points in device pixels."""
        return points * self.dpi / 72.0

    @classmethod
    def for_card(cls, device: QPagedPaintDevice, options: PrintOptions, card: Card) -> Page:
        """A large-print handout's clinic name, phone and page footer grow with its text."""
        return cls(device, options.chrome_scale(card))


@dataclass(frozen=True)
class Job:
    """One card to lay out for one device."""

    card: Card
    titles: Mapping[str, str]
    options: PrintOptions
    device: QPagedPaintDevice
    page: Page

    @functools.cached_property
    def html(self) -> str:
        """The sheet's HTML (the same for every pass)."""
        return card_print_html(self.card, self.titles, self.options)


def lay_out(job: Job, pt: float, spacing: float = 1.0, relaxed: bool = False) -> QTextDocument:
    """The card laid out in pages, with page breaks that keep headings and tables together."""
    breaks: list[Break] = []  # in the order found: each was found in a document that had the ones before it
    for _ in range(MAX_PASSES):
        doc = build_document(job, pt, breaks, spacing)
        doc.setProperty(RELAXED, relaxed)
        needed = Paginator(doc, job.page, relaxed).next_break(breaks)
        if needed is None:
            return doc
        breaks.append(needed)
    log.warning(
        "Pagination of %s did not settle in %d passes: printed with %d page breaks and %s still wanted",
        job.card.id,
        MAX_PASSES,
        len(breaks) - 1,
        breaks[-1],
    )
    return doc


def build_document(job: Job, pt: float, breaks: Sequence[Break], spacing: float) -> QTextDocument:
    """A fresh document of the sheet at pt, its blocks spaced by spacing, with these breaks in place."""
    # Breaks go in before the first layout: Qt's incremental relayout of a paginated document
    # can stop early when a page break is added afterwards.
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QFont, QTextCursor, QTextFormat

    from .offline import OfflineDocument

    doc = OfflineDocument()  # loads no image or file a card names
    doc.documentLayout().setPaintDevice(job.device)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(pt)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(print_stylesheet(pt, spacing))
    doc.setDocumentMargin(0)
    html_text = job.html
    continued = []  # tables that go on from a table split between two rows
    for cut in breaks:
        if cut.kind is BreakKind.ROW:
            html_text = split_table(html_text, cut.index, cut.row)
            continued.append(cut.index + 1)
    doc.setHtml(html_text)
    # Qt's HTML import keeps headings tight after a paragraph whatever the CSS says: set the space here.
    block = doc.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level in (2, 3) and block.blockNumber() > 0:
            fmt = block.blockFormat()
            fmt.setTopMargin(pt * (0.85 if level == 2 else 0.7) * max(spacing, 0.75) * 96 / 72)  # CSS pixels
            QTextCursor(block).setBlockFormat(fmt)
        block = block.next()
    always = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    tables = tables_of(doc)
    for cut in breaks:
        if cut.kind is BreakKind.BLOCK:
            block = doc.findBlockByNumber(cut.index)
            fmt = block.blockFormat()
            fmt.setPageBreakPolicy(always)
            fmt.setTopMargin(0)  # it starts a page: no space above it
            QTextCursor(block).setBlockFormat(fmt)
        elif cut.kind is BreakKind.PUSH:  # a list item moved whole to the next page by the space left on this one
            block = doc.findBlockByNumber(cut.index)
            fmt = block.blockFormat()
            fmt.setTopMargin(fmt.topMargin() + cut.pixels * 96 / job.page.dpi)  # device pixels to CSS pixels
            QTextCursor(block).setBlockFormat(fmt)
        elif cut.kind is BreakKind.TABLE:
            continued.append(cut.index)
    for index in continued:
        if index < len(tables):
            frame_fmt = tables[index].frameFormat()
            frame_fmt.setPageBreakPolicy(always)
            tables[index].setFrameFormat(frame_fmt)
    doc.setPageSize(QSizeF(job.page.width, job.page.body))
    return doc


def layout_cards(
    device: QPagedPaintDevice, cards: Sequence[Card], options: PrintOptions, titles: Mapping[str, str]
) -> list[tuple[Card, QTextDocument]]:
    """Lay out each card as its own paginated document for this device (forms shrink to one page)."""
    laid = []
    for card in cards:
        job = Job(card, titles, options, device, Page.for_card(device, options, card))
        laid.append((card, _form(job) if is_form(card) else _sheet(job)))
    return laid


def _form(job: Job) -> QTextDocument:
    """A tick-box form, set close, shrunk step by step (not in large print) until it fits one page."""
    pt = job.options.body_pt(job.card)
    doc = lay_out(job, pt, FORM_SPACING)
    while not job.options.large_for(job.card) and doc.pageCount() > 1 and pt > MIN_FORM_PT:
        pt = max(MIN_FORM_PT, pt - 0.5)
        doc = lay_out(job, pt, FORM_SPACING)
    return doc


def _sheet(job: Job) -> QTextDocument:
    """A handout or reference sheet; when its last page would hold little, a closer layout that saves it."""
    pt = job.options.body_pt(job.card)
    doc = lay_out(job, pt)
    if doc.pageCount() > 1 and last_page_fill(doc, job.page) < LIGHT_LAST_PAGE:
        # Closer paragraphs first; then short lists may split too (two items or more on each page).
        for spacing, relaxed in ((SNUG_SPACING, False), (1.0, True), (SNUG_SPACING, True)):
            tighter = lay_out(job, pt, spacing, relaxed)
            if tighter.pageCount() < doc.pageCount():
                return tighter
    return doc


def last_page_fill(doc: QTextDocument, page: Page) -> float:
    """How much of its last page a laid-out document fills, from 0 to 1."""
    bottom = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    return (bottom - (doc.pageCount() - 1) * page.body) / page.body
