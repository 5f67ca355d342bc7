"""Open a pack read-only, check that it is a sound KetaRef pack, and read cards from it."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import math
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .errors import NotFoundError, PackError
from .model import CATEGORIES, Card, Hit, SearchResult
from .schema import (
    CARD_COLUMNS,
    HIT_COLUMNS,
    MAX_BODY_BYTES,
    RENDERED_FACTOR,
    REQUIRED_META,
    REQUIRED_TABLES,
    SCHEMA_VERSION,
    SOURCE_FIELDS,
    BadRow,
    card_from_row,
    columns,
    hit_from_row,
    named,
    schema_problem,
    size_problem,
    source_from_row,
)
from .search import Synonyms, card_filters, escape, search

MAGIC = b"SQLite format 3\x00"
# Every statement on a pack must finish within this many seconds (a hostile pack must not hang the app); the
# full integrity check of verify() gets VERIFY_TIME_LIMIT. Checked every PROGRESS_STEPS SQLite VM steps.
QUERY_TIME_LIMIT = 10.0
VERIFY_TIME_LIMIT = 300.0
PROGRESS_STEPS = 20_000
# No single value read from a pack may be larger than a card's HTML may be (SQLite refuses to load it, at no cost).
MAX_VALUE_BYTES = RENDERED_FACTOR * MAX_BODY_BYTES
# Packs up to this size, or with more bytes per card than SCAN_BYTES_PER_CARD, have every card's size checked when
# opened (0.2 ms for the default pack; reading a 20,000-card 118 MB pack through takes 80 ms). Any pack is checked
# at verify() (every update), each card when it is read, and no value over MAX_VALUE_BYTES is ever loaded.
SIZE_SCAN_BYTES = 64_000_000
SCAN_BYTES_PER_CARD = 64_000
# A content version whose date (year.month...) is more than this many days after today is refused.
MAX_DAYS_AHEAD = 366


class _TimeLimit:
    """The time limit of a connection: each read of the pack (a Pack method, a search, the checks when opening)
    must be done within `limit` seconds, else SQLite's progress handler, called every PROGRESS_STEPS VM steps,
    interrupts its query. (No per-statement hook: a search runs up to a thousand statements.)"""

    def __init__(self, limit: float | None = None) -> None:
        self.limit = QUERY_TIME_LIMIT if limit is None else limit
        self.current = self.limit  # the limit of the read under way
        self.deadline = math.inf  # no read under way: nothing to stop
        self.depth = 0
        self.timed_out = False

    @contextlib.contextmanager
    def running(self, limit: float | None = None) -> Iterator[None]:
        """A read of the pack: its queries must be done within the limit (a read inside another counts as its)."""
        if self.depth == 0:
            self.current = self.limit if limit is None else limit
            self.deadline = time.monotonic() + self.current
            self.timed_out = False
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if self.depth == 0:
                self.deadline = math.inf

    def check(self) -> int:
        """SQLite's progress handler: non-zero interrupts the query."""
        if time.monotonic() > self.deadline:
            self.timed_out = True
            return 1
        return 0

    def attach(self, conn: sqlite3.Connection) -> None:
        """Let this time limit stop the connection's queries."""
        conn.set_progress_handler(self.check, PROGRESS_STEPS)

    def error(self, path: Path) -> PackError:
        """The plain message for a statement that ran out of time."""
        return PackError(
            f"The pack {path} took too long to read (over {self.current:g} s); it may be damaged or hostile."
        )

    def reason(self, path: Path, exc: sqlite3.Error) -> PackError | None:
        """The plain message for a statement stopped by a limit of this module (time, or size of a value)."""
        if self.timed_out:
            return self.error(path)
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_TOOBIG:
            return PackError(
                f"The pack {path} is refused: it holds a card larger than the limit of {MAX_BODY_BYTES:,} bytes of "
                "text; it may be damaged or hostile."
            )
        return None


