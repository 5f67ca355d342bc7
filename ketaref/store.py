"""Open a pack read-only, check that it is a sound KetaRef pack, and read cards from it."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .errors import NotFoundError, PackError
from .model import CATEGORIES, Card, Hit, SearchResult
from .schema import (
    CARD_COLUMNS,
    HIT_COLUMNS,
    REQUIRED_META,
    REQUIRED_TABLES,
    SCHEMA_VERSION,
    SOURCE_FIELDS,
    card_from_row,
    columns,
    hit_from_row,
    named,
    source_from_row,
)
from .search import Synonyms, card_filters, escape, search

MAGIC = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    """Cheap checks of the file itself: present, not empty, SQLite, not truncated."""
    if not path.exists():
        raise PackError(f"No pack file at {path}.")
    if path.is_dir():
        raise PackError(f"{path} is a folder, not a pack file.")
    size = path.stat().st_size
    if size == 0:
        raise PackError(f"The pack file {path} is empty (0 bytes); copy or build it again.")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise PackError(f"Cannot read the pack file {path}: {exc.strerror}.") from exc
    if not header.startswith(MAGIC) or len(header) < 100:
        raise PackError(f"{path} is not a KetaRef pack (it is not an SQLite database).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[92:96] == header[24:28]
    if valid and pages and size < page_size * pages:
        raise PackError(
            f"The pack file {path} is truncated ({size:,} of {page_size * pages:,} bytes); copy or build it again."
        )


P = ParamSpec("P")
R = TypeVar("R")


def _reads(method: Callable[P, R]) -> Callable[P, R]:
    """A damaged page read on the way (a disk or copy fault) becomes a plain PackError, not a traceback."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            pack = args[0]
            assert isinstance(pack, Pack)
            reason = _reason(exc)
            raise PackError(f"The pack {pack.path} could not be read ({reason}); copy or build it again.") from exc

    return wrapper


def _reason(exc: sqlite3.Error) -> str:
    """SQLite's message on one short line: a text it could not decode is left out (it may span many lines)."""
    text = str(exc).split(" with text ", 1)[0].strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first if len(first) <= 120 else first[:119] + "\u2026"


