"""User text to a safe FTS5 query (prefixes, synonyms, typo fallback), ranked hits with snippets.

Standard library only: this is the hot path of the CLI and of every keystroke in the window.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from .model import Hit, SearchResult

MAX_WORDS = 16
MAX_CHARS = 1000
TOKEN_RE = re.compile(r"[^\W_]+")
# Dropped from a query that has other words: they carry no meaning for ranking.
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it of on or the to what when which who why with"
    .split()
)  # fmt: skip
# Suffixes cut from the last word so that its other forms still match as a prefix.
SUFFIXES = ("ational", "ations", "ation", "ative", "ively", "ings", "ing", "ive", "ied", "ies", "ed", "es", "s")
SNIPPET_TOKENS = 18
# Words that ask for a patient handout rather than name a topic ("side effects handout", "spray leaflet"):
# they put the patient handouts first instead of being searched for, and alone they list every handout.
HANDOUT_WORDS = frozenset({"handout", "handouts", "leaflet", "leaflets"})
HANDOUT_PHRASES = frozenset({("patient", "info"), ("patient", "information"), ("patient", "sheet"),
                             ("info", "sheet"), ("information", "sheet")})  # fmt: skip

DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
OPEN, CLOSE = "\x02", "\x03"


def normalize(text: str) -> str:
    """Lowercase text with diacritics removed, as the index's tokenizer sees it."""
    if text.isascii():  # nothing to decompose: the common case, and the one search meets per result title
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The index tokens of a piece of text (unicode61: letters and digits)."""
    return TOKEN_RE.findall(normalize(text))


def stem(token: str) -> str:
    """A light suffix cut, kept only when it leaves a useful prefix (infusions -> infusion, dose -> dos)."""
    if len(token) < 4 or not token.isalpha():
        return token
    for suffix in SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    # A final silent e goes, so that dose finds dosing and infuse finds infusion.
    return token[:-1] if token.endswith("e") and not token.endswith("ee") else token


def escape(text: str) -> str:
    """HTML-escape text (html.escape without importing html: this module is on the hot path)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def unescape(text: str) -> str:
    """Undo escape()."""
    return text.replace("&quot;", '"').replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")


def _quote(tokens_: list[str]) -> str:
    return '"' + " ".join(tokens_) + '"'


@dataclass
class Synonyms:
    """Synonym groups as token tuples, for whole-phrase expansion both ways."""

    groups: list[list[tuple[str, ...]]]
    index: dict[tuple[str, ...], int]
    case_sensitive: dict[tuple[str, ...], str]
    longest: int

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Synonyms:
        """Read the pack's synonyms table."""
        groups: dict[int, list[tuple[str, ...]]] = {}
        index: dict[tuple[str, ...], int] = {}
        case_sensitive: dict[tuple[str, ...], str] = {}
        rows = conn.execute("SELECT group_id, term, tokens FROM synonyms ORDER BY group_id, term")
        for group_id, term, normalized in rows:
            key = tuple(normalized.split())
            if not key:
                continue
            groups.setdefault(group_id, []).append(key)
            index.setdefault(key, group_id)
            # An abbreviation that is also a common word (IN, AM) expands only when typed in capitals.
            if term.isupper() and len(key) == 1 and key[0] in STOPWORDS:
                case_sensitive[key] = term
        ordered = list(groups.values())
        renumber = {gid: n for n, gid in enumerate(groups)}
        return cls(ordered, {k: renumber[v] for k, v in index.items()}, case_sensitive, max(map(len, index), default=0))


@dataclass
class _Word:
    raw: str
    toks: list[str]


