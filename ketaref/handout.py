"""Print layout for cards and patient handouts: the same pages on a printer and in a PDF.

Header with the clinic's name, phone and logo; the card; a "Questions? Call ..." box on handouts;
a footer with the print date, the last-reviewed date, "Page N of M" and a one-line note. Uses Qt's
QTextDocument on a QPagedPaintDevice (QPrinter or QPdfWriter); with no display the offscreen
platform is chosen, so the command line prints on a server too.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import atomic_path
from .errors import KetarefError
from .model import Card
from .render import BOX_EMPTY, card_document

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPainter, QTextDocument, QTextTable
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# Where pagination moves content on: ("block", number, 0) breaks before a block, ("table", index, 0) before a
# table, ("row", index, row) cuts a long table between rows, ("push", number, pixels) moves a list item down.
Break = tuple[str, int, int]

PAPERS = ("letter", "a4")
LARGE_PRINT_PT = 16.0
LARGE_PRINT_CHROME = 1.2  # header and footer in large print: 18 pt clinic name, 12 pt page line
MIN_FORM_PT = 8.5  # a tick-box form shrinks to this at the least to fit one page
FORM_SPACING = 0.4  # a form's paragraphs and items sit closer, so that it fits one page at a readable size
SNUG_SPACING = 0.6  # tried on a sheet whose last page holds little: used when it saves that page
LIGHT_LAST_PAGE = 0.35
RELAXED = "ketaref_relaxed"  # document property: short lists of 4 items or more were let split to save a page
FONT_FAMILIES = ["Helvetica", "Arial", "Liberation Sans", "DejaVu Sans"]
HANDOUT_NOTE = "This sheet does not replace advice from your care team."
CLINICIAN_NOTE = "For clinicians. Not a substitute for clinical judgement or the current product label."


@dataclass(frozen=True)
class PrintOptions:
    """What the clinic adds to a printed page, and how large the print is."""

    clinic: str = ""
    phone: str = ""
    logo: Path | None = None
    large_print: bool = False
    paper: str = "letter"
    base_pt: float = 12.0
    printed_on: dt.date | None = None

    def large_for(self, card: Card) -> bool:
        """Large print is for patients: a clinician's reference sheet keeps its size."""
        return self.large_print and card.is_handout

    def body_pt(self, card: Card) -> float:
        """Body text size in points: 12 or more, 16 or more for a handout in large print."""
        return max(self.base_pt, LARGE_PRINT_PT if self.large_for(card) else 12.0)


def ensure_app() -> QApplication:
    """A Qt application for painting pages; offscreen when there is no display.

    A full QApplication, so that the window can still open in the same process (tests, the GUI).
    """
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        headless = sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        )
        if headless and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(["ketaref"])
    assert isinstance(app, QApplication)
    return app


def check_logo(logo: Path | None) -> None:
    """Raise KetarefError when a logo is given but is missing or not a readable image."""
    if logo is None:
        return
    from PySide6.QtGui import QImageReader

    if Path(logo).is_dir():
        raise KetarefError(f"The logo {logo} is a folder: give an image file (PNG or JPEG).")
    if not Path(logo).is_file():
        raise KetarefError(f"The logo file {logo} does not exist.")
    reader = QImageReader(str(logo))
    if not reader.canRead():
        raise KetarefError(f"The logo file {logo} is not an image KetaRef can read (use PNG or JPEG).")
    if reader.read().isNull():  # damaged, or too large to load: it would silently be left off every page
        raise KetarefError(
            f"The logo file {logo} could not be loaded ({reader.errorString()}); "
            "use a PNG or JPEG of a few hundred pixels."
        )