def _harden(conn: sqlite3.Connection) -> None:
    """SQLite's settings for an untrusted database: no functions or virtual tables run from the schema, defensive
    mode where this Python can set it, and a cap on the size of any one value."""
    conn.execute("PRAGMA trusted_schema = OFF")
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if defensive is not None and hasattr(conn, "setconfig"):  # Python 3.12+
        conn.setconfig(defensive, True)
    length = getattr(sqlite3, "SQLITE_LIMIT_LENGTH", None)
    if length is not None and hasattr(conn, "setlimit"):  # Python 3.11+
        conn.setlimit(length, MAX_VALUE_BYTES)


def version_date(version: str) -> dt.date | None:
    """The date a dotted content version starts with (2026.11.3 -> 2026-11-01), or None when it starts with no
    plausible year."""
    parts = version.strip().split(".")
    if not parts[0].isdigit() or not 1900 <= int(parts[0]) <= 9999:
        return None
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12 else 1
    return dt.date(int(parts[0]), month, 1)


def future_version_problem(version: str) -> str | None:
    """Why a content version is refused as too far ahead of today (a pack claiming 2099.1.1 would otherwise beat
    every genuine update), or None."""
    from . import clock

    date = version_date(version)
    if date is not None and (date - clock.today()).days > MAX_DAYS_AHEAD:
        today = clock.today().isoformat()
        return f"its content version {version[:40]} is dated more than a year after today ({today})"
    return None


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
        pack = args[0]
        assert isinstance(pack, Pack)
        try:
            with pack.time_limit.running():
                return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            stopped = pack.time_limit.reason(pack.path, exc)
            if stopped is not None:
                raise stopped from exc
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

    def __init__(
        self, path: Path, conn: sqlite3.Connection, meta: dict[str, str], time_limit: _TimeLimit | None = None
    ) -> None:
        self.path = path
        self.conn = conn
        self.meta = meta
        self._synonyms: Synonyms | None = None
        if time_limit is None:
            time_limit = _TimeLimit()
            time_limit.attach(conn)
        self.time_limit = time_limit

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
            with self.time_limit.running():
                if self._synonyms is None:
                    self._synonyms = Synonyms.load(self.conn)
                return search(
                    self.conn, query, limit=limit, category=category, audience=audience, synonyms=self._synonyms
                )
        except sqlite3.DatabaseError as exc:
            stopped = self.time_limit.reason(self.path, exc)
            if stopped is not None:
                raise stopped from exc
            raise PackError(f"The pack {self.path} could not be searched: {_reason(exc)}. It may be damaged.") from exc

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
            near = [i for i in near if not (i.endswith("-es") and i.removesuffix("-es") in near)]  # the English one
            hint = f" Did you mean {' or '.join(near)}?" if near else ""
            raise NotFoundError(f"No card with id '{card_id}' in this pack.{hint}")
        sql = f"SELECT {columns(SOURCE_FIELDS)} FROM sources WHERE card_id = ? ORDER BY n"
        try:
            card = card_from_row(row, [source_from_row(r, card_id) for r in named(self.conn, sql, (card_id,))])
        except BadRow as exc:
            raise PackError(f"The pack {self.path} is damaged: its {exc}; copy or build it again.") from exc
        if len(card.body) > MAX_BODY_BYTES:  # in a pack too big to have every card checked when opened
            raise PackError(
                f"The pack {self.path} is refused: its card {card_id!r} is larger than the limit of "
                f"{MAX_BODY_BYTES:,} bytes of text."
            )
        from .render import sanitize

        # The stored HTML is never trusted: it is cleaned again, with the build's own rules, on every read.
        return dataclasses.replace(card, body_html=sanitize(card.body_html))

    @_reads
    def has_card(self, card_id: str) -> bool:
        """True when the pack holds a card with this id."""
        return self.conn.execute("SELECT 1 FROM cards WHERE id = ?", (card_id,)).fetchone() is not None

    @_reads
    def titles(self) -> dict[str, str]:
        """Every card id with its title (a damaged title reads as its id)."""
        rows = self.conn.execute("SELECT id, title FROM cards")
        return {str(i): t if isinstance(t, str) else str(i) for i, t in rows}

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
        """Per card, a digest of everything the app shows, searches or prints of it: every cards column but the
        build's source path and sort key, its sources and its links (to tell which cards changed between packs)."""
        import hashlib
        import json

        fields = [name for name in CARD_COLUMNS if name != "path"]
        extra: dict[str, list[Any]] = {}
        sources = f"SELECT card_id, n, {columns(SOURCE_FIELDS)} FROM sources ORDER BY card_id, n"
        for row in self.conn.execute(sources):
            extra.setdefault(str(row[0]), []).append(["source", *row[1:]])
        for row in self.conn.execute("SELECT from_id, to_id, kind FROM links ORDER BY from_id, to_id, kind"):
            extra.setdefault(str(row[0]), []).append(["link", *row[1:]])
        digests = {}
        for row in self.conn.execute(f"SELECT {columns(fields)} FROM cards"):
            card_id = str(row[0])
            data = json.dumps([list(row), extra.get(card_id, [])], ensure_ascii=False, default=repr)
            digests[card_id] = hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
        return digests

    @_reads
    def reviewed_dates(self) -> dict[str, str]:
        """Per card, its last-reviewed date (as stored)."""
        return {str(i): str(d) for i, d in self.conn.execute("SELECT id, reviewed FROM cards")}

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
            with self.time_limit.running(VERIFY_TIME_LIMIT):
                result = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
                too_big = size_problem(self.conn) if result == ["ok"] else None
        except sqlite3.DatabaseError as exc:
            stopped = self.time_limit.reason(self.path, exc)
            if stopped is not None:
                raise stopped from exc
            raise PackError(f"The pack {self.path} is damaged ({_reason(exc)}); copy or build it again.") from exc
        if too_big:
            raise PackError(f"The pack {self.path} is refused: {too_big}.")
        if result != ["ok"]:
            problems = [line for line in "\n".join(result).splitlines() if line and not line.startswith("***")]
            more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
            first = problems[0] if problems else "integrity check failed"
            raise PackError(f"The pack {self.path} is damaged ({first}{more}); copy or build it again.")


