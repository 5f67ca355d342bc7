"""Typo correction: an unknown word as the nearest indexed word, or split into indexed words."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable, Iterator

from .lookup import _docs, _term_exists
from .text import STOPWORDS


def _distance(a: str, b: str, limit: int) -> int:
    """Edits from a to b (insert, delete, replace, or swap two neighbours), or limit + 1 when more than limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            edits = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before and j > 1 and ca == b[j - 2] and a[i - 2] == cb and ca != cb:
                edits = min(edits, before[j - 2] + 1)  # two letters typed the wrong way round
            current.append(edits)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


# Typo correction looks words up rather than reading the vocabulary: every word one slip away from the typed one
# (a letter dropped, added, changed, or two swapped) is looked up in the index, so one slip costs the same few
# milliseconds on a pack of 100,000 cards as on the shipped one. Two slips (words of 9 letters or more) need a
# read of the vocabulary, which stops when this time is up (per query, shared by its unknown words), keeping the
# best word found by then.
CORRECTION_BUDGET = 0.015  # seconds
_BUDGET_CHECK = 256  # rows read between looks at the clock
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_LOOKUP_CHUNK = 500  # words per IN (...) lookup


def _deadline() -> float:
    """When a query's typo correction stops (time.perf_counter()): CORRECTION_BUDGET from now, read at call time."""
    return time.perf_counter() + CORRECTION_BUDGET


def _one_slip(token: str, swap_only: bool) -> tuple[set[str], set[str]]:
    """(every word one slip from token, those of its own length): letters dropped, swapped, changed, added."""
    letters = sorted(set(_ALPHABET) | set(token))
    splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]}
    if swap_only:
        return swaps, swaps
    same_length = swaps | {a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]}
    drops = {a + b[1:] for a, b in splits if b}
    adds = {a + c + b for a, b in splits for c in letters}
    return same_length | drops | adds, same_length


def _correct(conn: sqlite3.Connection, token: str, typing: bool, deadline: float | None = None) -> str | None:
    """The nearest indexed word to a token that matches nothing (frequent words first), or None.

    Three letters or fewer are left alone: they are mostly abbreviations, whose one-letter neighbours are other
    words (NNT is not "not"). Four letters only swap two neighbours (dsoe is dose; weed is not week, COPD is
    not copy). One slip (a swap of two letters counts as one) up to 8 letters, two from 9, so a drug name does
    not turn into another word (clozapine is not cocaine, propofol is not protocol). Only the word being typed
    (typing) may be the start of a longer word. A word with the same first letter is preferred (most slips keep
    it), then the fewest slips, then the word more cards use.
    """
    if len(token) < 4 or token.isdigit():
        return None
    limit = 1 if len(token) <= 8 else 2
    swap_only = len(token) == 4
    found: dict[str, int] = {}
    near, same_length = _one_slip(token, swap_only)
    words = sorted(near)
    for at in range(0, len(words), _LOOKUP_CHUNK):
        chunk = words[at : at + _LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT term, docs FROM terms WHERE term IN ({marks})", chunk).fetchall())
    if typing and not swap_only:  # the start of a longer word, one slip away: its most used word
        for start in sorted(same_length):
            row = conn.execute(
                "SELECT term, docs FROM terms WHERE term > ? AND term < ? ORDER BY docs DESC, term LIMIT 1",
                (start, start + "\U0010ffff"),
            ).fetchone()
            if row:
                found.setdefault(row[0], row[1])

    def nearest(candidates: Iterable[tuple[str, int]], same_first: bool) -> tuple[float, int, str] | None:
        best: tuple[float, int, str] | None = None
        for term, docs in candidates:
            if (term[:1] == token[0]) != same_first:
                continue
            if term.isdigit() or term in STOPWORDS or (swap_only and sorted(term) != sorted(token)):
                continue
            whole = _distance(token, term, limit)
            start: float = limit + 1  # a word still being typed: compared with the start of the indexed word
            if typing and len(term) > len(token):
                start = _distance(token, term[: len(token)], limit) + 0.5
            distance = min(whole, start)
            if distance <= limit and (best is None or (distance, -docs, term) < best):
                best = (distance, -docs, term)
        return best

    for same_first in (True, False):
        best = nearest(found.items(), same_first)
        if limit == 2 and (best is None or best[0] > 1.5):  # two slips: read the vocabulary, while time allows
            read = nearest(_vocabulary(conn, token, typing, deadline, same_first), same_first)
            best = read if best is None or (read is not None and read < best) else best
        if best is not None:
            return best[2]
    return None


def _vocabulary(
    conn: sqlite3.Connection, token: str, typing: bool, deadline: float | None, same_first: bool
) -> Iterator[tuple[str, int]]:
    """Indexed words within two letters of the token's length, with its first letter or not, until the deadline
    (time.perf_counter()); the word being typed may be the start of a longer word with the same first letter."""
    first = (token[0], token[0] + "\U0010ffff")
    if same_first:
        sql = "SELECT term, docs FROM terms WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?"
        rows = conn.execute(sql, (*first, len(token) - 2, 10**6 if typing else len(token) + 2))
    else:
        sql = "SELECT term, docs FROM terms WHERE length(term) BETWEEN ? AND ? AND NOT (term >= ? AND term < ?)"
        rows = conn.execute(sql, (len(token) - 2, len(token) + 2, *first))
    for n, row in enumerate(rows):
        if deadline is not None and n % _BUDGET_CHECK == 0 and time.perf_counter() > deadline:
            return
        yield row


def _repair(conn: sqlite3.Connection, token: str, typing: bool, deadline: float | None = None) -> list[str]:
    """An unknown token as indexed words: 84mg -> 84 mg, a typo -> the nearest word, blackbox -> black box."""
    parts = re.findall(r"\d+|[^\W\d_]+", token)
    if len(parts) > 1 and all(_term_exists(conn, part, False) for part in parts):
        return parts
    nearest = _correct(conn, token, typing, deadline)
    if nearest:
        return [nearest]
    if token.isalpha() and len(token) >= 6:
        splits = [(min(_docs(conn, token[:i]), _docs(conn, token[i:])), i) for i in range(3, len(token) - 2)]
        docs, at = max(splits)
        if docs:
            return [token[:at], token[at:]]
    return [token]