def _stylesheet(pt: float, spacing: float = 1.0) -> str:
    # Qt's rich text ignores margins given in pt (they come out as 0); em scales with large print.
    # spacing < 1 sets blocks closer: a form (tick boxes) to fit one page, a sheet to save a near-empty last page.
    p_top, p_bottom, li_bottom, h_bottom = (round(em * spacing, 3) for em in (0.25, 0.4, 0.05, 0.25))
    return f"""
    body {{ font-size: {pt:.1f}pt; }}
    h1 {{ font-size: {pt * 1.6:.1f}pt; font-weight: bold; margin-top: 0; margin-bottom: {h_bottom}em; }}
    h2 {{ font-size: {pt * 1.25:.1f}pt; font-weight: bold; margin-bottom: {h_bottom}em; }}
    h3 {{ font-size: {pt * 1.1:.1f}pt; font-weight: bold; margin-bottom: 0.2em; }}
    p {{ margin-top: {p_top}em; margin-bottom: {p_bottom}em; }}
    li {{ margin-bottom: {li_bottom}em; }}
    p.meta {{ color: #444444; margin-top: 0; }}
    p.reviewed {{ color: #444444; font-size: {pt * 0.85:.1f}pt; }}
    table {{ border-collapse: collapse; margin-top: 0.4em; margin-bottom: 0.4em; }}
    th {{ font-weight: bold; background-color: #e8e8e8; border: 1px solid #808080; padding: 3px; }}
    td {{ border: 1px solid #808080; padding: 3px; }}
    table.summary td {{ background-color: #f0f0f0; border: 1px solid #b0b0b0; font-weight: bold; }}
    table.questions td {{ border: 2px solid #000000; font-size: {pt * 1.1:.1f}pt; }}
    ul.tasks {{ list-style-type: none; margin-left: 0; }}
    p.gap {{ margin-top: 0; margin-bottom: 0; font-size: {pt * 0.3:.1f}pt; }}
    span.box {{ font-size: {pt * 1.2:.1f}pt; }}
    a {{ color: #000000; text-decoration: none; }}
    ol.sources li {{ font-size: {pt * 0.85:.1f}pt; }}
    """


def _questions_box(options: PrintOptions) -> str:
    clinic = html.escape(options.clinic.strip()) or "your clinic"
    if options.phone.strip():
        # A phone number never breaks across lines: "(555)" / "010-0100" is easy to misdial.
        phone = html.escape(options.phone.strip()).replace(" ", "\u00a0").replace("-", "\u2011")
        line = f"Call {clinic} at <b>{phone}</b>."
    else:
        line = f"Ask your care team at {clinic}."
    emergency = "In an emergency, call 911 or your local emergency number."
    return (
        '<table class="questions" width="100%" cellpadding="10"><tr><td>'
        f"<b>Questions?</b> {line}<br/>{emergency}</td></tr></table>"
    )


def card_print_html(card: Card, titles: Mapping[str, str], options: PrintOptions) -> str:
    """The printable HTML of one card: a handout with its questions box, or a reference sheet with sources."""
    body = card_document(card, titles, print_mode=True)
    if card.is_handout:
        body += _questions_box(options)
    return f"<html><body>{body}</body></html>"


def is_form(card: Card) -> bool:
    """A staff card with tick boxes is a form: it prints on one page when it can. A handout with a checklist
    for the patient keeps its full size."""
    return not card.is_handout and BOX_EMPTY in card.body_html


class _Page:
    """Page geometry in device pixels; scale enlarges the header and footer (large print)."""

    def __init__(self, device: QPagedPaintDevice, scale: float = 1.0) -> None:
        from PySide6.QtGui import QPagedPaintDevice

        assert isinstance(device, QPagedPaintDevice)
        self.dpi = device.logicalDpiY()
        self.scale = scale
        self.width = float(device.width())
        self.height = float(device.height())
        self.header = self.pt(62 * scale)
        self.footer = self.pt(46 * scale)
        self.body = self.height - self.header - self.footer

    def pt(self, points: float) -> float:
        return points * self.dpi / 72.0

    @classmethod
    def for_card(cls, device: QPagedPaintDevice, options: PrintOptions, card: Card) -> _Page:
        """A large-print handout's clinic name, phone and page footer grow with its text."""
        return cls(device, LARGE_PRINT_CHROME if options.large_for(card) else 1.0)


@dataclass(frozen=True)
class _Job:
    """One card to lay out for one device."""

    card: Card
    titles: Mapping[str, str]
    options: PrintOptions
    device: QPagedPaintDevice
    page: _Page


def _document(job: _Job, pt: float, spacing: float = 1.0, relaxed: bool = False) -> QTextDocument:
    """The card laid out in pages, with page breaks that keep headings and tables together."""
    breaks: list[Break] = []  # in the order found: each was found in a document that had the ones before it
    for _ in range(20):
        doc = _fresh_document(job, pt, breaks, spacing)
        doc.setProperty(RELAXED, relaxed)
        needed = _next_break(doc, job.page, breaks, relaxed)
        if needed is None:
            return doc
        breaks.append(needed)
    return doc


