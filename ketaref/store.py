"""Open a pack read-only, check that it is a sound KetaRef pack, and read cards from it."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotFoundError, PackError
from .model import CATEGORIES, Card, Hit, SearchResult
from .pack_guard import (
    VERIFY_TIME_LIMIT,
    TimeLimit,
    check_header,
    future_version_problem,
    harden,
    size_scan_problem,
    sqlite_reason,
)
from .schema import (
    CARD_COLUMNS,
    HIT_COLUMNS,
    MAX_BODY_BYTES,
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

if TYPE_CHECKING:
    from typing import Any, ParamSpec, TypeVar

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
            reason = sqlite_reason(exc)
            raise PackError(f"The pack {pack.path} could not be read ({reason}); copy or build it again.") from exc

    return wrapper


class Pack:
    """An open, read-only pack."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, meta: dict[str, str], time_limit: TimeLimit | None = None
    ) -> None:
        self.path = path
        self.conn = conn
        self.meta = meta
        self._synonyms: Synonyms | None = None
        if time_limit is None:
            time_limit = TimeLimit()
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
            raise PackError(
                f"The pack {self.path} could not be searched: {sqlite_reason(exc)}. It may be damaged."
            ) from exc

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
        return card._replace(body_html=sanitize(card.body_html))

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
            raise PackError(f"The pack {self.path} is damaged ({sqlite_reason(exc)}); copy or build it again.") from exc
        if too_big:
            raise PackError(f"The pack {self.path} is refused: {too_big}.")
        if result != ["ok"]:
            problems = [line for line in "\n".join(result).splitlines() if line and not line.startswith("***")]
            others = len(problems) - 1
            more = f" and {others} more problem{'' if others == 1 else 's'}" if others > 0 else ""
            first = problems[0] if problems else "integrity check failed"
            raise PackError(f"The pack {self.path} is damaged ({first}{more}); copy or build it again.")


def open_pack(path: str | Path) -> Pack:
    """Open a pack read-only and immutable (a -wal or -shm beside it is neither read nor made) after checking it
    is an intact KetaRef pack of a supported schema, with exactly a pack's tables, cards within the size limit and
    a content version not dated in the future.

    Raises PackError with one plain sentence otherwise.
    """
    path = Path(path).expanduser()
    check_header(path)
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise PackError(f"Cannot open the pack {path}: {exc}.") from exc
    time_limit = TimeLimit()
    try:
        harden(conn)
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
                schema_problem(conn) or size_scan_problem(conn, path) or future_version_problem(meta["content_version"])
            )
            if problem:
                raise PackError(f"The pack {path} is refused: {problem}.")
    except sqlite3.DatabaseError as exc:
        conn.close()
        stopped = time_limit.reason(path, exc)
        if stopped is not None:
            raise stopped from exc
        raise PackError(f"{path} is damaged or not a KetaRef pack ({sqlite_reason(exc)}).") from exc
    except PackError:
        conn.close()
        raise
    return Pack(path, conn, meta, time_limit)
