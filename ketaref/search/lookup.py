"""What a pack holds: a word or prefix in its vocabulary, a card matching an FTS5 expression within the filters."""

from __future__ import annotations

import sqlite3

from ..schema import FTS_TABLE


def card_filters(category: str | None, audience: str | None, prefix: str = "") -> tuple[str, list[str]]:
    """SQL conditions (each starting with AND) and their parameters for the category and audience filters."""
    sql, params = "", []
    for column, value in (("category", category), ("audience", audience)):
        if value:
            sql += f" AND {prefix}{column} = ?"
            params.append(value)
    return sql, params


def _term_exists(conn: sqlite3.Connection, token: str, prefix: bool) -> bool:
    if not prefix:
        return conn.execute("SELECT 1 FROM terms WHERE term = ?", (token,)).fetchone() is not None
    row = conn.execute("SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1", (token, token + "\U0010ffff"))
    return row.fetchone() is not None


def _docs(conn: sqlite3.Connection, term: str) -> int:
    row = conn.execute("SELECT docs FROM terms WHERE term = ?", (term,)).fetchone()
    return int(row[0]) if row else 0


def _exists(conn: sqlite3.Connection, match: str, category: str | None, audience: str | None) -> bool:
    """True when some card (within the filters) matches an FTS5 expression."""
    filters, params = card_filters(category, audience, "c.")
    if filters:
        sql = f"SELECT 1 FROM {FTS_TABLE} JOIN cards c ON c.rowid = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH ?"
    else:
        sql = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
    return conn.execute(sql + filters + " LIMIT 1", [match, *params]).fetchone() is not None
