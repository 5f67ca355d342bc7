"""The outline of a rendered card: its h2/h3 sections with their anchors (plain Python, no Qt)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_HEADING_RE = re.compile(r'<h([23])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Section:
    """One heading of a card: level 2 or 3, its id and its text."""

    level: int
    anchor: str
    text: str


def outline(document_html: str) -> list[Section]:
    """The h2 and h3 headings that carry an id, in document order."""
    return [
        Section(int(level), html.unescape(anchor), html.unescape(_TAG_RE.sub("", text)).strip())
        for level, anchor, text in _HEADING_RE.findall(document_html)
    ]
