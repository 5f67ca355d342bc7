"""Markdown to sanitised HTML and plain text: one render for the screen, the printer and search."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from typing import Protocol

from .model import CATEGORY_LABELS, WIKI_LINK_RE, Card

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "span": {"class"},
    "li": {"class"},
    "table": {"class"},
    "ul": {"class"},
    "*": {"id"},
}
URL_SCHEMES = {"http", "https", "card", "mailto"}
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


def sanitize(html_text: str) -> str:
    """Remove scripts, frames, event handlers, images and any link scheme other than http(s), card and mailto."""
    import nh3

    return nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


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


# Words a dropped card link leaves hanging before a stop: "...; see." "Record it on the." "checks are on."
_DANGLING = re.compile(
    r"(?:[\s,;]+(?:[Ss]ee(?: also)?|on|in|to|with|from|for|and|or|of|at|as|is|are|the|a|an)\b)+[\s,;]*(?=[.;]|$)"
)
# A lead-in whose only content was links: "Dosing schedule:." "Full BP guidance:;" or a short one ending the text.
_EMPTY_LEAD_IN = re.compile(r"(?:^|(?<=[.;!?] ))(?:[^.;!?:]{1,60}:[.;]|(?:[^\s.;!?:]+ ?){1,4}:$)")
# A sentence that only pointed at another card: "See [[x]] for ...", "For more on PK, see [[x]]."
_POINTER = re.compile(r"^(?:[Ss]ee\b.*|For\b.*\b[Ss]ee(?: also)?[\s,;]*[.;:]?)$")


def _tidy_dropped_links(text: str) -> str:
    """A block's text once its card links' titles are gone, without the words that only pointed at them."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if not _POINTER.match(s)]
    text = _EMPTY_LEAD_IN.sub("", " ".join(sentences)).strip(" ,;")  # before: "defer: see [[x]]" is no lead-in
    text = _DANGLING.sub("", " " + text).strip(" ,;")
    text = re.sub(r"[:;]+([.;])", r"\1", text)  # "deferral: see [[x]]." leaves "deferral:." -> "deferral."
    text = re.sub(r"\s{2,}", " ", re.sub(r"([.;:])[.;:]+", r"\1", text))
    if text.endswith(":"):
        text = text[:-1] + "."
    return text if re.search(r"\w", text) else ""


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
            self.dropped = False  # a card link's title was left out of the current block

        def _flush(self) -> None:
            text = re.sub(r"\s+", " ", "".join(self.current)).strip()
            # Tidy what a dropped link title leaves behind: "( )", "(SUSTAIN-1; )", "see , and".
            text = re.sub(r"\s*[,;]\s*(?=\))|(?<=\()\s*[,;]\s*", "", text)
            text = re.sub(r"\s*\(\s*\)|\s+(?=[.,;:])", "", text).strip(" ,;")
            if self.dropped:
                text = _tidy_dropped_links(text)
            self.current = []
            self.dropped = False
            if re.search(r"\w", text):  # a cell holding only "-" says nothing
                if text[-1] not in ".!?:;":
                    text += "."
                self.blocks.append(text)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in BLOCKS or tag in ("ul", "ol", "table"):
                self._flush()
            elif tag == "br":
                self.current.append(" ")
            elif tag == "a" and dict(attrs).get("title") == XREF:
                self.in_xref = self.dropped = True

        def handle_endtag(self, tag: str) -> None:
            if tag in BLOCKS:
                self._flush()
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
    audience = " &middot; Patient handout" if card.is_handout else ""
    parts.append(f'<h1 class="title">{esc(card.title)}</h1>')
    if not print_mode or not card.is_handout:
        parts.append(f'<p class="meta">{esc(label)}{audience}</p>')
    parts.append(f'<table class="summary" width="100%" cellpadding="8"><tr><td>{esc(card.summary)}</td></tr></table>')
    parts.append('<p class="gap">&nbsp;</p>')
    parts.append(card.body_html)
    if card.related and not print_mode:
        links = "".join(f'<li><a href="card:{esc(r)}">{esc(titles.get(r, r))}</a></li>' for r in card.related)
        parts.append(f'<h2 id="related-cards">Related cards</h2><ul class="related">{links}</ul>')
    if card.sources and not (print_mode and card.is_handout):
        items = []
        for source in card.sources:
            link = source.link()
            ref = f' <a href="{esc(link)}">{esc(link)}</a>' if link else ""
            items.append(f"<li>{esc(source.cite)}{ref}</li>")
        parts.append(f'<h2 id="sources">Sources</h2><ol class="sources">{"".join(items)}</ol>')
    if not print_mode:  # on paper the footer of every page carries it
        due = ' <span class="due">(due for review)</span>' if review_due else ""
        parts.append(f'<p class="reviewed">Last reviewed {card.reviewed.isoformat()}{due}</p>')
    return "\n".join(parts)
