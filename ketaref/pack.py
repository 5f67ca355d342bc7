"""Build a pack (one SQLite file) from card sources with sqlite-utils, atomically and deterministically."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TypeVar

from .atomic import atomic_path
from .cards import body_links
from .errors import CardError, KetarefError, Problem
from .model import Card
from .schema import (
    CARDS,
    FTS_COLUMNS,
    FTS_TABLE,
    LINKS,
    META,
    RANK,
    SCHEMA_VERSION,
    SOURCES,
    SYNONYMS,
    TABLES,
    TERMS_TABLE,
    TOKENIZE,
    Table,
    card_row,
    source_rows,
)
from .search import tokens
from .source_folder import builder_version, content_version, source_digest

log = logging.getLogger(__name__)
R = TypeVar("R")

Progress = Callable[[int, int], None]
Warn = Callable[[Problem], None]
# A job of fewer items than this runs in this process: starting workers would cost more than they save. Forked
# workers start at once with everything imported; spawned ones start Python and import the renderer again.
FORK_FROM = 24
SPAWN_FROM = 1000


def _can_fork() -> bool:
    """True where forking this process is safe: Linux, no other thread, no Qt (whose threads a fork would break)."""
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1 and "PySide6" not in sys.modules


class Workers:
    """Maps per-card work (parsing, rendering, grading) over every core when a job is large enough; the worker
    processes start with the first such job and serve the next ones until the block ends."""

    def __init__(self) -> None:
        self._pool: Any = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    @staticmethod
    def count() -> int:
        """How many processes a large job gets: one per core (one in a bundle, where a worker would be the app)."""
        return 1 if getattr(sys, "frozen", False) else os.cpu_count() or 1

    def _start(self, items: int, least: int) -> bool:
        """Start the worker processes if a job of this many items is worth them; True when they run it."""
        if self._pool is not None:
            return items >= max(least, FORK_FROM)
        if self.count() == 1:
            return False
        fork = _can_fork()
        if items < max(least, FORK_FROM if fork else SPAWN_FROM):
            return False
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if fork else "spawn")
        self._pool = ProcessPoolExecutor(self.count(), context)
        return True

    def map(self, function: Callable[..., R], *items: Sequence[Any], least: int = 0) -> Iterable[R]:
        """function over the items (zipped, as the builtin map), results in order; least: the fewest items worth
        sending to the workers for this job (its own start-up cost in each worker)."""
        count = len(items[0])
        if not self._start(count, least):
            return map(function, *items)
        chunk = max(1, min(200, count // (self.count() * 8)))  # small enough that no core idles long at the end
        return self._pool.map(function, *items, chunksize=chunk)  # type: ignore[no-any-return]


def _render(body: str, titles: dict[str, str]) -> tuple[str, str]:
    """(body_html, body_text) of one Markdown body; titles: those of the cards it links to."""
    from .render import html_to_text, markdown_to_html

    body_html = markdown_to_html(body, titles.get)
    return body_html, html_to_text(body_html)


def render_cards(
    cards: list[Card],
    progress: Progress | None = None,
    titles: dict[str, str] | None = None,
    workers: Workers | None = None,
) -> list[Card]:
    """Cards with body_html and body_text filled in from their Markdown (links titled from titles, else cards),
    rendered on every core when there are many."""
    from . import render  # noqa: F401  (imported before any worker is forked, so that each has it)
    from .model import WIKI_LINK_RE

    titles = titles if titles is not None else {c.id: c.title for c in cards}
    linked = [
        {key: titles[key] for key in (m.strip() for m in WIKI_LINK_RE.findall(c.body)) if key in titles} for c in cards
    ]
    done = []
    with nullcontext(workers) if workers else Workers() as pool:
        rendered = pool.map(_render, [c.body for c in cards], linked)
        for n, (card, (body_html, body_text)) in enumerate(zip(cards, rendered, strict=True), 1):
            done.append(card._replace(body_html=body_html, body_text=body_text))
            if progress and (n % 200 == 0 or n == len(cards)):
                progress(n, len(cards))
    return done


def _insert(conn: sqlite3.Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows into a table made from the schema (one executemany: sqlite-utils' insert_all is slower)."""
    names = list(table.columns)
    quoted = ", ".join(f"[{name}]" for name in names)
    sql = f"INSERT INTO [{table.name}] ({quoted}) VALUES ({', '.join('?' * len(names))})"
    conn.executemany(sql, ([row[name] for name in names] for row in rows))