def _fresh_document(job: _Job, pt: float, breaks: list[Break], spacing: float) -> QTextDocument:
    # Breaks go in before the first layout: Qt's incremental relayout of a paginated document
    # can stop early when a page break is added afterwards.
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QFont, QTextCursor, QTextDocument, QTextFormat

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(job.device)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(pt)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_stylesheet(pt, spacing))
    doc.setDocumentMargin(0)
    html_text = card_print_html(job.card, job.titles, job.options)
    continued = []  # tables that go on from a table split between two rows
    for kind, index, row in breaks:
        if kind == "row":
            html_text = _split_table(html_text, index, row)
            continued.append(index + 1)
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
    tables = _tables(doc)
    for kind, index, amount in breaks:
        if kind == "block":
            block = doc.findBlockByNumber(index)
            fmt = block.blockFormat()
            fmt.setPageBreakPolicy(always)
            fmt.setTopMargin(0)  # it starts a page: no space above it
            QTextCursor(block).setBlockFormat(fmt)
        elif kind == "push":  # a list item moved whole to the next page by the space left on this one
            block = doc.findBlockByNumber(index)
            fmt = block.blockFormat()
            fmt.setTopMargin(fmt.topMargin() + amount * 96 / job.page.dpi)  # device pixels to CSS pixels
            QTextCursor(block).setBlockFormat(fmt)
        elif kind == "table":
            continued.append(index)
    for index in continued:
        if index < len(tables):
            frame_fmt = tables[index].frameFormat()
            frame_fmt.setPageBreakPolicy(always)
            tables[index].setFrameFormat(frame_fmt)
    doc.setPageSize(QSizeF(job.page.width, job.page.body))
    return doc


def _split_table(html_text: str, index: int, row: int) -> str:
    """The HTML with its index-th table cut into two before row (header rows count), the header repeated."""
    tables = list(re.finditer(r"<table\b[^>]*>.*?</table>", html_text, re.S))
    if index >= len(tables):
        return html_text
    found = tables[index]
    whole = found.group(0)
    opening = re.match(r"<table\b[^>]*>", whole)
    assert opening is not None
    head = re.search(r"<thead>.*?</thead>", whole, re.S)
    rows = re.findall(r"<tr>.*?</tr>", whole[head.end() if head else 0 :], re.S)
    cut = row - (1 if head else 0)
    if not 0 < cut < len(rows):
        return html_text
    header = head.group(0) if head else ""
    halves = [f"{opening.group(0)}{header}<tbody>{''.join(part)}</tbody></table>" for part in (rows[:cut], rows[cut:])]
    return html_text[: found.start()] + "".join(halves) + html_text[found.end() :]


def _tables(doc: QTextDocument) -> list[QTextTable]:
    from PySide6.QtGui import QTextDocument, QTextTable

    assert isinstance(doc, QTextDocument)
    return [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]


