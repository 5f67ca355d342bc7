"""Ranking: the cards matching query units, ordered by how much they are about them, with marked snippets."""

from __future__ import annotations

import functools
import math
import re
import sqlite3

from ..model import CATEGORY_LABELS, Hit
from ..schema import FTS_TABLE, HIT_COLUMNS, SNIPPET_COLUMN, columns, hit_from_row, named
from .lookup import _docs, card_filters
from .query import _Unit
from .text import FILLER, FILLER_SPELLINGS, STOPWORDS, TOKEN_RE, escape, mark_pattern, normalize, stem, tokens

# A card with this id ending gives a drug's one-screen summary: a query that is just the drug's name opens it.
OVERVIEW_SUFFIX = "-at-a-glance"
# Where a word names a card's topic (the title before any colon, the rest of the title, a keyword, the category)
# and how much that counts; a word only in the summary or body counts for bm25 alone.
HEAD, TITLE, KEYWORD, IN_KEYWORD, CATEGORY = 1.0, 0.8, 0.7, 0.45, 0.6
ALSO_KEYWORD = 0.1  # added to a title match that a keyword confirms
SYNONYM_FACTOR = 0.92  # a title with the word as typed beats one with its synonym ("nasal spray", "intranasal")
HANDOUT_FACTOR = 0.8  # clinician cards before handouts on the same topic, unless a handout is asked for
# The drugs every card of the pack is about: typed with a topic word, they hardly decide the topic.
CONTEXT = frozenset({"ketamine", "esketamine", "spravato", "ketalar", "esk", "racemic", "iv", "intravenous",
                     "intravenously", "infusion", "infusions", "drip", "drips"})  # fmt: skip
CONTEXT_WEIGHT = 0.1
# Cards holding a word beyond which (or beyond a tenth of the pack) its titles are not searched for the topic.
COMMON_DOCS = 200
SNIPPET_TOKENS = 18
OPEN, CLOSE = "\x02", "\x03"
WHITESPACE = re.compile(r"\s+")


