"""Where printed pages go: the Qt application that paints them, the page layout, and the PDF file."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_path
from ..constants import PAPERS
from ..errors import KetarefError
from ..model import Card
from .options import DEFAULT_PAPER, PrintOptions, check_logo, check_paper
from .paint import paint_cards

if TYPE_CHECKING:
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

MARGINS_MM = (15, 12, 15, 12)  # left, top, right, bottom on every printed page
RESOLUTION = 300  # dots per inch of every page KetaRef lays out: the printer's pages break where the PDF's do

log = logging.getLogger(__name__)


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


def page_layout(options: PrintOptions) -> QPageLayout:
    """Paper size, portrait, and the margins every printed page uses (printer and PDF alike)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    # A paper size that Preferences may still hold from elsewhere prints on the default paper.
    size_id = getattr(QPageSize.PageSizeId, PAPERS.get(options.paper, PAPERS[DEFAULT_PAPER]))
    return QPageLayout(
        QPageSize(size_id), QPageLayout.Orientation.Portrait, QMarginsF(*MARGINS_MM), QPageLayout.Unit.Millimeter
    )


def fit_printer(printer: QPrinter, options: PrintOptions) -> None:
    """The paper, margins and resolution of the PDF on a printer: after the print dialog too, which puts the
    printer's own default paper (often A4) back, and Qt's preview before it paints."""
    layout = page_layout(options)
    printer.setResolution(RESOLUTION)
    if not printer.setPageLayout(layout) or not printer.pageLayout().pageSize().isEquivalentTo(layout.pageSize()):
        log.warning(
            "The printer %s did not take the paper size %s: printed on %s",
            printer.printerName(),
            layout.pageSize().name(),
            printer.pageLayout().pageSize().name(),
        )


def write_pdf(cards: Sequence[Card], output: Path, options: PrintOptions, titles: Mapping[str, str]) -> int:
    """Write cards as one PDF (a packet when several), atomically; return the page count."""
    from PySide6.QtGui import QPdfWriter

    ensure_app()
    check_logo(options.logo)
    check_paper(options.paper)
    output = Path(output)
    if output.is_dir():
        raise KetarefError(f"{output} is a folder: give a file name ending in .pdf.")
    try:
        with atomic_path(output) as tmp:
            writer = QPdfWriter(str(tmp))
            writer.setResolution(RESOLUTION)
            writer.setPageLayout(page_layout(options))
            writer.setTitle(", ".join(c.title for c in cards))
            writer.setCreator("KetaRef")
            pages = paint_cards(writer, cards, options, titles)
            del writer  # finishes the file
    except OSError as exc:
        raise KetarefError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
    return pages