def _next_break(doc: QTextDocument, page: _Page, done: list[Break], relaxed: bool = False) -> Break | None:
    """Where the next page break should go: before a heading stranded at a page foot, or before a short list
    or a table that would split but fits on a page (with the heading, and a paragraph under it, that lead into
    it). Breaks already placed are not suggested again. Relaxed, a short list of four items or more may split
    too, to save a near-empty last page."""
    from PySide6.QtGui import QTextBlock, QTextList

    layout = doc.documentLayout()
    height = page.body
    slack = page.pt(30)  # a block this close to the top of its page already starts the page
    doc.pageCount()

    def page_of(y: float) -> int:
        return int(y // height)

    def starts_page(y: float) -> bool:
        return y - page_of(y) * height < slack

    def with_heading(block: QTextBlock) -> QTextBlock:
        # Whatever moves to the next page takes the heading just above it along.
        while block.previous().isValid() and block.previous().blockFormat().headingLevel() > 0:
            block = block.previous()
        return block

    def first_line_bottom(block: QTextBlock) -> float:
        top = layout.blockBoundingRect(block).top()
        return top + (block.layout().lineAt(0).height() if block.layout().lineCount() else 0.0)

    def row_break(index: int) -> Break | None:
        # A table longer than a page splits, but between two rows, never inside one: a result read on the
        # next page without its trial's name could be put to the wrong trial.
        table = tables[index]
        header_rows = table.format().headerRowCount()
        for row in range(header_rows, table.rows()):
            cells = [table.cellAt(row, column) for column in range(table.columns())]
            top = min(layout.blockBoundingRect(c.firstCursorPosition().block()).top() for c in cells)
            bottom = max(layout.blockBoundingRect(c.lastCursorPosition().block()).bottom() for c in cells)
            if page_of(top) != page_of(bottom) and bottom - top < height / 2:
                if row == header_rows:  # not even the first row fits under the header: the table moves
                    return ("table", index, 0) if not starts_page(layout.frameBoundingRect(table).top()) else None
                return ("row", index, row)
        return None

    def table_break(index: int) -> Break | None:
        table = tables[index]
        rect = layout.frameBoundingRect(table)
        # The space under a table may run past the page foot: only its border has to fit.
        rect.setBottom(rect.bottom() - table.frameFormat().bottomMargin() - 1)
        if rect.height() >= height:
            return row_break(index)
        splits = page_of(rect.bottom()) != page_of(rect.top()) and not starts_page(rect.top())
        # What leads into the table goes along with it: a heading, or a heading and one paragraph under it.
        lead = doc.findBlock(table.firstPosition() - 1)
        heading_first = lead.isValid() and lead.blockFormat().headingLevel() > 0
        intro = lead.previous() if lead.isValid() and lead.textList() is None else None
        start = None
        if heading_first:
            start = with_heading(lead)
        elif intro is not None and intro.isValid() and intro.blockFormat().headingLevel() > 0:
            start = with_heading(intro)
        if start is not None:
            top = layout.blockBoundingRect(start).top()
            together = layout.blockBoundingRect(lead).bottom() - top + rect.height()
            if not starts_page(top) and page_of(top) != page_of(rect.bottom()):
                if together < height or (heading_first and splits):
                    return ("block", start.blockNumber(), 0)
        return ("table", index, 0) if splits else None

    def push(item: QTextBlock) -> Break:
        # Space enough that its first line no longer fits: Qt then starts the item on the next page. (A margin
        # taller than what is left of the page would go along with it, and a page break on a list item stops
        # Qt's layout early.)
        lines = item.layout()
        first = lines.position().y() + lines.lineAt(0).y()
        left = (page_of(first) + 1) * height - first
        return ("push", item.blockNumber(), max(1, int(left - lines.lineAt(0).height() / 2)))

    def list_break(listed: QTextList, first_item: QTextBlock) -> Break | None:
        # A short list moves whole to the next page with what leads into it (the break goes on that sentence or
        # heading: Qt's layout stops early when a list item carries one). A longer list may split between two
        # items, with at least two on each page, so that no item is left alone under its heading or at the
        # top of the next page; moving it whole would leave a third of a page or more blank, mostly in large
        # print. When fewer than two items would stay, the list moves with its lead whatever its length.
        lead = with_heading(first_item.previous())
        lead_top = layout.blockBoundingRect(lead).top()
        items = [listed.item(number) for number in range(listed.count())]
        bottom = layout.blockBoundingRect(items[-1]).bottom()
        if lead.textList() is not None or starts_page(lead_top) or page_of(bottom) == page_of(lead_top):
            return None
        here = sum(page_of(layout.blockBoundingRect(item).bottom() - 1) == page_of(lead_top) for item in items)
        whole = bottom - lead_top
        short = len(items) < 4 or (not relaxed and bottom - layout.blockBoundingRect(first_item).top() < height / 4)
        if here < 2 or (whole < height / 2 and short):
            return ("block", lead.blockNumber(), 0)
        if len(items) >= 4 and len(items) - here < 2:
            return push(items[-2])
        return None

    # In document order, so that each new break lies below the ones already placed and never unsettles them.
    tables = _tables(doc)
    table_at = {table.firstPosition(): index for index, table in enumerate(tables)}
    block = doc.begin()
    while block.isValid():
        wanted: Break | None = None
        if block.position() in table_at:
            wanted = table_break(table_at[block.position()])
        top = layout.blockBoundingRect(block).top()
        following = block.next()
        if wanted is None and block.blockFormat().headingLevel() > 0 and following.isValid() and not starts_page(top):
            # A heading keeps at least the first line of what follows it (three lines of a paragraph).
            lines = min(3, max(1, following.layout().lineCount())) if following.textList() is None else 1
            line = following.layout().lineAt(0).height() if following.layout().lineCount() else 0.0
            if page_of(first_line_bottom(following) + (lines - 1) * line) != page_of(top):
                wanted = ("block", with_heading(block).blockNumber(), 0)
        listed = block.textList()
        if wanted is None and listed is not None and listed.item(0) == block and block.previous().isValid():
            wanted = list_break(listed, block)
        if wanted is None and listed is not None and 1 < block.layout().lineCount():
            # A list item is read whole: one that would run over the page foot moves to the next page.
            item = block.layout()
            first = item.position().y() + item.lineAt(0).y()
            last = item.lineAt(item.lineCount() - 1)
            bottom = item.position().y() + last.y() + last.height()
            if page_of(first) != page_of(bottom - 1) and bottom - first < height / 4:
                wanted = push(block)
        if wanted is not None and wanted not in done:
            return wanted
        block = following
    return None


def _paint_header(painter: QPainter, page: _Page, options: PrintOptions, card: Card) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    assert isinstance(painter, QPainter)
    k = page.scale  # larger in large print
    left = 0.0
    if options.logo:
        image = QImage(str(options.logo))
        if not image.isNull():
            box = page.pt(k * 46)
            scaled = image.scaled(
                int(box * 2.5), int(box), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), scaled)
            left = scaled.width() + page.pt(k * 10)
    name_font = QFont()
    name_font.setFamilies(FONT_FAMILIES)
    name_font.setPointSizeF(15 * k)
    name_font.setBold(True)
    painter.setFont(name_font)
    painter.setPen(QColor("black"))
    clinic = options.clinic.strip() or ("Patient information" if card.is_handout else "KetaRef clinical reference")
    width = page.width - left
    _fit_text(painter, QRectF(left, 0, width * 0.7, page.pt(k * 22)), clinic, 10 * k)
    small = QFont(name_font)
    small.setBold(False)
    small.setPointSizeF(11 * k)
    painter.setFont(small)
    if options.phone.strip():
        phone_row = QRectF(left, page.pt(k * 22), width * 0.7, page.pt(k * 18))
        _fit_text(painter, phone_row, f"Phone: {options.phone.strip()}", 8 * k)
        painter.setFont(small)
    kind = "Patient information" if card.is_handout else "Clinician reference"
    painter.drawText(
        QRectF(left, 0, width, page.pt(k * 22)),
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        kind if options.clinic.strip() else "",
    )
    pen = QPen(QColor("black"))
    pen.setWidthF(page.pt(k * 1))
    painter.setPen(pen)
    y = page.header - page.pt(k * 12)
    painter.drawLine(0, int(y), int(page.width), int(y))


