"""Markdown to sanitised HTML and plain text: one render for the screen, the printer and search."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from typing import Protocol

from .model import CATEGORY_LABELS, REVIEW_MONTHS, WIKI_LINK_RE, Card

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "*": {"id"},
}
# The only classes a card body may carry (tick boxes): none of the stylesheets' classes may hide or shrink text,
# and no style attribute or <style> is allowed at all.
ALLOWED_CLASSES = {"span": {"box"}, "li": {"task"}, "ul": {"tasks"}}
URL_SCHEMES = {"http", "https", "card", "mailto"}
MAX_SPAN = 50  # colspan/rowspan above this is dropped (a huge span makes Qt lay out a huge table)
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "pre", "blockquote", "tr"}
BOX_EMPTY, BOX_TICKED = "\u2610", "\u2611"
# Title of the links made from [[id]]: their text is another card's title, kept out of this card's search text.
XREF = "Open card"


def expand_links(body: str, title_of: Callable[[str], str | None]) -> str:
    """Turn [[id]] into a Markdown link to card:id, with the card's title as text."""

    def wiki(m: re.Match[str]) -> str:
        card_id = m.group(1).strip()
        return f'[{title_of(card_id) or card_id}](card:{card_id} "{XREF}")'

    return WIKI_LINK_RE.sub(wiki, body)


