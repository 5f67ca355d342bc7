"""The pack's schema in one place: its tables and columns, the full-text index, and how a card maps to a row.

The writer (pack.py) and every reader (store.py, the search package, packchoice.py) take names from here and read
rows by column name. Standard library only: search imports it on the hot path.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from .model import CATEGORIES, Card, Hit, Source

# meta.schema_version and PRAGMA user_version: raised only when a reader of the old schema cannot read a new pack.
SCHEMA_VERSION = 1
# Bumped whenever what a build writes changes (columns, rendering), so stale cached packs are rebuilt.
PACK_FORMAT = 6  # 6: cards.lang and cards.translation_of (Spanish handouts)


class Table(NamedTuple):
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
        "category_order": int, "path": str, "lang": str, "translation_of": str,
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
# The tables FTS5 makes for the index (content="cards": no _content table), and the indexes a build makes.
FTS_SHADOW_TABLES = frozenset(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
INDEXES = frozenset({"idx_cards_category_order_title", "cards_title_nocase"})
# Every table a pack may hold: a pack with any other table, or with a view or trigger, is refused.
EXPECTED_TABLES = REQUIRED_TABLES | FTS_SHADOW_TABLES
TERMS_COLUMNS = frozenset({"term", "docs"})

# The largest card body a pack may hold, in bytes of Markdown (UTF-8): bigger cards are refused at build and at
# open (a 100 MB card made search take a minute and printing crash). Its HTML and plain text may be
# RENDERED_FACTOR times that; any other column of a card MAX_BODY_BYTES.
MAX_BODY_BYTES = 1_000_000
RENDERED_FACTOR = 8

# The cards columns a Card is read from, and those a search hit is.
CARD_COLUMNS = ("id", "title", "category", "audience", "summary", "body", "body_text", "body_html", "keywords",
                "reviewed", "related", "path", "lang", "translation_of")  # fmt: skip
HIT_COLUMNS = ("id", "title", "category", "audience", "summary", "lang")
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


def schema_problem(conn: sqlite3.Connection) -> str | None:
    """Why the database's schema is not exactly a pack's (a view, trigger or unexpected table or column, a
    foreign full-text tokenizer), as words after "The pack ... is refused: ", or None when it is."""
    tables = {table.name: table for table in TABLES}
    entries = list(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    for kind, name, _table, _sql in entries:
        if kind in ("view", "trigger"):
            return f"it holds a {kind} ({name!r}), which no KetaRef pack has"
    for kind, name, table_name, sql in entries:
        if kind == "index":
            autoindex = isinstance(name, str) and name.startswith("sqlite_autoindex_") and sql is None
            if table_name not in EXPECTED_TABLES or not (autoindex or name in INDEXES):
                return f"it holds an unexpected index ({name!r})"
        elif kind != "table" or name not in EXPECTED_TABLES:
            return f"it holds an unexpected {kind} ({name!r})"
        elif name == FTS_TABLE:
            text = " ".join(str(sql).split())
            if "USING FTS5" not in text.upper() or f"tokenize='{TOKENIZE}'" not in text:
                return "its search index is not the one KetaRef builds (another module or tokenizer)"
    for name, expected in [*((t.name, frozenset(t.columns)) for t in tables.values()), (TERMS_TABLE, TERMS_COLUMNS)]:
        found = frozenset(str(row[1]) for row in conn.execute(f"PRAGMA table_info({name})"))
        if found - expected:
            return f"its {name} table has columns no pack has ({', '.join(sorted(found - expected))})"
        if found and expected - found:
            missing = ", ".join(sorted(expected - found))
            return f"it is from another version of KetaRef (its {name} table has no {missing}); build it again"
    return None


def size_problem(conn: sqlite3.Connection) -> str | None:
    """The first card with a column above its size limit (MAX_BODY_BYTES), as words, or None."""
    limits = {name: MAX_BODY_BYTES for name in CARDS.columns if CARDS.columns[name] is str}
    limits["body_html"] = limits["body_text"] = RENDERED_FACTOR * MAX_BODY_BYTES
    # length() of a BLOB needs no read of the value: only an oversized card costs anything.
    checks = " OR ".join(f"length(CAST({name} AS BLOB)) > {limit}" for name, limit in limits.items())
    row = conn.execute(f"SELECT id FROM {CARDS.name} WHERE {checks} LIMIT 1").fetchone()
    if row is None:
        return None
    return f"its card {str(row[0])[:80]!r} is larger than the limit of {MAX_BODY_BYTES:,} bytes of text"


class BadRow(ValueError):
    """A card row whose values cannot be read as a card (a date that is not a date, keywords that are not text)."""

    def __init__(self, card_id: object, column: str, value: object) -> None:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:39] + "\u2026"
        self.card_id = str(card_id)
        super().__init__(f"card {self.card_id[:80]!r} has a bad {column} value ({shown})")


def _text(row: Mapping[str, Any] | sqlite3.Row, name: str, optional: bool = False) -> str:
    value = row[name]
    if isinstance(value, str) or (optional and value is None):
        return value or ""
    raise BadRow(row["id"], name, value)


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
        "lang": card.lang,
        "translation_of": card.translation_of,
    }


def source_rows(card: Card) -> Iterator[dict[str, Any]]:
    """The sources rows of a card, numbered from 1 in the card's order."""
    for n, source in enumerate(card.sources, 1):
        yield {"card_id": card.id, "n": n, **{name: getattr(source, name) for name in SOURCE_FIELDS}}