def _fit_text(painter: QPainter, rect: QRectF, text: str, min_pt: float) -> None:
    """Draw one line in rect with the painter's font, smaller (down to min_pt) when it is too long, and only then
    cut with an ellipsis: a long clinic name or phone number is never clipped mid-word without a sign."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontMetricsF, QPainter

    assert isinstance(painter, QPainter)
    font = QFont(painter.font())
    while QFontMetricsF(font, painter.device()).horizontalAdvance(text) > rect.width() and font.pointSizeF() > min_pt:
        font.setPointSizeF(max(min_pt, font.pointSizeF() - 0.5))
    painter.setFont(font)
    shown = QFontMetricsF(font, painter.device()).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)


def _paint_footer(painter: QPainter, page: _Page, options: PrintOptions, card: Card, number: int, total: int) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPen

    assert isinstance(painter, QPainter)
    k = page.scale  # larger in large print
    top = page.height - page.footer
    pen = QPen(QColor("#555555"))
    pen.setWidthF(page.pt(k * 0.5))
    painter.setPen(pen)
    painter.drawLine(0, int(top + page.pt(k * 8)), int(page.width), int(top + page.pt(k * 8)))
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10 * k)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    printed = (options.printed_on or dt.date.today()).isoformat()
    row = QRectF(0, top + page.pt(k * 12), page.width, page.pt(k * 14))
    painter.drawText(
        row, Qt.AlignmentFlag.AlignLeft, f"Printed {printed}  \u00b7  Last reviewed {card.reviewed.isoformat()}"
    )
    painter.drawText(row, Qt.AlignmentFlag.AlignRight, f"Page {number} of {total}")
    font.setPointSizeF(9 * k)
    font.setItalic(True)
    painter.setFont(font)
    note = HANDOUT_NOTE if card.is_handout else CLINICIAN_NOTE
    painter.drawText(QRectF(0, top + page.pt(k * 28), page.width, page.pt(k * 14)), Qt.AlignmentFlag.AlignHCenter, note)


def page_layout(options: PrintOptions) -> QPageLayout:
    """Paper size, portrait, and the margins every printed page uses (printer and PDF alike)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    size = QPageSize(QPageSize.PageSizeId.A4 if options.paper == "a4" else QPageSize.PageSizeId.Letter)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter)