def _write(db_path: Path, cards: list[Card], groups: list[list[str]], meta: dict[str, str]) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    # A new file that only replaces the pack once complete: no journal, no syncs and a large cache while writing.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -131072")
    # Every table is created up front, so a pack with no links or no synonyms still has them.
    for table in TABLES:
        db.table(table.name).create(dict(table.columns), pk=table.pk, foreign_keys=list(table.foreign_keys) or None)
    _insert(db.conn, CARDS, map(card_row, cards))
    _insert(db.conn, SOURCES, (row for c in cards for row in source_rows(c)))
    links = sorted(
        {(c.id, r, "related") for c in cards for r in c.related}
        | {(c.id, target, "body") for c in cards for target, _ in body_links(c.body)}
    )
    _insert(db.conn, LINKS, ({"from_id": a, "to_id": b, "kind": k} for a, b, k in links))
    _insert(
        db.conn,
        SYNONYMS,
        ({"group_id": g, "term": t, "tokens": " ".join(tokens(t))} for g, terms in enumerate(groups, 1) for t in terms),
    )
    db.table(CARDS.name).create_index(["category_order", "title"])
    db.execute(f"CREATE INDEX cards_title_nocase ON {CARDS.name}(title COLLATE NOCASE)")
    db.table(CARDS.name).enable_fts(list(FTS_COLUMNS), tokenize=TOKENIZE)
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES('rank', '{RANK}')")
    db.execute(f"CREATE VIRTUAL TABLE temp.cards_vocab USING fts5vocab(main, '{FTS_TABLE}', 'row')")
    db.execute(f"CREATE TABLE {TERMS_TABLE} (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID")
    db.execute(f"INSERT INTO {TERMS_TABLE} SELECT term, doc FROM temp.cards_vocab")
    _insert(db.conn, META, ({"key": k, "value": v} for k, v in sorted(meta.items())))
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.conn.commit()
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('optimize')")
    db.conn.commit()
    db.execute("VACUUM")
    db.close()


def build(
    source: Path,
    output: Path,
    progress: Progress | None = None,
    warn: Warn | None = None,
    today: dt.date | None = None,
    keep_grades: bool = False,
) -> dict[str, str]:
    """Check the source folder as `ketaref lint` does and write a pack to output atomically; return its meta.

    Every build runs lint.check_source: each warning goes to warn (else to the log); any error raises CardError
    with every problem, and the old output stays untouched. keep_grades: see lint.check_source.
    """
    from .lint import check_source

    report = check_source(source, today, progress, keep_grades=keep_grades)
    if report.errors:
        raise CardError(report.problems)
    for problem in report.warnings:
        if warn is not None:
            warn(problem)
        else:
            log.warning("%s", problem)
    cards = report.rendered
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "content_version": content_version(source),
        "built_at": now.replace(microsecond=0).isoformat(),
        "content_sha256": source_digest(source),
        "builder_version": builder_version(),
        "cards": str(len(cards)),
    }
    output = output.resolve()
    if output.is_dir():
        raise KetarefError(f"{output} is a folder: give a file name for the pack, e.g. {output / 'pack.sqlite'}")
    from .atomic import NotAFileError, check_target

    try:
        check_target(output)  # never replace a device, a pipe or a socket
    except NotAFileError as exc:
        raise KetarefError(f"Not written: {exc}.") from exc
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(output) as tmp:
            tmp.unlink()  # sqlite-utils creates the database itself
            _write(tmp, cards, report.groups, meta)
    except OSError as exc:
        raise KetarefError(f"cannot write the pack to {output}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:  # "database or disk is full": the old pack stays
        raise KetarefError(f"cannot write the pack to {output}: {exc}; the previous pack is unchanged") from exc
    log.info("built %s: %d cards", output, len(cards))
    return meta