def _size_problem(conn: sqlite3.Connection, path: Path) -> str | None:
    """schema.size_problem, for a pack of up to SIZE_SCAN_BYTES or one with few cards for its size (a big pack of
    many cards is checked by verify() and card by card); a damaged page on the way is left to the read of the card
    it holds (and to verify()): a pack with one bad page still opens, its other cards readable."""
    try:
        size = path.stat().st_size
        if size > SIZE_SCAN_BYTES:
            cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
            if size <= SCAN_BYTES_PER_CARD * cards:
                return None
        return size_problem(conn)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_CORRUPT:
            raise
        return None


def open_pack(path: str | Path) -> Pack:
    """Open a pack read-only and immutable (a -wal or -shm beside it is neither read nor made) after checking it
    is an intact KetaRef pack of a supported schema, with exactly a pack's tables, cards within the size limit and
    a content version not dated in the future.

    Raises PackError with one plain sentence otherwise.
    """
    path = Path(path).expanduser()
    _check_header(path)
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise PackError(f"Cannot open the pack {path}: {exc}.") from exc
    time_limit = _TimeLimit()
    try:
        _harden(conn)
        time_limit.attach(conn)
        with time_limit.running():
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if "meta" not in tables or "cards" not in tables:
                raise PackError(f"{path} is an SQLite database but not a KetaRef pack.")
            meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
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
            problem = (
                schema_problem(conn) or _size_problem(conn, path) or future_version_problem(meta["content_version"])
            )
            if problem:
                raise PackError(f"The pack {path} is refused: {problem}.")
    except sqlite3.DatabaseError as exc:
        conn.close()
        stopped = time_limit.reason(path, exc)
        if stopped is not None:
            raise stopped from exc
        raise PackError(f"{path} is damaged or not a KetaRef pack ({_reason(exc)}).") from exc
    except PackError:
        conn.close()
        raise
    return Pack(path, conn, meta, time_limit)
