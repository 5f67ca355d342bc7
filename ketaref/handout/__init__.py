"""Print layout for cards and patient handouts: the same pages on a printer and in a PDF.

Header with the clinic's name, phones and logo; on a handout a "Call us" box with the day and after-hours phone
under the summary, the card, write-in lines for this patient and a "Questions? Call ..." box; a footer with
the print date, the last-reviewed date, "Page N of M" and a one-line note. Uses Qt's QTextDocument on a
QPagedPaintDevice (QPrinter or QPdfWriter); with no display the offscreen platform is chosen, so the command line
prints on a server too.

    options   PrintOptions and PageText: what the clinic adds, the page's words, paper and print size
    sheet     the sheet's HTML and print stylesheet (resources/styles/print.css)
    paginate  Break and Paginator: the page-break rules
    layout    page geometry and the passes that lay a card out in pages
    paint     header, body and footer on each page
    output    the Qt application, the page layout and write_pdf
"""

from ..constants import CLINICIAN_NOTE, HANDOUT_NOTE, PAPERS
from .layout import FORM_SPACING, LIGHT_LAST_PAGE, MIN_FORM_PT, RELAXED, SNUG_SPACING, layout_cards
from .options import (
    LARGE_PRINT_CHROME,
    LARGE_PRINT_PT,
    NO_PHONE,
    PageText,
    PrintOptions,
    WriteIn,
    check_logo,
    lacks_phone,
)
from .output import ensure_app, fit_printer, page_layout, write_pdf
from .paginate import Break, BreakKind, Paginator
from .paint import paint_cards
from .sheet import FONT_FAMILIES, card_print_html, is_form

__all__ = [
    "CLINICIAN_NOTE",
    "FONT_FAMILIES",
    "FORM_SPACING",
    "HANDOUT_NOTE",
    "LARGE_PRINT_CHROME",
    "LARGE_PRINT_PT",
    "LIGHT_LAST_PAGE",
    "NO_PHONE",
    "MIN_FORM_PT",
    "PAPERS",
    "RELAXED",
    "SNUG_SPACING",
    "Break",
    "BreakKind",
    "PageText",
    "Paginator",
    "PrintOptions",
    "WriteIn",
    "card_print_html",
    "check_logo",
    "ensure_app",
    "fit_printer",
    "is_form",
    "lacks_phone",
    "layout_cards",
    "page_layout",
    "paint_cards",
    "write_pdf",
]