def _tick_boxes(html_text: str) -> str:
    def box(m: re.Match[str]) -> str:
        mark = BOX_TICKED if m.group(2).lower() == "x" else BOX_EMPTY
        return f'<li class="task">{m.group(1) or ""}<span class="box">{mark}</span> '

    marked = re.sub(r"<li>(<p>)?\[([ xX])\]\s", box, html_text)
    # A list of tick boxes needs no bullets as well.
    return re.sub(r"<ul>(\s*<li class=\"task\">)", r'<ul class="tasks">\1', marked)


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Drop a colspan or rowspan that is not a small number."""
    if name in ("colspan", "rowspan") and not (value.strip().isdigit() and 0 < int(value) <= MAX_SPAN):
        return None
    return value


def sanitize(html_text: str) -> str:
    """Remove scripts, frames, styles, event handlers, images and any link scheme other than http(s), card and
    mailto, and show a link whose text reads as another address than it opens with its real address.

    The one sanitiser: a build runs it on every card, and the store runs it again on every card it reads.
    """
    import nh3

    cleaned = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return _ANCHOR_RE.sub(_honest_link, cleaned) if "<a" in cleaned else cleaned


_ANCHOR_RE = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_HREF_RE = re.compile(r'\bhref="([^"]*)"')
# Link text that reads as an address: a URL, a domain (with a letters-only top level) or an e-mail address.
_ADDRESS_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:(?://)?)?(?:[^\s@/]+@)?(?:[\w-]+\.)+[a-z]{2,}\.?(?::\d+)?(?:[/?#]\S*)?", re.I
)


def _address(text: str) -> tuple[str, str, str] | None:
    """(scheme, host, path) of a link target or of link text that reads as an address; host without "www."."""
    from urllib.parse import urlsplit

    text = text.strip()
    if "://" not in text and not text.lower().startswith("mailto:"):
        text = ("mailto:" if "@" in text.split("/")[0] else "http://") + text
    try:
        parts = urlsplit(text)
        if parts.scheme.lower() == "mailto":
            user, _, host = parts.path.rpartition("@")
            return "mailto", host.lower().removeprefix("www."), user.lower()
        host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    except ValueError:
        return None
    path = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme.lower(), host, path


def _honest_link(found: re.Match[str]) -> str:
    """A link whose visible text reads as an address it does not open: web links show their real address, card
    links lose the link (their text stays)."""
    attrs, inner = found.group(1), found.group(2)
    text = html.unescape(re.sub(r"<[^>]*>", "", inner)).strip()
    if not _ADDRESS_RE.fullmatch(text):
        return found.group(0)
    href_found = _HREF_RE.search(attrs)
    href = html.unescape(href_found.group(1)) if href_found else ""
    shown, target = _address(text), _address(href) if href else None
    if shown and target and shown[1] == target[1] and target[2].startswith(shown[2]):
        explicit = re.match(r"[a-z][a-z0-9+.-]*:", text, re.I)
        if not explicit or shown[0] == target[0]:
            return found.group(0)
    if href and href.split(":", 1)[0].lower() in ("http", "https", "mailto"):
        return f"<a{attrs}>{html.escape(href, quote=False)}</a>"
    return inner


class _Markdown:
    """One reusable python-markdown converter (creating one per card is slow)."""

    converter = None

    @classmethod
    def convert(cls, text: str) -> str:
        if cls.converter is None:
            import markdown

            cls.converter = markdown.Markdown(
                extensions=["tables", "sane_lists", "toc"],
                extension_configs={"toc": {"permalink": False, "toc_depth": "2-3"}},
                output_format="html",
            )
        cls.converter.reset()
        return str(cls.converter.convert(text))


def markdown_to_html(body: str, title_of: Callable[[str], str | None] = lambda _id: None) -> str:
    """Render a card body to sanitised HTML; card links keep the card: scheme."""
    text = expand_links(body, title_of)
    rendered = _Markdown.convert(text)
    return sanitize(_tick_boxes(rendered))


LINK = "\x00"  # where a card link's title was left out of the plain text
_POINTER_WORDS = r"(?:see(?: also)?|on|in|to|with|from|for|and|or|of|at|as|is|are|the|a|an)"


def _without_links(text: str) -> str:
    """A block's text with its card links left out, and the words that only pointed at them.

    Link titles stay out of body_text (search would find every card that links to "Blood pressure ..."), so
    "Treat BP first. See [[safety-blood-pressure]]." must not leave "Treat BP first. See." behind.
    """
    link = LINK
    text = re.sub(rf"{link}(?:\s*(?:,|;|and|or)\s*{link})+", link, text)  # links in a row count as one
    # An aside: "(see [[x]])", "(those are on [[x]])" go; "(SUSTAIN-1; [[x]])" keeps SUSTAIN-1.
    text = re.sub(rf"\s*\([^(){link}]*\b(?:see(?: also)?|on|in|at|to|from|with)\s*{link}\s*\)", "", text, flags=re.I)
    text = re.sub(rf"\s*[,;]\s*{link}\s*(?=\))|(?<=\()\s*{link}\s*[,;]\s*|\s*\(\s*{link}\s*\)", "", text)
    # A sentence that only pointed at a card: "See [[x]] for ...", "For more on PK, see [[x]]."
    sentences = re.split(r"(?<=[.!?])\s+", text)
    text = " ".join(s for s in sentences if link not in s or not re.match(rf"See\b|For\b.*\bsee(?: also)?\s*{link}", s))
    # A lead-in with nothing but links: "Dosing schedule: [[x]]." "Full BP guidance: [[x]]; timetable: [[y]]."
    text = re.sub(rf"(?:^|(?<=[.;!?] ))[^.;!?:{link}]{{1,60}}:\s*{link}\s*(?:[.;]|$)\s*", "", text)
    # A clause that only pointed at a card: "..., see [[x]] for what is confirmed)".
    text = re.sub(rf"\s*[,;]\s*see(?: also)?\s*{link}[^.;)]*", "", text, flags=re.I)
    # Words left pointing at nothing: "...; see [[x]]." "Record it on the [[x]]." "stop items on [[x]]: a ..."
    text = re.sub(rf"(?:[\s,;:]*\b{_POINTER_WORDS}\b)*[\s,;:]*{link}", "", text, flags=re.I)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    text = re.sub(r"[:;,]+([.;])", r"\1", text)  # "deferral: see [[x]]." left "deferral:."
    return re.sub(r"\s{2,}", " ", text).strip(" ,;")


class _TextParser(Protocol):
    def feed(self, data: str) -> None: ...
    def close(self) -> None: ...
    def text(self) -> str: ...


@functools.cache
def _text_extractor() -> Callable[[], _TextParser]:
    """The HTML-to-text parser class, made on first use: html.parser is only needed when building a pack."""
    from html.parser import HTMLParser

    class _TextExtractor(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.blocks: list[str] = []
            self.current: list[str] = []
            self.in_xref = False
            # A table cell reads "Header: cell." (a search snippet from a table then makes sense on its own).
            self.headers: list[str] = []
            self.cell: str | None = None  # "th" or "td" while in a cell
            self.column = 0

        def _flush(self) -> None:
            text = re.sub(r"\s+", " ", "".join(self.current)).strip()
            if LINK in text:
                text = _without_links(text)
            text = re.sub(r"\s+(?=[.,;:])", "", text).strip(" ,;")  # a list item ending "...;" becomes a sentence
            self.current = []
            if self.cell == "th":
                self.headers.append(text.rstrip(":"))
                return
            if self.cell == "td":
                header = self.headers[self.column] if self.column < len(self.headers) else ""
                self.column += 1
                if header and re.search(r"\w", text):
                    text = f"{header}: {text}"
            if re.search(r"\w", text):  # a cell holding only "-" says nothing
                if text[-1] not in ".!?:;":
                    text += "."
                self.blocks.append(text)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in BLOCKS or tag in ("ul", "ol", "table"):
                self._flush()
            if tag == "table":
                self.headers = []
            elif tag == "tr":
                self.column = 0
            elif tag in ("th", "td"):
                self.cell = tag
            elif tag == "br":
                self.current.append(" ")
            elif tag == "a" and dict(attrs).get("title") == XREF:
                self.in_xref = True
                self.current.append(LINK)

        def handle_endtag(self, tag: str) -> None:
            if tag in BLOCKS:
                self._flush()
            if tag in ("th", "td"):
                self.cell = None
            elif tag == "a":
                self.in_xref = False

        def handle_data(self, data: str) -> None:
            if self.in_xref:
                return
            self.current.append(data.replace(BOX_EMPTY, "").replace(BOX_TICKED, ""))

        def text(self) -> str:
            self._flush()
            return "\n".join(self.blocks)

    return _TextExtractor


def html_to_text(html_text: str) -> str:
    """Plain text of rendered HTML: each heading, paragraph, list item and cell ends as a sentence."""
    parser = _text_extractor()()
    parser.feed(html_text)
    parser.close()
    return parser.text()


def strip_card_links(text: str, titles: Mapping[str, str] | None = None) -> str:
    """Markdown source with card links reduced to plain words (for a terminal): [[id]] to the card's title."""
    titles = titles or {}
    text = re.sub(r"\[([^\]\n]*)\]\(card:[^)\s]*\)", r"\1", text)
    return WIKI_LINK_RE.sub(lambda m: titles.get(m.group(1).strip(), m.group(1)), text)


