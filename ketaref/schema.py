"""The pack's schema in one place: its tables and columns, the full-text index, and how a card maps to a row.

The writer (pack.py) and every reader (store.py, search.py, packchoice.py) take names from here and read rows by
column name. Standard library only: search imports it on the hot path.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import CATEGORIES, Card, Hit, Source

# meta.schema_version and PRAGMA user_version: raised only when a reader of the old schema cannot read a new pack.
SCHEMA_VERSION = 1
# Bumped whenever what a build writes changes (columns, rendering), so stale cached packs are rebuilt.
PACK_FORMAT = 5


@dataclass(frozen=True)
class Table:
    """One table of the pack: its name, columns with their Python types, primary key and foreign keys."""

    name: str
    columns: Mapping[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()


CARDS = Table(
    "cards",
    {
        "id": str, "title": str, "category": str, "audience": str, "summary": str, "body": str,
        "body_text": str, "body_html": str, "keywords": str, "reviewed": str, "related": str,
        "category_order": int, "path": str,
    },
    "id",
)  # fmt: skip
SOURCES = Table(
    "sources",
    {"card_id": str, "n": int, "cite": str, "pmid": str, "pmcid": str, "doi": str, "url": str},
    ("card_id", "n"),
    (("card_id", "cards", "id"),),
)
LINKS = Table(
    "links",
    {"from_id": str, "to_id": str, "kind": str},
    ("from_id", "to_id", "kind"),
    (("from_id", "cards", "id"), ("to_id", "cards", "id")),
)
SYNONYMS = Table("synonyms", {"group_id": int, "term": str, "tokens": str}, ("group_id", "term"))
META = Table("meta", {"key": str, "value": str}, "key")
TABLES: tuple[Table, ...] = (CARDS, SOURCES, LINKS, SYNONYMS, META)

# The full-text index over cards, made with sqlite-utils' enable_fts (so Datasette's ?_search= finds it).
FTS_TABLE = "cards_fts"
TOKENIZE = "unicode61 remove_diacritics 2"
# FTS columns with their bm25 weights: title and keywords above summary above body.
FTS_WEIGHTS: dict[str, float] = {"title": 10.0, "keywords": 8.0, "summary": 3.0, "body_text": 1.0}
FTS_COLUMNS: tuple[str, ...] = tuple(FTS_WEIGHTS)
RANK = f"bm25({', '.join(str(w) for w in FTS_WEIGHTS.values())})"
# The column search snippets come from, as the index number FTS5's snippet() takes.
SNIPPET_COLUMN = FTS_COLUMNS.index("body_text")
# The index's vocabulary (term, number of cards), kept as a table for typo correction.
TERMS_TABLE = "terms"

REQUIRED_TABLES = frozenset({table.name for table in TABLES} | {FTS_TABLE, TERMS_TABLE})
REQUIRED_META = ("schema_version", "content_version", "built_at", "content_sha256")

# The cards columns a Card is read from, and those a search hit is.
CARD_COLUMNS = ("id", "title", "category", "audience", "summary", "body", "body_text", "body_html", "keywords",
                "reviewed", "related", "path")  # fmt: skip
HIT_COLUMNS = ("id", "title", "category", "audience", "summary")
SOURCE_FIELDS = ("cite", "pmid", "pmcid", "doi", "url")
KEYWORD_SEPARATOR = ", "


def columns(names: Sequence[str], prefix: str = "") -> str:
    """A SELECT list of column names, each with an optional table prefix ("c.")."""
    return ", ".join(prefix + name for name in names)


def named(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
    """The rows of a query, each read by column name."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return iter(cursor.execute(sql, params))


def card_row(card: Card) -> dict[str, Any]:
    """The cards row of a rendered card."""
    import json  # not at module level: search imports this module on its hot path

    return {
        "id": card.id,
        "title": card.title,
        "category": card.category,
        "audience": card.audience,
        "summary": card.summary,
        "body": card.body,
        "body_text": card.body_text,
        "body_html": card.body_html,
        "keywords": KEYWORD_SEPARATOR.join(card.keywords),
        "reviewed": card.reviewed.isoformat(),
        "related": json.dumps(list(card.related)),
        "category_order": CATEGORIES.index(card.category),
        "path": card.path,
    }


def source_rows(card: Card) -> Iterator[dict[str, Any]]:
    """The sources rows of a card, numbered from 1 in the card's order."""
    for n, source in enumerate(card.sources, 1):
        yield {"card_id": card.id, "n": n, **{name: getattr(source, name) for name in SOURCE_FIELDS}}


def card_from_row(row: Mapping[str, Any] | sqlite3.Row, sources: Iterable[Source] = ()) -> Card:
    """The Card of a cards row (with CARD_COLUMNS) and its sources."""
    import json

    return Card(
        id=row["id"],
        title=row["title"],
        category=row["category"],
        audience=row["audience"],
        summary=row["summary"],
        body=row["body"],
        body_text=row["body_text"],
        body_html=row["body_html"],
        keywords=tuple(k for k in row["keywords"].split(KEYWORD_SEPARATOR) if k),
        reviewed=dt.date.fromisoformat(row["reviewed"]),
        related=tuple(json.loads(row["related"])),
        sources=tuple(sources),
        path=row["path"] or "",
    )


def source_from_row(row: Mapping[str, Any] | sqlite3.Row) -> Source:
    """The Source of a sources row."""
    return Source(**{name: row[name] for name in SOURCE_FIELDS})


def hit_from_row(row: Mapping[str, Any] | sqlite3.Row, snippet: str, score: float = 0.0) -> Hit:
    """A search hit from a cards row (with at least id, title, category, audience) and its snippet."""
    return Hit(row["id"], row["title"], row["category"], row["audience"], snippet, score)
