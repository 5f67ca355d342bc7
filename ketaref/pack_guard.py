"""What stands between a pack file and the app: the file header check, SQLite's hardening for an untrusted
database, the time limit on every read, the size limits, and the refusal of a content version dated in the future."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import PackError
from .schema import MAX_BODY_BYTES, RENDERED_FACTOR, size_problem

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


class TimeLimit:
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


def harden(conn: sqlite3.Connection) -> None:
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


def check_header(path: Path) -> None:
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


def sqlite_reason(exc: sqlite3.Error) -> str:
    """SQLite's message on one short line: a text it could not decode is left out (it may span many lines)."""
    text = str(exc).split(" with text ", 1)[0].strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first if len(first) <= 120 else first[:119] + "\u2026"


def size_scan_problem(conn: sqlite3.Connection, path: Path) -> str | None:
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