def card_document(
    card: Card,
    titles: Mapping[str, str],
    *,
    print_mode: bool = False,
    review_due: bool = False,
) -> str:
    """The whole card as one HTML document body: header, summary, body, related cards and sources."""
    esc = html.escape
    parts = []
    label = CATEGORY_LABELS.get(card.category, card.category)
    audience = "Patient handout" if card.is_handout else "For clinicians"
    parts.append(f'<h1 class="title">{esc(card.title)}</h1>')
    if not print_mode:  # under the title, where the eye starts: what kind of card, for whom, and how fresh
        parts.append(
            f'<p class="meta">{esc(label)} &middot; {audience} &middot; Last reviewed {card.reviewed.isoformat()}</p>'
        )
    elif not card.is_handout:  # on paper the footer of every page carries the review date
        parts.append(f'<p class="meta">{esc(label)}</p>')
    if review_due and not print_mode:  # before the summary: a stale dose must not be read as current
        parts.append(
            f'<p class="due">Due for review: last reviewed {card.reviewed.isoformat()}, '
            f"over {REVIEW_MONTHS} months ago. Check doses and warnings against the current label.</p>"
        )
    parts.append(f'<table class="summary" width="100%" cellpadding="8"><tr><td>{esc(card.summary)}</td></tr></table>')
    parts.append('<p class="gap">&nbsp;</p>')
    parts.append(card.body_html if print_mode else fit_tables(card.body_html))
    if card.related and not print_mode:
        links = "".join(f'<li><a href="card:{esc(r)}">{esc(titles.get(r, r))}</a></li>' for r in card.related)
        parts.append(f'<h2 id="related-cards">Related cards</h2><ul class="related">{links}</ul>')
    if card.sources and not (print_mode and card.is_handout):
        items = []
        for source in card.sources:
            link = source.link() or ""
            web = link.split(":", 1)[0].strip().lower() in ("http", "https")
            # A pack's source address is linked only when it is a web address; any other is shown as text.
            ref = f' <a href="{esc(link)}">{esc(link)}</a>' if web else f" {esc(link)}" if link else ""
            items.append(f"<li>{esc(source.cite)}{ref}</li>")
        parts.append(f'<h2 id="sources">Sources</h2><ol class="sources">{"".join(items)}</ol>')
    if not print_mode:  # on paper the footer of every page carries it
        due = ' <span class="due">(due for review)</span>' if review_due else ""
        parts.append(f'<p class="reviewed">Last reviewed {card.reviewed.isoformat()}{due}</p>')
    return typeset("\n".join(parts))


# A table as wide as its content can come out a pixel wider than the pane, which then scrolls sideways;
# a fixed share of the pane makes Qt wrap the cells to it instead.
SCREEN_TABLE_WIDTH = "99%"


def fit_tables(body_html: str) -> str:
    """A card body with its tables sized to the pane on screen (their cells wrap rather than scroll sideways)."""
    return re.sub(r"<table(?=[\s>])(?![^>]*\bwidth=)", f'<table width="{SCREEN_TABLE_WIDTH}"', body_html)


_TAG_OR_TEXT_RE = re.compile(r"(<[^>]*>)")
_SIGNS = (("&gt;=", "\u2265"), ("&lt;=", "\u2264"), (">=", "\u2265"), ("<=", "\u2264"))


def typeset(document_html: str) -> str:
    """Rendered HTML with ">=" and "<=" in its text written as ≥ and ≤ (tags and link targets are left alone;
    the stored Markdown and search text keep what the author typed)."""
    pieces = _TAG_OR_TEXT_RE.split(document_html)
    for n in range(0, len(pieces), 2):  # even pieces are text between tags
        for typed, sign in _SIGNS:
            pieces[n] = pieces[n].replace(typed, sign)
    return "".join(pieces)
