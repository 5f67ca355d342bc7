"""The printed sheet's HTML and stylesheet: the card as printed, what a handout adds, tables cut between rows."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from ..model import Card
from ..render import BOX_EMPTY, card_document
from ..stylesheets import stylesheet
from .options import PrintOptions


def printable_links(html_text: str) -> str:
    """Printed HTML with only web links kept as links: any other link (card:, mailto:, or anything a pack slipped
    in) keeps its text and loses its target, so a PDF carries no link but http(s)."""

    def keep(found: re.Match[str]) -> str:
        href = re.search(r'\bhref\s*=\s*"([^"]*)"', found.group(1))
        scheme = href.group(1).split(":", 1)[0].strip().lower() if href else ""
        return found.group(0) if scheme in ("http", "https") else found.group(2)

    return re.sub(r"<a\b([^>]*)>(.*?)</a>", keep, html_text, flags=re.S | re.I)


FONT_FAMILIES = ["Helvetica", "Arial", "Liberation Sans", "DejaVu Sans"]


def print_stylesheet(pt: float, spacing: float = 1.0) -> str:
    """resources/styles/print.css for a body size in points; spacing < 1 sets blocks closer (a form to fit one
    page, a sheet to save a near-empty last page)."""

    def value(name: str, factor: float) -> str:
        if name == "pt":
            return f"{pt * factor:.1f}"
        if name == "gap":
            return str(round(factor * spacing, 3))
        raise KeyError(name)

    return stylesheet("print", value)


BLANK = "_" * 16  # a line to write on


def phone_html(phone: str) -> str:
    """A phone number, escaped, that never breaks across lines: "(555)" / "010-0100" is easy to misdial."""
    return html.escape(phone.strip()).replace(" ", "\u00a0").replace("-", "\u2011")


def call_us_box(card: Card, options: PrintOptions) -> str:
    """Near the top of a handout's first page: the clinic's day and after-hours phone (lines to write them on
    when they are not known)."""
    words = options.words(card)
    clinic = html.escape(options.clinic.strip())
    day = f"<b>{phone_html(options.phone)}</b>" if options.phone.strip() else BLANK
    night = f"<b>{phone_html(options.after_hours_phone)}</b>" if options.after_hours_phone.strip() else BLANK
    name = f" &middot; {clinic}" if clinic else ""
    return (
        '<table class="callus" width="100%" cellpadding="8"><tr><td>'
        f"<b>{words.call_us}</b>{name}<br/>{words.day_phone}: {day}"
        f"&nbsp;&nbsp;&nbsp; {words.after_hours}: {night}</td></tr></table>"
    )


def questions_box(card: Card, options: PrintOptions) -> str:
    """A handout's "Questions? Call ..." box, with the clinic's phone, and what to do in an emergency."""
    words = options.words(card)
    clinic = html.escape(options.clinic.strip()) or words.your_clinic
    if options.phone.strip():
        line = words.call.format(clinic=clinic, phone=phone_html(options.phone))
        if options.after_hours_phone.strip():
            night = words.after_hours_call.format(phone=f"<b>{phone_html(options.after_hours_phone)}</b>")
            line = f"{line.removesuffix('.')} ({night})."
    else:
        line = words.ask.format(clinic=clinic)
    return (
        '<table class="questions" width="100%" cellpadding="10"><tr><td>'
        f"<b>{words.questions}</b> {line}<br/>{words.emergency}</td></tr></table>"
    )


def write_in_lines(card: Card, options: PrintOptions) -> str:
    """Lines to write on for this patient: name, next visit, who takes them home and that person's phone;
    what the nurse typed in the print dialog or on the command line prints on the line instead."""
    words, filled = options.words(card), options.write_in

    def cell(label: str, value: str, widths: tuple[int, int]) -> str:
        shown = html.escape(value.strip()) or "&nbsp;"
        # Inline: Qt's rich text gives a cell its own border only from its style attribute. Widths are set: Qt
        # would otherwise cut "Who takes me home:" to give the line more room.
        return (
            f'<td width="{widths[0]}%" style="border-style: none">{html.escape(label)}:</td>'
            f'<td width="{widths[1]}%" style="border-style: none; border-bottom: 1px solid #000000">{shown}</td>'
        )

    left, right = ((31, 24), (21, 24)) if options.large_for(card) else ((28, 28), (16, 28))
    rows = (
        cell(words.patient, filled.patient, left) + cell(words.next_visit, filled.next_visit, right),
        cell(words.ride, filled.ride, left) + cell(words.ride_phone, filled.ride_phone, right),
    )
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return f'<table class="writein" width="100%" cellpadding="7" cellspacing="0">{body}</table>'


# What a patient handout prints after the card, in order: each part gives its HTML, or "" to leave itself out.
HANDOUT_PARTS: tuple[Callable[[Card, PrintOptions], str], ...] = (write_in_lines, questions_box)
SUMMARY_END = re.compile(r'<table class="summary".*?</table>', re.S)


def card_print_html(card: Card, titles: Mapping[str, str], options: PrintOptions) -> str:
    """The printable HTML of one card: a handout with its questions box, or a reference sheet with sources."""
    parts = [card_document(card, titles, print_mode=True)]
    if is_form(card):
        parts = [_run_in_sources(parts[0])]
    if card.is_handout:  # the clinic's phones under the summary, before the first points
        found = SUMMARY_END.search(parts[0])
        at = found.end() if found else 0
        parts = [parts[0][:at] + call_us_box(card, options) + parts[0][at:]]
        parts += [part(card, options) for part in HANDOUT_PARTS]
    return f"<html><body>{printable_links(''.join(parts))}</body></html>"


def _run_in_sources(document: str) -> str:
    """A form's numbered sources as one small paragraph of citations, so the form keeps to its one page."""
    found = re.search(r'<h2 id="sources">Sources</h2><ol class="sources">(.*?)</ol>', document, re.S)
    if found is None:
        return document
    # Citations only: the addresses are on the card on screen, and on paper they would push the form to a 2nd page.
    items = [
        re.sub(r"\s*<a href=[^>]*>.*?</a>", "", item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    ]
    text = " ".join(f"{n}. {item}" for n, item in enumerate(items, 1))
    return document[: found.start()] + f'<p class="form-sources"><b>Sources:</b> {text}</p>' + document[found.end() :]


ONE_PAGE_SUFFIX = "-at-a-glance"  # a drug's one-screen summary is also its one printed page


def is_form(card: Card) -> bool:
    """A staff card with tick boxes, or an at-a-glance summary, is a one-page sheet: it prints on one page when it
    can. A handout with a checklist for the patient keeps its full size."""
    return not card.is_handout and (BOX_EMPTY in card.body_html or card.id.endswith(ONE_PAGE_SUFFIX))


def split_table(html_text: str, index: int, row: int) -> str:
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