class Pack:
    """An open, read-only pack."""

    def __init__(self, path: Path, conn: sqlite3.Connection, meta: dict[str, str]) -> None:
        self.path = path
        self.conn = conn
        self.meta = meta
        self._synonyms: Synonyms | None = None

    @property
    def content_version(self) -> str:
        """The maintainer's content version of this pack."""
        return self.meta.get("content_version", "0")

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    def __enter__(self) -> Pack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(
        self, query: str, limit: int = 20, category: str | None = None, audience: str | None = None
    ) -> SearchResult:
        """Search the cards; never raises on any query text."""
        try:
            if self._synonyms is None:
                self._synonyms = Synonyms.load(self.conn)
            return search(self.conn, query, limit=limit, category=category, audience=audience, synonyms=self._synonyms)
        except sqlite3.DatabaseError as exc:
            raise PackError(f"The pack {self.path} could not be searched: {exc}. It may be damaged.") from exc

    @_reads
    def card(self, card_id: str) -> Card:
        """One card by id (ids are lower case: DOSE-REMS finds dose-rems); NotFoundError names the id, and the
        nearest ids when there are some, when the pack does not hold it."""
        card_id = card_id.strip().lower()
        row = next(named(self.conn, f"SELECT {columns(CARD_COLUMNS)} FROM cards WHERE id = ?", (card_id,)), None)
        if row is None:
            import difflib

            ids = [row["id"] for row in named(self.conn, "SELECT id FROM cards")]
            scored = sorted(((difflib.SequenceMatcher(None, card_id, i).ratio(), i) for i in ids), reverse=True)
            # The nearest ids only: a slip of a letter or two, not every id that shares a word.
            near = [i for ratio, i in scored[:3] if ratio >= 0.6 and ratio >= scored[0][0] - 0.1] if scored else []
            hint = f" Did you mean {' or '.join(near)}?" if near else ""
            raise NotFoundError(f"No card with id '{card_id}' in this pack.{hint}")
        sql = f"SELECT {columns(SOURCE_FIELDS)} FROM sources WHERE card_id = ? ORDER BY n"
        return card_from_row(row, map(source_from_row, named(self.conn, sql, (card_id,))))

    @_reads
    def has_card(self, card_id: str) -> bool:
        """True when the pack holds a card with this id."""
        return self.conn.execute("SELECT 1 FROM cards WHERE id = ?", (card_id,)).fetchone() is not None

    @_reads
    def titles(self) -> dict[str, str]:
        """Every card id with its title."""
        return dict(self.conn.execute("SELECT id, title FROM cards"))

    @_reads
    def browse(self, category: str | None = None, audience: str | None = None) -> list[Hit]:
        """All cards (or one category's) in the mission's category order, then by title; the snippet is the
        summary (HTML-escaped, as every Hit.snippet)."""
        filters, params = card_filters(category, audience)
        sql = f"SELECT {columns(HIT_COLUMNS)} FROM cards WHERE 1=1{filters}"
        sql += " ORDER BY category_order, title COLLATE NOCASE"
        return [hit_from_row(r, escape(r["summary"])) for r in named(self.conn, sql, params)]

    @_reads
    def categories(self) -> dict[str, int]:
        """Card count per category, in the mission's order."""
        counts = dict(self.conn.execute("SELECT category, count(*) FROM cards GROUP BY category"))
        return {c: counts[c] for c in CATEGORIES if c in counts}

    @_reads
    def card_digests(self) -> dict[str, str]:
        """Per card, a digest of its stored content (to tell which cards changed between packs)."""
        fields = ("title", "summary", "body", "reviewed")
        rows = named(self.conn, f"SELECT id, {columns(fields)} FROM cards")
        import hashlib

        return {r["id"]: hashlib.sha256("\x00".join(r[f] for f in fields).encode()).hexdigest() for r in rows}

    @_reads
    def reviewed_dates(self) -> dict[str, str]:
        """Per card, its last-reviewed date."""
        return dict(self.conn.execute("SELECT id, reviewed FROM cards"))

    @_reads
    def info(self) -> dict[str, Any]:
        """The pack's identity and contents, as `ketaref info --json` prints them."""
        return {
            "schema_version": int(self.meta["schema_version"]),
            "content_version": self.meta["content_version"],
            "built_at": self.meta["built_at"],
            "content_sha256": self.meta["content_sha256"],
            "cards": sum(self.categories().values()),
            "categories": self.categories(),
        }

    def verify(self) -> None:
        """Full integrity check of every page (slower than opening); PackError when damaged."""
        try:
            result = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            raise PackError(f"The pack {self.path} is damaged ({exc}); copy or build it again.") from exc
        if result != ["ok"]:
            problems = [line for line in "\n".join(result).splitlines() if line and not line.startswith("***")]
            more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
            first = problems[0] if problems else "integrity check failed"
            raise PackError(f"The pack {self.path} is damaged ({first}{more}); copy or build it again.")


def open_pack(path: str | Path) -> Pack:
    """Open a pack read-only after checking it is an intact KetaRef pack of a supported schema.

    Raises PackError with one plain sentence otherwise.
    """
    path = Path(path).expanduser()
    _check_header(path)
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise PackError(f"Cannot open the pack {path}: {exc}.") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if "meta" not in tables or "cards" not in tables:
            raise PackError(f"{path} is an SQLite database but not a KetaRef pack.")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        try:
            schema = int(meta.get("schema_version", user_version))
        except ValueError:
            schema = -1
        if schema > SCHEMA_VERSION:
            raise PackError(
                f"The pack {path} needs a newer KetaRef (pack schema {schema}; this version reads "
                f"schema {SCHEMA_VERSION}): update KetaRef or use an older pack."
            )
        if schema < 1 or schema != user_version:
            raise PackError(f"The pack {path} has an unknown schema version ({schema}); build it again.")
        missing = sorted(REQUIRED_TABLES - tables) + [k for k in REQUIRED_META if k not in meta]
        if missing:
            raise PackError(f"The pack {path} is incomplete (missing {', '.join(missing)}); build it again.")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise PackError(f"{path} is damaged or not a KetaRef pack ({exc}).") from exc
    except PackError:
        conn.close()
        raise
    return Pack(path, conn, meta)