@dataclass
class _Unit:
    words: list[_Word]
    alternatives: list[list[str]]  # token lists, each a phrase
    synonym: bool

    def in_title(self, title_tokens: list[str], as_typed: bool = False) -> bool:
        """True when one of the unit's phrases (as_typed: the words typed) appears in a title, the last as a prefix."""
        typed = [t for word in self.words for t in word.toks]
        for alt in [typed] if as_typed else self.alternatives:
            head, last = alt[:-1], stem(alt[-1])
            for i in range(len(title_tokens) - len(alt) + 1):
                window = title_tokens[i : i + len(alt)]
                if window[:-1] == head and window[-1].startswith(last):
                    return True
        return False

    def expression(self) -> str:
        parts = []
        for alt in self.alternatives:
            last = alt[-1]
            if self.synonym:
                prefix = len(last) >= 4 and not last.isdigit()
                parts.append(_quote(alt) + ("*" if prefix else ""))
            elif last.isdigit():
                parts.append(_quote(alt))
            else:
                parts.append(_quote(alt[:-1] + [stem(last)]) + "*")
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _words(query: str) -> list[_Word]:
    """The words of a query, stopwords included (a synonym phrase may hold one: "under the tongue")."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in query[:MAX_CHARS])
    found = [_Word(raw, tokens(raw)) for raw in cleaned.split()]
    return [w for w in found if w.toks][: MAX_WORDS * 4]


def _handout_request(text: str) -> tuple[str, str] | None:
    """(the topic words, the handout words) when the text asks for patient handouts, else None.

    "patient" or "patients" just before a handout word goes with it, so "patient handout bp" asks about BP.
    """
    words = [(raw, tuple(tokens(raw))) for raw in text.split()]
    asked: set[int] = set()
    for i, (_raw, toks) in enumerate(words):
        before = words[i - 1][1] if i else ()
        if len(toks) == 1 and toks[0] in HANDOUT_WORDS:
            asked |= {i - 1, i} if before in {("patient",), ("patients",)} else {i}
        elif before + toks in HANDOUT_PHRASES:
            asked |= {i - 1, i}
    if not asked:
        return None
    topic = " ".join(raw for i, (raw, _t) in enumerate(words) if i not in asked)
    return topic, " ".join(raw for i, (raw, _t) in enumerate(words) if i in asked)


def _units(words: list[_Word], synonyms: Synonyms | None) -> list[_Unit]:
    units: list[_Unit] = []
    i = 0
    while i < len(words):
        match = None
        if synonyms:
            for j in range(min(len(words), i + synonyms.longest), i, -1):  # each word has a token at least
                key = tuple(t for w in words[i:j] for t in w.toks)
                if len(key) > synonyms.longest or key not in synonyms.index:
                    continue
                typed = " ".join(w.raw for w in words[i:j])
                if key in synonyms.case_sensitive and synonyms.case_sensitive[key] not in typed:
                    continue
                match = j, synonyms.groups[synonyms.index[key]]
                break
        if match:
            j, group = match
            units.append(_Unit(words[i:j], [list(t) for t in group], True))
            i = j
        else:
            units.append(_Unit([words[i]], [words[i].toks], False))
            i += 1
    # A stopword outside a synonym phrase carries no meaning for ranking, unless the query is nothing else.
    meaningful = [u for u in units if u.synonym or len(u.words[0].toks) > 1 or u.words[0].toks[0] not in STOPWORDS]
    return (meaningful or units)[:MAX_WORDS]


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


def _term_exists(conn: sqlite3.Connection, token: str, prefix: bool) -> bool:
    if not prefix:
        return conn.execute("SELECT 1 FROM terms WHERE term = ?", (token,)).fetchone() is not None
    row = conn.execute("SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1", (token, token + "\U0010ffff"))
    return row.fetchone() is not None


def _correct(conn: sqlite3.Connection, token: str, typing: bool) -> str | None:
    """The nearest indexed word to a token that matches nothing (frequent words first).

    Three letters or fewer are left alone: they are mostly abbreviations, whose one-letter neighbours are other
    words (NNT is not "not"). Four letters only swap two neighbours (dsoe is dose; weed is not week, COPD is
    not copy). One slip (a swap of two letters counts as one) up to 8 letters, two from 9, so a drug name does
    not turn into another word (clozapine is not cocaine, propofol is not protocol). Only the word being typed
    (typing) may be the start of a longer word.
    """
    if len(token) < 4 or token.isdigit():
        return None
    limit = 1 if len(token) <= 8 else 2
    swap_only = len(token) == 4
    best: tuple[float, int, str] | None = None
    for first in (token[0], None):
        if first is None:
            rows = conn.execute(
                "SELECT term, docs FROM terms WHERE length(term) BETWEEN ? AND ?",
                (len(token) - limit, len(token) + limit),
            )
        else:
            rows = conn.execute(
                "SELECT term, docs FROM terms WHERE term >= ? AND term < ?", (first, first + "\U0010ffff")
            )
        for term, docs in rows:
            if term.isdigit() or term in STOPWORDS or (swap_only and sorted(term) != sorted(token)):
                continue
            whole = _distance(token, term, limit)
            # A word still being typed: compare with the start of the indexed word.
            start: float = limit + 1
            if typing and len(term) > len(token):
                start = _distance(token, term[: len(token)], limit) + 0.5
            distance = min(whole, start)
            if distance <= limit and (best is None or (distance, -docs, term) < best):
                best = (distance, -docs, term)
        if best is not None:
            break
    return best[2] if best else None


def _docs(conn: sqlite3.Connection, term: str) -> int:
    row = conn.execute("SELECT docs FROM terms WHERE term = ?", (term,)).fetchone()
    return int(row[0]) if row else 0


def _repair(conn: sqlite3.Connection, token: str, typing: bool) -> list[str]:
    """An unknown token as indexed words: 84mg -> 84 mg, a typo -> the nearest word, blackbox -> black box."""
    parts = re.findall(r"\d+|[^\W\d_]+", token)
    if len(parts) > 1 and all(_term_exists(conn, part, False) for part in parts):
        return parts
    nearest = _correct(conn, token, typing)
    if nearest:
        return [nearest]
    if token.isalpha() and len(token) >= 6:
        splits = [(min(_docs(conn, token[:i]), _docs(conn, token[i:])), i) for i in range(3, len(token) - 2)]
        docs, at = max(splits)
        if docs:
            return [token[:at], token[at:]]
    return [token]


def build_query(
    query: str, synonyms: Synonyms | None = None, conn: sqlite3.Connection | None = None
) -> tuple[list[_Unit], str | None]:
    """The query's units (each gives one FTS5 expression, joined with AND or OR) and a corrected query, if any.

    Every user token is quoted, so no input can reach FTS5 as syntax.
    """
    words = _words(query)
    units = _units(words, synonyms)
    corrected = False
    if conn is not None:
        for unit in units:
            if unit.synonym:
                continue
            word = unit.words[0]
            last = word.toks[-1]
            known = all(_term_exists(conn, t, False) for t in word.toks[:-1]) and _term_exists(
                conn, stem(last), not last.isdigit()
            )
            if known:
                continue
            end = len(word.toks) - 1
            fixed = [
                part
                for i, t in enumerate(word.toks)
                for part in (
                    [t]
                    if _term_exists(conn, stem(t) if i == end else t, i == end and not t.isdigit())
                    else _repair(conn, t, unit is units[-1] and i == end)
                )
            ]
            if fixed != word.toks:
                corrected = True
                # A number run into its unit keeps the user's punctuation: 0.5mg/kg -> 0.5 mg/kg.
                split_only = "".join(fixed) == "".join(word.toks) and any(t.isdigit() for t in fixed)
                display = DIGIT_LETTER.sub(" ", word.raw) if split_only else " ".join(fixed)
                unit.words = [_Word(display, fixed)]
                unit.alternatives = [fixed]
    if not corrected:
        return units, None
    corrected_query = " ".join(w.raw for u in units for w in u.words)
    # The corrected words get their synonyms too (pregnat -> pregnant -> pregnancy).
    return _units(_words(corrected_query), synonyms), corrected_query


def _snippet(raw: str, summary: str, prefixes: list[str]) -> str:
    """The body snippet with marks; the summary, marked here, when the match is only in the title or keywords."""
    if OPEN not in raw and prefixes:
        pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.IGNORECASE)
        raw = pattern.sub(lambda m: OPEN + m.group(0) + CLOSE, summary)
    text = escape(re.sub(r"\s+", " ", raw).strip())
    return text.replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


SQL = """
SELECT c.id, c.title, c.category, c.audience,
       snippet(cards_fts, 3, char(2), char(3), '\u2026', {tokens}), cards_fts.rank, c.summary
