"""Shared types: categories, audiences, cards, sources and search hits.

The records are NamedTuples, not dataclasses: `ketaref search` loads them in every process, and importing
dataclasses (which imports inspect) and generating each record's methods took about 11 ms of it, twice the search
itself on the shipped cards.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

# The mission's order: browse lists and the window follow it.
CATEGORIES: tuple[str, ...] = (
    "mechanism",
    "indications",
    "dosing",
    "safety",
    "contraindications",
    "monitoring",
    "interactions",
    "populations",
    "evidence",
    "handouts",
)

CATEGORY_LABELS: dict[str, str] = {
    "mechanism": "Mechanism",
    "indications": "Indications",
    "dosing": "Dosing",
    "safety": "Safety",
    "contraindications": "Contraindications",
    "monitoring": "Monitoring",
    "interactions": "Interactions",
    "populations": "Special populations",
    "evidence": "Evidence",
    "handouts": "Patient handouts",
}

AUDIENCES: tuple[str, ...] = ("clinician", "patient")
# Card languages: English, and Spanish translations of English cards (ids "<english id>-es").
LANGS: tuple[str, ...] = ("en", "es")
LANG_LABELS: dict[str, str] = {"en": "English", "es": "Espa\u00f1ol"}

# Links between cards in a body: [[card-id]] and [text](card:card-id).
WIKI_LINK_RE = re.compile(r"\[\[([^\]\n]*)\]\]")
CARD_URL_RE = re.compile(r"\]\(card:([^)\s]*)\)")

# A card is due for review when its last review is more than this many calendar months old.
REVIEW_MONTHS = 18


def review_due_from(reviewed: dt.date) -> dt.date:
    """The last day a card reviewed on this date is still current: the same day 18 months on (or that month's end)."""
    months = reviewed.month - 1 + REVIEW_MONTHS
    year, month = reviewed.year + months // 12, months % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(reviewed.day, (next_month - dt.timedelta(days=1)).day))


class Source(NamedTuple):
    """One citation of a card."""

    cite: str
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    url: str | None = None

    def link(self) -> str | None:
        """The web address for this source, if it has an identifier."""
        if self.url:
            return self.url
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.pmcid:
            return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{self.pmcid}/"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return None


class Card(NamedTuple):
    """A reference card as stored in a pack (or parsed from its source)."""

    id: str
    title: str
    category: str
    audience: str
    summary: str
    body: str
    reviewed: dt.date
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    body_html: str = ""
    body_text: str = ""
    path: str = ""
    lang: str = "en"
    translation_of: str = ""  # a translation: the id of the English card it was translated from
    translation_of_sha256: str = ""  # and the digest of that card's body it was translated from (body_digest)

    @property
    def is_handout(self) -> bool:
        """True for plain-language patient handouts."""
        return self.audience == "patient"

    def review_due(self, today: dt.date | None = None) -> bool:
        """True when the last review is more than 18 months old."""
        from . import clock

        return (today or clock.today()) > review_due_from(self.reviewed)


def body_digest(body: str) -> str:
    """The digest a translation records of its English card's body (sha256 of the Markdown body as parsed)."""
    import hashlib

    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def translation_id(card_id: str, lang: str) -> str:
    """The id of a card's translation into lang ("handout-x" -> "handout-x-es")."""
    return f"{card_id}-{lang}"


class Hit(NamedTuple):
    """One search result (or one card of a browse list).

    snippet is always HTML: the card's text escaped (&, <, >, ") with <mark>...</mark> around the words matched;
    a browse list's or an exact title's hit has its summary there, escaped, with no marks. The window paints it
    as rich text; the command line turns the marks into bold and unescapes it (search.unescape).
    """

    id: str
    title: str
    category: str
    audience: str
    snippet: str
    score: float
    lang: str = "en"  # "es": a Spanish translation (the window shows a language badge)


class SearchResult(NamedTuple):
    """The answer to one query: the hits and any typo correction made."""

    query: str
    corrected_query: str | None
    results: list[Hit]
    # Words of the query that the first results do not hold (no card holds every word): "dementia" of
    # "spravato dementia"; matched_query is then the words those results are for ("spravato"), and absent the
    # unmatched words that no card holds at all.
    unmatched: tuple[str, ...] = ()
    matched_query: str | None = None
    absent: tuple[str, ...] = ()
    # What the results were found by, as search.text.mark_pattern reads it: each word start and synonym phrase
    # ("minut", "blood pressure"), a trailing space when it matches whole ("bp "), longest first: what the window
    # marks in a card opened from the results.
    terms: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """What `ketaref search --json` prints (DESIGN's fields): the query, the correction, the unmatched words
        and each result's id, title, category, audience, snippet and score."""
        return {
            "query": self.query,
            "corrected_query": self.corrected_query,
            "unmatched": list(self.unmatched),
            "results": [
                {
                    "id": h.id,
                    "title": h.title,
                    "category": h.category,
                    "audience": h.audience,
                    "snippet": h.snippet,
                    "score": h.score,
                }  # fmt: skip
                for h in self.results
            ],
        }

    @property
    def replaced(self) -> str:
        """The typed words that the correction replaced, for "no card has ...": "bloood" of "bloood pressure"."""
        if not self.corrected_query:
            return ""
        kept = set(self.corrected_query.lower().split())
        return " ".join(word for word in self.query.split() if word.lower() not in kept) or self.query
