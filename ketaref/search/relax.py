"""When no card holds every word: the best subset some card holds together, and the notice saying so."""

from __future__ import annotations

import itertools
import sqlite3
from typing import NamedTuple

from ..model import Hit, SearchResult
from .lookup import _exists, _term_exists
from .query import _Unit, _Word
from .rank import _counts, _ranked, _weights
from .text import stem

# When no card holds every word: the subsets tried at most (of the best words at most), and how much more a
# word counts that some card names in its title or keywords.
MAX_SUBSET_CHECKS = 24
MAX_SUBSET_WORDS = 8
TOPICAL_FACTOR = 3.0


class _Found(NamedTuple):
    """Ranked hits, and the units their first cards hold (all of them unless no card held every one)."""

    hits: list[Hit]
    matched: list[_Unit]
    unmatched: list[_Unit]
    absent: list[_Unit]


def _present(conn: sqlite3.Connection, unit: _Unit, category: str | None, audience: str | None) -> bool:
    """True when some card (within the filters) holds the unit: from the vocabulary when it can tell."""
    if category or audience or any(len(alt) > 1 for alt in unit.alternatives):
        return _exists(conn, unit.expression(), category, audience)
    for (token,) in unit.alternatives:
        if unit.synonym:
            prefix = len(token) >= 4 and not token.isdigit()
        else:
            prefix, token = not token.isdigit(), token if token.isdigit() else stem(token)
        if _term_exists(conn, token, prefix):
            return True
    return False


def _find(
    conn: sqlite3.Connection,
    units: list[_Unit],
    limit: int,
    category: str | None,
    audience: str | None,
    typed: list[str],
) -> _Found:
    """The cards holding every unit; when none does, those holding the best subset, then those holding any."""
    if not units:
        return _Found([], [], [], [])
    # Which units some card holds; a number with its unit that no card has gives way to the unit alone.
    present: list[_Unit] = []
    original: dict[int, _Unit] = {}
    absent: list[_Unit] = []
    dropped: set[int] = set()
    for unit in units:
        if _present(conn, unit, category, audience):
            present.append(unit)
            continue
        if unit.weight and not unit.fallback:
            dropped.add(id(unit))  # an age between the groups the cards name: it changes nothing
            continue
        if unit.fallback:
            shown = unit.words[-1].raw if len(unit.words) > 1 else unit.words[0].raw.lstrip("0123456789.,")
            stand_in = _Unit([_Word(shown, unit.fallback[0])], unit.fallback, False)
            if _exists(conn, stand_in.expression(), category, audience):
                present.append(stand_in)
                original[id(stand_in)] = unit
                if unit.weight:
                    continue  # a body weight is no card's word: the weight-based cards answer it
        absent.append(unit)
    if not absent and not original and not dropped:
        hits = _ranked(conn, units, limit, category, audience, typed)
        if hits or len(units) == 1:
            return _Found(hits, units, [], [])
        subset = _best_subset(conn, present, category, audience, together=False)
    else:
        subset = _best_subset(conn, present, category, audience)
    hits = _ranked(conn, subset, limit, category, audience, typed) if subset else []
    if len(hits) < limit and len(present) > len(subset):
        seen = {h.id for h in hits}
        hits += [h for h in _ranked(conn, present, limit, category, audience, typed, any_of=True) if h.id not in seen]
    held = {id(original.get(id(u), u)) for u in subset}
    missing = {id(u) for u in absent}
    # A dose that no card has is said even when its unit stands in for it ("0.75 mg/kg": the mg/kg cards).
    unmatched = [u for u in units if (id(u) not in held and id(u) not in dropped) or (id(u) in missing and u.fallback)]
    return _Found(hits[:limit], subset, unmatched, [u for u in absent if u in unmatched])


def _best_subset(
    conn: sqlite3.Connection,
    units: list[_Unit],
    category: str | None,
    audience: str | None,
    together: bool | None = None,
) -> list[_Unit]:
    """The units one card holds together that say the most: rarer words, and words naming some card's topic.

    "klonopin the night before the infusion" keeps klonopin (a few cards, in their keywords) over "night infusion".
    together: whether some card holds them all, when the caller knows.
    """
    if len(units) <= 1:
        return units
    expressions = [u.expression() for u in units]
    if together is None:
        together = _exists(conn, " AND ".join(expressions), category, audience)
    if together:
        return units
    # A word some card names in its title or keywords (MADRS of "madrs cutoff") counts more than one in passing.
    worth = [
        (TOPICAL_FACTOR if _exists(conn, f"{{title keywords}} : {e}", category, audience) else 1.0) * w
        for e, w in zip(expressions, _weights(units, *_counts(conn, units)), strict=True)
    ]
    best = sorted(range(len(units)), key=lambda i: -worth[i])[:MAX_SUBSET_WORDS]
    combos = [c for size in range(len(best) - 1, 1, -1) for c in itertools.combinations(best, size)]
    combos.sort(key=lambda c: -sum(worth[i] for i in c))
    for combo in combos[:MAX_SUBSET_CHECKS]:
        if sum(worth[i] for i in combo) <= worth[best[0]]:
            break  # the best word alone says more
        if _exists(conn, " AND ".join(expressions[i] for i in sorted(combo)), category, audience):
            return [units[i] for i in sorted(combo)]
    return [units[best[0]]]


def relaxed_notice(result: SearchResult, quotes: str = '""') -> str:
    """What a relaxed search did, in words: 'No card mentions "dementia"; showing cards for "spravato"'.

    Empty when every word matched. quotes gives the opening and closing quote marks.
    """
    if not result.unmatched or not result.matched_query:
        return ""
    opening, closing = quotes[0], quotes[-1]

    def listed(words: list[str]) -> str:
        return " or ".join(f"{opening}{word}{closing}" for word in words)

    shown = f"{opening}{result.matched_query}{closing}"
    absent = [w for w in result.unmatched if w in result.absent]
    elsewhere = [w for w in result.unmatched if w not in result.absent]  # in some card, not with the others
    if not elsewhere:
        return f"No card mentions {listed(absent)}; showing cards for {shown}"
    together = f"{listed(elsewhere)} together with {shown}; showing cards for {shown} first"
    return f"No card mentions {listed(absent)}, nor {together}" if absent else f"No card mentions {together}"
