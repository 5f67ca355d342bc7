"""Painting laid-out cards on a printer or PDF writer: each page's header, its slice of the card, its footer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import KetarefError
from ..model import Card
from .layout import Page, layout_cards
from .options import PrintOptions, check_logo
from .sheet import FONT_FAMILIES

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPagedPaintDevice, QPainter


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
            page = Page.for_card(device, options, card)
            total = doc.pageCount()
            for number in range(total):
                if pages:
                    device.newPage()
                pages += 1
                paint_header(painter, page, options, card)
                painter.save()
                painter.translate(0, page.header - number * page.body)
                clip = QRectF(0, number * page.body, page.width, page.body)
                painter.setClipRect(clip)
                doc.drawContents(painter, clip)
                painter.restore()
                paint_footer(painter, page, options, card, number + 1, total)
    finally:
        painter.end()
        # The documents point at the device: they must go before it does.
        laid.clear()
    return pages


def paint_header(painter: QPainter, page: Page, options: PrintOptions, card: Card) -> None:
    """The logo, the clinic's name and phones (day, after hours), the kind of sheet, and a rule under them."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    assert isinstance(painter, QPainter)
    words = options.words(card)
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
    clinic = options.clinic.strip() or (words.patient_kind if card.is_handout else words.clinician_header)
    width = page.width - left
    fit_text(painter, QRectF(left, 0, width * 0.7, page.pt(k * 22)), clinic, 10 * k)
    small = QFont(name_font)
    small.setBold(False)
    small.setPointSizeF(11 * k)
    painter.setFont(small)
    phones = [words.phone.format(phone=options.phone.strip())] if options.phone.strip() else []
    if options.after_hours_phone.strip() and phones:
        phones.append(words.after_hours_header.format(phone=options.after_hours_phone.strip()))
    if phones:
        phone_row = QRectF(left, page.pt(k * 22), width * 0.7, page.pt(k * 18))
        fit_text(painter, phone_row, "  \u00b7  ".join(phones), 8 * k)
        painter.setFont(small)
    kind = words.patient_kind if card.is_handout else words.clinician_kind
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


def fit_text(painter: QPainter, rect: QRectF, text: str, min_pt: float) -> None:
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


def paint_footer(painter: QPainter, page: Page, options: PrintOptions, card: Card, number: int, total: int) -> None:
    """A rule, the print and last-reviewed dates, "Page N of M", and the one-line note for the sheet's reader."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

    assert isinstance(painter, QPainter)
    words = options.words(card)
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
    printed = words.date(options.printed_on or dt.date.today())
    row = QRectF(0, top + page.pt(k * 12), page.width, page.pt(k * 14))
    dates = words.printed.format(printed=printed, reviewed=words.date(card.reviewed))
    page_text = words.page.format(number=number, total=total)
    painter.drawText(row, Qt.AlignmentFlag.AlignRight, page_text)
    # Long dates ("Impreso: 2 de diciembre de 2026 ...", in large print) never run into "Página 1 de 2": smaller.
    metrics = QFontMetricsF(font, painter.device())
    room = QRectF(row)
    room.setRight(row.right() - metrics.horizontalAdvance(page_text) - page.pt(k * 10))
    if metrics.horizontalAdvance(dates) <= room.width():
        painter.drawText(row, Qt.AlignmentFlag.AlignLeft, dates)
    else:
        small = QFont(font)
        while QFontMetricsF(small, painter.device()).horizontalAdvance(dates) > room.width() and small.pointSizeF() > 7:
            small.setPointSizeF(small.pointSizeF() - 0.5)
        painter.setFont(small)
        shown = QFontMetricsF(small, painter.device()).elidedText(dates, Qt.TextElideMode.ElideRight, room.width())
        painter.drawText(QPointF(room.left(), room.top() + metrics.ascent()), shown)  # on the page line's baseline
        painter.setFont(font)
    font.setPointSizeF(9 * k)
    font.setItalic(True)
    painter.setFont(font)
    note = words.handout_note if card.is_handout else words.clinician_note
    painter.drawText(QRectF(0, top + page.pt(k * 28), page.width, page.pt(k * 14)), Qt.AlignmentFlag.AlignHCenter, note)