FROM cards_fts JOIN cards c ON c.rowid = cards_fts.rowid
WHERE cards_fts MATCH ?{filters}
ORDER BY cards_fts.rank
LIMIT ?
"""


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 20,
    category: str | None = None,
    audience: str | None = None,
    synonyms: Synonyms | None = None,
) -> SearchResult:
    """Search a pack; any string in, a SearchResult out, never an exception from the query text."""
    # Lone surrogates (undecodable bytes in a command-line argument) cannot reach SQLite.
    text = query.encode("utf-8", "replace").decode("utf-8") if isinstance(query, str) else ""
    limit = max(1, min(int(limit), 500))
    handouts = _handout_request(text) if audience in (None, "patient") else None
    if handouts is not None:
        result = _search_handouts(conn, text, *handouts, limit, category, synonyms)
        if result.results:
            return result
    units, corrected = build_query(text, synonyms, conn)
    if corrected and audience in (None, "patient") and (handouts := _handout_request(corrected)) is not None:
        result = _search_handouts(conn, text, *handouts, limit, category, synonyms, corrected=True)
        if result.results:
            return result
    hits = _ranked(conn, units, limit, category, audience)
    exact = _exact(conn, text, category, audience)
    if exact:
        corrected = None  # the text names a card exactly: there is nothing to correct
    elif corrected:
        exact = _exact(conn, corrected, category, audience)
    if exact:
        exact = next((h for h in hits if h.id == exact.id), exact)  # its snippet, when the search found it too
        hits = [exact, *(h for h in hits if h.id != exact.id)][:limit]
    return SearchResult(text, corrected, hits)


def _search_handouts(
    conn: sqlite3.Connection,
    text: str,
    topic: str,
    asked: str,
    limit: int,
    category: str | None,
    synonyms: Synonyms | None,
    corrected: bool = False,
) -> SearchResult:
    """The patient handouts on the topic first, then the other cards on it; every handout when there is no topic."""
    units, fixed = build_query(topic, synonyms, conn)
    shown = None  # the corrected query the user sees, handout words included
    if fixed or corrected:
        shown = f"{fixed or topic} {asked}".strip()
    if not units:
        filters, params = card_filters(category, "patient")
        sql = f"SELECT id, title, category, audience, summary FROM cards WHERE 1=1{filters}"
        rows = conn.execute(sql + " ORDER BY title COLLATE NOCASE LIMIT ?", [*params, limit]).fetchall()
        return SearchResult(text, shown, [Hit(r[0], r[1], r[2], r[3], escape(r[4]), 0.0) for r in rows])
    hits = _ranked(conn, units, limit, category, "patient")
    if hits and len(hits) < limit:
        seen = {h.id for h in hits}
        hits += [h for h in _ranked(conn, units, limit, category, None) if h.id not in seen]
    return SearchResult(text, shown, hits[:limit])


def _ranked(
    conn: sqlite3.Connection,
    units: list[_Unit],
    limit: int,
    category: str | None,
    audience: str | None,
) -> list[Hit]:
    """The cards matching the units, best first, with snippets marking the words matched."""
    expressions = [u.expression() for u in units]
    if not expressions:
        return []
    # Marked in snippets: the words typed and their synonyms (BP finds "blood pressure", and shows it).
    words = {t for unit in units for alt in unit.alternatives for t in alt}
    prefixes = sorted({stem(t) for t in words if len(t) > 1 and t not in STOPWORDS}, key=len, reverse=True)
    filters, params = card_filters(category, audience, "c.")
    sql = SQL.format(tokens=SNIPPET_TOKENS, filters=filters)
    hits: dict[str, Hit] = {}
    # First the title and keywords only: when they alone fill the page, those cards rank first anyway,
    # and a common word is ranked over a few thousand rows instead of every card. Then all columns;
    # then, for words that never meet in one card, any of them.
    every = " AND ".join(expressions)
    stages = [(f"{{title keywords}} : ({every})", limit), (every, 1)]
    if len(expressions) > 1:
        stages.append((" OR ".join(expressions), 1))
    for match, enough in stages:
        found = conn.execute(sql, [match, *params, limit]).fetchall()
        if len(found) >= enough:
            break
    for row in found:
        if row[0] not in hits:
            snippet = _snippet(row[4] or "", row[6], prefixes)
            hits[row[0]] = Hit(row[0], row[1], row[2], row[3], snippet, round(-row[5], 4))

    # Cards whose title holds every word as typed come first, then those whose title holds them or their synonyms
    # ("nasal spray" before "intranasal"); within each, clinician cards before handouts (a clinician typing
    # "Spravato" wants approvals and dosing; "handout" asks for handouts). bm25 orders the rest.
    def order(hit: Hit) -> tuple[int, bool]:
        title = tokens(hit.title)
        if all(u.in_title(title, as_typed=True) for u in units):
            return 0, hit.audience == "patient"
        if all(u.in_title(title) for u in units):
            return 1, hit.audience == "patient"
        return 2, False

    return sorted(hits.values(), key=order)[:limit]


def card_filters(category: str | None, audience: str | None, prefix: str = "") -> tuple[str, list[str]]:
    """SQL conditions (each starting with AND) and their parameters for the category and audience filters."""
    sql, params = "", []
    for column, value in (("category", category), ("audience", audience)):
        if value:
            sql += f" AND {prefix}{column} = ?"
            params.append(value)
    return sql, params


def _exact(conn: sqlite3.Connection, text: str, category: str | None, audience: str | None) -> Hit | None:
    wanted = " ".join(text.split())
    if not wanted:
        return None
    row = conn.execute(
        "SELECT id, title, category, audience, summary FROM cards WHERE id = ? OR title = ? COLLATE NOCASE LIMIT 1",
        (wanted.lower(), wanted),
    ).fetchone()
    if not row or (category and row[2] != category) or (audience and row[3] != audience):
        return None
    return Hit(row[0], row[1], row[2], row[3], escape(row[4]), 0.0)