def layout_cards(
    device: QPagedPaintDevice, cards: Sequence[Card], options: PrintOptions, titles: Mapping[str, str]
) -> list[tuple[Card, QTextDocument]]:
    """Lay out each card as its own paginated document for this device (forms shrink to one page)."""
    laid = []
    for card in cards:
        pt = options.body_pt(card)
        page = _Page.for_card(device, options, card)
        job = _Job(card, titles, options, device, page)
        if is_form(card):
            doc = _document(job, pt, FORM_SPACING)
            while not options.large_for(card) and doc.pageCount() > 1 and pt > MIN_FORM_PT:
                pt = max(MIN_FORM_PT, pt - 0.5)
                doc = _document(job, pt, FORM_SPACING)
        else:
            doc = _document(job, pt)
            if doc.pageCount() > 1 and _last_page_fill(doc, page) < LIGHT_LAST_PAGE:
                # Closer paragraphs first; then short lists may split too (two items or more on each page).
                for spacing, relaxed in ((SNUG_SPACING, False), (1.0, True), (SNUG_SPACING, True)):
                    tighter = _document(job, pt, spacing, relaxed)
                    if tighter.pageCount() < doc.pageCount():
                        doc = tighter
                        break
        laid.append((card, doc))
    return laid


def _last_page_fill(doc: QTextDocument, page: _Page) -> float:
    """How much of its last page a laid-out document fills, from 0 to 1."""
    bottom = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    return (bottom - (doc.pageCount() - 1) * page.body) / page.body


def paint_cards(
    device: QPagedPaintDevice, cards: Sequence[Card], options: PrintOptions, titles: Mapping[str, str]
) -> int:
    """Paint cards on a printer or PDF writer, each card starting on a new page; return the pages painted."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPagedPaintDevice, QPainter

    assert isinstance(device, QPagedPaintDevice)
    check_logo(options.logo)
    if not cards:
        raise KetarefError("Nothing to print: choose at least one card.")
    laid = layout_cards(device, cards, options, titles)
    painter = QPainter()
    if not painter.begin(device):
        raise KetarefError("Could not start printing (the printer or file is not available).")
    pages = 0
    try:
        for card, doc in laid:
            page = _Page.for_card(device, options, card)
            total = doc.pageCount()
            for number in range(total):
                if pages:
                    device.newPage()
                pages += 1
                _paint_header(painter, page, options, card)
                painter.save()
                painter.translate(0, page.header - number * page.body)
                clip = QRectF(0, number * page.body, page.width, page.body)
                painter.setClipRect(clip)
                doc.drawContents(painter, clip)
                painter.restore()
                _paint_footer(painter, page, options, card, number + 1, total)
    finally:
        painter.end()
        # The documents point at the device: they must go before it does.
        laid.clear()
    return pages


def write_pdf(cards: Sequence[Card], output: Path, options: PrintOptions, titles: Mapping[str, str]) -> int:
    """Write cards as one PDF (a packet when several), atomically; return the page count."""
    from PySide6.QtGui import QPdfWriter

    ensure_app()
    check_logo(options.logo)
    if options.paper not in PAPERS:
        raise KetarefError(f"Unknown paper size '{options.paper}' (letter or a4).")
    output = Path(output)
    if output.is_dir():
        raise KetarefError(f"{output} is a folder: give a file name ending in .pdf.")
    try:
        with atomic_path(output) as tmp:
            writer = QPdfWriter(str(tmp))
            writer.setResolution(300)
            writer.setPageLayout(page_layout(options))
            writer.setTitle(", ".join(c.title for c in cards))
            writer.setCreator("KetaRef")
            pages = paint_cards(writer, cards, options, titles)
            del writer  # finishes the file
    except OSError as exc:
        raise KetarefError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
    return pages