def _ranked(
    conn: sqlite3.Connection,
    units: list[_Unit],
    limit: int,
    category: str | None,
    audience: str | None,
    typed: list[str] | None = None,
    any_of: bool = False,
) -> list[Hit]:
    """The cards matching the units (any_of: any of them), best first, with snippets marking the words matched."""
    expressions = [u.expression() for u in units]
    if not expressions:
        return []
    # Marked in snippets: the words typed and their synonyms (BP finds "blood pressure", and shows it).
    prefixes = list(_terms(units))
    filters, params = card_filters(category, audience, "c.")
    sql = SQL.format(tokens=SNIPPET_TOKENS, filters=filters)
    hits: dict[str, Hit] = {}
    keywords: dict[str, str] = {}
    # First the title and keywords only: when they alone fill the page, those cards rank first anyway,
    # and a common word is ranked over a few thousand rows instead of every card. Then all columns.
    every = (" OR " if any_of else " AND ").join(expressions)
    stages = [(f"{{title keywords}} : ({every})", limit), (every, 1)]
    for match, enough in stages:
        found = list(named(conn, sql, [match, *params, limit]))
        if len(found) >= enough:
            break
    full = len(found) >= limit and match is stages[0][0]  # the title and keywords alone filled the page
    total, docs = _counts(conn, units) if len(units) > 1 else (1, [0] * len(units))
    # (a word in a tenth of a large pack's cards names no one topic: ranking its titles would only cost time)
    common = max(COMMON_DOCS, total // 10)
    topical = [e for u, e, d in zip(units, expressions, docs, strict=True) if not _is_context(u) and d <= common]
    if found and not full and len(units) > 1 and not any_of and topical:
        # Cards about one of the topic words (in their title or keywords) compete with those holding every word
        # in passing: "dextromethorphan with ketamine infusion" is the dextromethorphan card's question.
        found += named(conn, sql, [f"{{title keywords}} : ({' OR '.join(topical)})", *params, limit])
    for row in found:
        if row["id"] not in hits:
            snippet = _snippet(row["snippet"] or "", row["summary"], prefixes)
            hits[row["id"]] = hit_from_row(row, snippet, round(-row["rank"], 4))
            keywords[row["id"]] = row["keywords"] if isinstance(row["keywords"], str) else ""
    if not hits:
        return []
    weights = _weights(units, total, docs)
    typed = typed or []
    overview = len(units) == 1 and not any_of

    stems = {stem(t) if t.isalpha() else t for u in units for alt in u.alternatives for t in alt}

    def order(hit: Hit) -> tuple[float, float, int, float]:
        title, head_tokens = _title_tokens(hit.title if isinstance(hit.title, str) else "")
        score = _topic(units, weights, hit, keywords[hit.id], typed, title, head_tokens)
        if overview and str(hit.id).endswith(OVERVIEW_SUFFIX) and units[0].in_title(title):
            score += 1.0  # a drug's name alone: its one-screen summary first
        # Then the title most about the words ("Spravato (esketamine) approvals" before "Spravato session record
        # (REMS monitoring form)"), then the one that starts with them; then bm25.
        head = [t for t in head_tokens if t not in STOPWORDS]
        hits_at = [n for n, t in enumerate(head) if any(t.startswith(s) for s in stems)]
        first = hits_at[0] if hits_at else 99
        return -round(score, 3), -round(len(hits_at) / (len(head) or 1), 2), first, -hit.score

    return sorted(hits.values(), key=order)[:limit]


def _joined(toks: list[str]) -> str:
    """Tokens as one string that a unit's patterns are found in (see _Unit.patterns)."""
    return " " + " ".join(toks) + " "


# The same cards come back keystroke after keystroke: their titles and keywords are read into tokens once.
@functools.lru_cache(maxsize=4096)
def _title_tokens(title: str) -> tuple[list[str], list[str]]:
    """A title's tokens, and those of its part before any colon."""
    whole = tokens(title)
    return whole, tokens(title.split(":", 1)[0]) if ":" in title else whole


@functools.lru_cache(maxsize=4096)
def _keyword_phrases(keywords: str) -> tuple[list[list[str]], str]:
    """A card's keywords as token lists, and all of them as one string (kept apart by NUL) for patterns."""
    phrases = [TOKEN_RE.findall(k) for k in normalize(keywords).split(",")] if keywords else []
    return phrases, " " + " \x00 ".join(" ".join(p) for p in phrases) + " "


@functools.lru_cache(maxsize=64)
def _label(category: str) -> str:
    """A category's label as _joined() tokens ("dosing" finds "dose")."""
    return _joined(tokens(CATEGORY_LABELS.get(category, category)))


def _topic(
    units: list[_Unit],
    weights: list[float],
    hit: Hit,
    keywords: str,
    typed: list[str],
    title_tokens: list[str],
    head_tokens: list[str],
) -> float:
    """How much a card is about the query: where each unit names its topic, weighted by the unit's rarity.

    The title before any colon counts most, then the rest of the title, a keyword, the category; a keyword
    phrase the query holds as typed (filler words too: "how often", "who takes me home") adds to it, and so does
    a filler word in the title ("after" of "after treatment driving"). Handouts count a little less.
    """
    title, head = _joined(title_tokens), _joined(head_tokens)
    phrases, every_keyword = _keyword_phrases(keywords)
    label = _label(hit.category if isinstance(hit.category, str) else "")
    score = 0.0
    for unit, weight in zip(units, weights, strict=True):
        typed_patterns, patterns = unit.patterns
        # A title word the card also lists as a keyword is its topic ("NMDA receptor antagonism"), not a contrast
        # ("Beyond NMDA: opioid, serotonin...").
        also = ALSO_KEYWORD if any(p in every_keyword for p, _n in patterns) else 0.0
        if any(p in head for p, _n in typed_patterns):
            where = HEAD
        elif any(p in head for p, _n in patterns):
            where = HEAD * SYNONYM_FACTOR
        elif any(p in title for p, _n in typed_patterns):
            where = TITLE
        elif any(p in title for p, _n in patterns):
            where = TITLE * SYNONYM_FACTOR
        else:
            where = CATEGORY if any(p in label for p, _n in patterns) else 0.0
            inside = [(p, n) for p, n in patterns if p in every_keyword]
            if inside:
                where = max(where, IN_KEYWORD)
                if any(len(k) == n and _joined(k).startswith(p) for p, n in inside for k in phrases):
                    # a keyword that is the word as typed ("Lexapro") before one that is its synonym (escitalopram)
                    typed_pattern, count = typed_patterns[0]
                    as_typed = any(len(k) == count and _joined(k).startswith(typed_pattern) for k in phrases)
                    where = KEYWORD if as_typed else KEYWORD * SYNONYM_FACTOR
            also = 0.0
        score += weight * (where + also)
    score /= sum(weights) or 1.0
    if len(typed) > 1:
        said = _joined(typed)
        longest = max((len(p) for p in phrases if len(p) > 1 and _joined(p) in said), default=0)
        score += 0.08 * longest
        fillers = {FILLER_SPELLINGS.get(t, t) for t in typed if t in FILLER and t not in STOPWORDS}
        score += 0.03 * sum(1 for t in fillers if t in head_tokens)
    return score * (HANDOUT_FACTOR if hit.audience == "patient" else 1.0)


def _weights(units: list[_Unit], total: int, docs: list[int]) -> list[float]:
    """How much each unit says about a card's topic: rarer words more ("adderall" of "adderall on treatment
    days"), and the pack's own drug names little ("esketamine sedation" asks about sedation)."""
    rarity = [_idf(total, d) for d in docs] if len(units) > 1 else [1.0] * len(units)
    topic = [0.3 + r for u, r in zip(units, rarity, strict=True) if not _is_context(u)]
    context = CONTEXT_WEIGHT * (min(topic) if topic else 1.0)
    return [context if _is_context(u) else 0.3 + r for u, r in zip(units, rarity, strict=True)]


def _is_context(unit: _Unit) -> bool:
    """True for a unit naming one of the pack's own drugs (ketamine, Spravato)."""
    return all(set(alt) <= CONTEXT for alt in unit.alternatives)


def _counts(conn: sqlite3.Connection, units: list[_Unit]) -> tuple[int, list[int]]:
    """The number of cards, and for each unit the cards holding its commonest spelling (its rarest word in one)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'cards'").fetchone()
    total = int(row[0]) if row and str(row[0]).isdigit() else conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    out = []
    for unit in units:
        docs = 0
        for alt in unit.alternatives:
            counts = [_docs(conn, t) for t in alt[:-1]]
            last = alt[-1]
            if last.isdigit() or (unit.synonym and len(last) < 4):
                counts.append(_docs(conn, last))
            else:
                last = last if unit.synonym else stem(last)
                found = conn.execute(
                    "SELECT max(docs) FROM terms WHERE term >= ? AND term < ?", (last, last + "\U0010ffff")
                ).fetchone()
                counts.append(int(found[0] or 0))
            docs = max(docs, min(counts))
        out.append(min(docs, total))
    return total, out


def _idf(total: int, docs: int) -> float:
    """bm25's inverse document frequency."""
    return math.log((total - docs + 0.5) / (docs + 0.5) + 1)


def _terms(units: list[_Unit]) -> tuple[str, ...]:
    """What snippets mark (and the window marks in a card): each unit's phrases as they are searched, longest first."""
    marks = {mark for unit in units for mark in unit.marks()}
    return tuple(sorted(marks, key=lambda t: (-len(t), t)))


def _snippet(raw: str, summary: str, prefixes: list[str]) -> str:
    """The body snippet with marks; the summary, marked here, when the match is only in the title or keywords."""
    if OPEN not in raw and prefixes:
        raw = _word_starts(tuple(prefixes)).sub(lambda m: _WORD.sub(_marked, m.group(0)), summary)
    text = escape(WHITESPACE.sub(" ", raw).strip())
    return text.replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


_WORD = re.compile(r"\w+")


def _marked(word: re.Match[str]) -> str:
    """A word in marks: each word of a phrase on its own, as SQLite's snippet() marks them."""
    return OPEN + word.group(0) + CLOSE


@functools.lru_cache(maxsize=64)
def _word_starts(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """An expression finding the terms (see mark_pattern)."""
    return re.compile(mark_pattern(prefixes), re.IGNORECASE)


SQL = f"""
SELECT {columns(HIT_COLUMNS, "c.")}, c.keywords AS keywords,
       snippet({FTS_TABLE}, {SNIPPET_COLUMN}, char(2), char(3), '\u2026', {{tokens}}) AS snippet,
       {FTS_TABLE}.rank AS rank
FROM {FTS_TABLE} JOIN cards c ON c.rowid = {FTS_TABLE}.rowid
WHERE {FTS_TABLE} MATCH ?{{filters}}
ORDER BY {FTS_TABLE}.rank
LIMIT ?
"""