def card_from_row(row: Mapping[str, Any] | sqlite3.Row, sources: Iterable[Source] = ()) -> Card:
    """The Card of a cards row (with CARD_COLUMNS) and its sources; BadRow names the card and the column when a
    value is not what a build writes."""
    import json

    card_id = _text(row, "id")
    try:
        reviewed = dt.date.fromisoformat(_text(row, "reviewed"))
    except ValueError:
        raise BadRow(card_id, "reviewed", row["reviewed"]) from None
    try:
        related = json.loads(_text(row, "related"))
    except ValueError:
        raise BadRow(card_id, "related", row["related"]) from None
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise BadRow(card_id, "related", row["related"])
    return Card(
        id=card_id,
        title=_text(row, "title"),
        category=_text(row, "category"),
        audience=_text(row, "audience"),
        summary=_text(row, "summary"),
        body=_text(row, "body"),
        body_text=_text(row, "body_text"),
        body_html=_text(row, "body_html"),
        keywords=tuple(k for k in _text(row, "keywords").split(KEYWORD_SEPARATOR) if k),
        reviewed=reviewed,
        related=tuple(related),
        sources=tuple(sources),
        path=_text(row, "path", optional=True),
        lang=_text(row, "lang", optional=True) or "en",
        translation_of=_text(row, "translation_of", optional=True),
    )


def source_from_row(row: Mapping[str, Any] | sqlite3.Row, card_id: str = "?") -> Source:
    """The Source of a sources row (BadRow when its citation is not text)."""
    values = {name: row[name] for name in SOURCE_FIELDS}
    for name, value in values.items():
        if not isinstance(value, str) and (name == "cite" or value is not None):
            raise BadRow(card_id, f"source {name}", value)
    return Source(**values)


def hit_from_row(row: Mapping[str, Any] | sqlite3.Row, snippet: str, score: float = 0.0) -> Hit:
    """A search hit from a cards row (with at least id, title, category, audience) and its snippet; a missing
    title reads "(damaged card ID)", so that one bad row shows as such and every other result still does."""
    card_id = str(row["id"])
    title = row["title"] if isinstance(row["title"], str) else f"(damaged card {card_id})"
    lang = row["lang"] if "lang" in row.keys() and isinstance(row["lang"], str) else "en"
    return Hit(card_id, title, str(row["category"]), str(row["audience"]), snippet, score, lang or "en")
