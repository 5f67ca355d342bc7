"""User text to a safe FTS5 query (prefixes, synonyms, typo fallback), ranked hits with snippets.

Standard library only: this is the hot path of the CLI and of every keystroke in the window.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import CATEGORY_LABELS, Hit, SearchResult
from .schema import FTS_TABLE, HIT_COLUMNS, SNIPPET_COLUMN, columns, hit_from_row, named

MAX_WORDS = 16
MAX_CHARS = 1000
TOKEN_RE = re.compile(r"[^\W_]+")
# Dropped from a query that has other words: they carry no meaning for ranking.
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it of on or the to what when which who why with"
    .split()
)  # fmt: skip
# Words of a spoken question ("can he take his xanax", "bp too high before dose"): they need not match, since
# the handouts' plain language holds them all, but a card whose title or keyword phrase has them ranks higher.
# A query made only of them is searched as typed.
FILLER = STOPWORDS | frozenset(
    "about after again all also am any anyone anything been before being best better but could did doing done "
    "during each ever get gets getting give given gives giving go going got had happen happened happens has have "
    "having he help helps her hers him his if into issue issues its just know many matter matters may me might "
    "more much must my need needed needs now ok okay our patient patients per please problem problems pt pts "
    "really safe safely she should so some someone something still take takes taking tell than that their them "
    "then there these they this those too took us versus very vs want wants was we were whats where while whom "
    "will would you your".split()
)
# A word that is filler only after a question word: "how long" asks how long, "long-term" is a topic.
QUESTION_PAIRS = {"how": "long"}
FILLER_SPELLINGS = {"vs": "versus"}  # as titles write them ("IV ketamine versus esketamine")
# Units a number is typed with ("80 kg", "84mg", "0.5 mg/kg"): the number and unit match as one phrase, never the
# number alone (80 is also "80%"). A body weight is the patient's, not the card's: when no card has it, the
# weight-based dosing words stand in, without a notice.
WEIGHT_UNITS = frozenset({"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "lb", "lbs", "pound", "pounds"})
DOSE_UNITS = frozenset({"mg", "mcg", "ug", "g", "ml", "mmhg", "mm", "min", "mins", "minute", "minutes", "h", "hr",
                        "hrs", "hour", "hours", "day", "days", "week", "weeks", "percent", "x", "times"})  # fmt: skip
WEIGHT_FALLBACK = [["mg", "kg"], ["weight"]]
AGE_UNITS = frozenset({"year", "years", "yr", "yrs", "yo", "y"})
AGE_FALLBACK = ([["adolescent"], ["adolescents"], ["under", "18"], ["paediatric"], ["pediatric"]],
                [["older", "adults"], ["elderly"], ["65"]])  # fmt: skip
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
# When no card holds every word: the subsets tried at most (of the best words at most), and how much more a
# word counts that some card names in its title or keywords.
MAX_SUBSET_CHECKS = 24
MAX_SUBSET_WORDS = 8
TOPICAL_FACTOR = 3.0
# Cards holding a word beyond which (or beyond a tenth of the pack) its titles are not searched for the topic.
COMMON_DOCS = 200
# Suffixes cut from the last word so that its other forms still match as a prefix.
SUFFIXES = ("ational", "ations", "ation", "ative", "ively", "ings", "ing", "ive", "ied", "ies", "ed", "es", "s")
SNIPPET_TOKENS = 18
# Words that ask for a patient handout rather than name a topic ("side effects handout", "spray leaflet"):
# they put the patient handouts first instead of being searched for, and alone they list every handout.
HANDOUT_WORDS = frozenset({"handout", "handouts", "leaflet", "leaflets"})
HANDOUT_PHRASES = frozenset({("patient", "info"), ("patient", "information"), ("patient", "sheet"),
                             ("info", "sheet"), ("information", "sheet")})  # fmt: skip

NUMBER_UNIT = re.compile(r"(\d+)([a-z]+)")
DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
OPEN, CLOSE = "\x02", "\x03"
WHITESPACE = re.compile(r"\s+")


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
            if not (isinstance(term, str) and isinstance(normalized, str)):  # a damaged row: skipped, not fatal
                continue
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


Pattern = tuple[str, int]  # a phrase as a string to find in _joined() tokens, and its number of tokens


@dataclass
class _Unit:
    words: list[_Word]
    alternatives: list[list[str]]  # token lists, each a phrase
    synonym: bool
    # A number with its unit: what stands in when no card has the phrase (the unit alone; for a body weight, the
    # weight-based dosing words), and whether the number is a body weight (not reported as unmatched).
    fallback: list[list[str]] | None = None
    weight: bool = False
    _patterns: tuple[list[Pattern], list[Pattern]] | None = field(default=None, repr=False, compare=False)

    @property
    def typed(self) -> str:
        """The unit's words as typed."""
        return " ".join(w.raw for w in self.words)

    def in_title(self, title_tokens: list[str], as_typed: bool = False) -> bool:
        """True when one of the unit's phrases (as_typed: the words typed) appears in a title, the last as a prefix."""
        typed = [t for word in self.words for t in word.toks]
        for alt in [typed] if as_typed else self.alternatives:
            head, last = alt[:-1], self._start(alt[-1])
            for i in range(len(title_tokens) - len(alt) + 1):
                window = title_tokens[i : i + len(alt)]
                if window[:-1] == head and self._fits(window[-1], last):
                    return True
        return False

    def is_phrase(self, phrase: list[str]) -> bool:
        """True when one of the unit's phrases is the whole of a phrase (a keyword), the last word as a prefix."""
        return any(
            len(alt) == len(phrase) and alt[:-1] == phrase[:-1] and self._fits(phrase[-1], self._start(alt[-1]))
            for alt in self.alternatives
        )

    @property
    def patterns(self) -> tuple[list[Pattern], list[Pattern]]:
        """(the words as typed, every phrase) as strings to find in _joined() tokens, with their token counts.

        " nasal spray" is in " the nasal spray visit " (the last word matches as a prefix, as in expression());
        a short synonym such as " bp " must match whole.
        """
        if self._patterns is None:
            typed = [t for word in self.words for t in word.toks]

            def pattern(alt: list[str]) -> Pattern:
                last = self._start(alt[-1])
                whole = self.synonym and (len(last) < 4 or last.isdigit())
                return " " + " ".join([*alt[:-1], last]) + (" " if whole else ""), len(alt)

            self._patterns = [pattern(typed)], [pattern(alt) for alt in self.alternatives]
        return self._patterns

    def _start(self, last: str) -> str:
        # As expression() matches: a synonym's own word ("fasting", not "fast"), else the stem (dose: "dos").
        return last if self.synonym or last.isdigit() else stem(last)

    def _fits(self, token: str, start: str) -> bool:
        if self.synonym and (len(start) < 4 or start.isdigit()):
            return token == start
        return token.startswith(start)

    def expression(self) -> str:
        parts = []
        for alt in self.alternatives:
            last = alt[-1]
            if self.synonym:
                prefix = len(last) >= 4 and not last.isdigit()
                parts.append(_quote(alt) + ("*" if prefix else ""))
            elif last.isdigit() or (len(alt) > 1 and len(last) == 1):
                parts.append(_quote(alt))  # a number, or the s of "John's": whole, not every word starting with s
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
        elif (unit := _number_with_unit(words, i)) is not None:
            units.append(unit)
            i += len(unit.words)
        else:
            units.append(_Unit([words[i]], [words[i].toks], False))
            i += 1
    # A filler word outside a synonym phrase need not match ("can he take his xanax"), unless the query is nothing
    # else; it still ranks (search passes every word typed to _ranked).
    meaningful = [u for n, u in enumerate(units) if not _filler(u, units[n - 1] if n else None)]
    return (meaningful or units)[:MAX_WORDS]


def _filler(unit: _Unit, before: _Unit | None) -> bool:
    """True for a filler word outside a synonym phrase ("can", "his"; "long" of "how long")."""
    if unit.synonym or len(unit.words) > 1 or len(unit.words[0].toks) > 1:
        return False
    word = unit.words[0].toks[0]
    return word in FILLER or (before is not None and QUESTION_PAIRS.get(before.typed.lower()) == word)


def _number_with_unit(words: list[_Word], i: int) -> _Unit | None:
    """A number and the unit typed after it ("80 kg", "0.5 mg/kg", "84 mg") as one phrase, or None."""
    toks = words[i].toks
    if len(toks) == 1 and (run := NUMBER_UNIT.fullmatch(toks[0])) and run.group(2) in AGE_UNITS:  # 16yo
        toks = list(run.groups())  # (84mg is split by the correction, which says so)
    count = next((n for n, t in enumerate(toks) if not t.isdigit()), len(toks))
    number, unit = toks[:count], toks[count:]
    taken = words[i : i + 1]
    if number and not unit and i + 1 < len(words):
        unit, taken = words[i + 1].toks, words[i : i + 2]
    if number and unit and unit[0] in AGE_UNITS and len(number) == 1:
        # An age ("16 year old", "70 yo"): the cards on that age group answer it, without a notice.
        end = i + len(taken)
        if end < len(words) and words[end].toks == ["old"]:
            taken = [*taken, words[end]]
        years = int(number[0])
        fallback = AGE_FALLBACK[0] if years < 18 else AGE_FALLBACK[1] if years >= 65 else None
        return _Unit(taken, [number + unit[:1]], False, fallback, True)
    if not number or not unit or not all(t in WEIGHT_UNITS or t in DOSE_UNITS for t in unit):
        return None
    weight = unit[-1] in WEIGHT_UNITS and (len(unit) == 1 or unit[0] in WEIGHT_UNITS)
    fallback = WEIGHT_FALLBACK if weight else [unit]
    return _Unit(taken, [number + unit], False, fallback, weight)


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


# Typo correction looks words up rather than reading the vocabulary: every word one slip away from the typed one
# (a letter dropped, added, changed, or two swapped) is looked up in the index, so one slip costs the same few
# milliseconds on a pack of 100,000 cards as on the shipped one. Two slips (words of 9 letters or more) need a
# read of the vocabulary, which stops when this time is up (per query, shared by its unknown words), keeping the
# best word found by then.
CORRECTION_BUDGET = 0.015  # seconds
_BUDGET_CHECK = 256  # rows read between looks at the clock
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_LOOKUP_CHUNK = 500  # words per IN (...) lookup


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


def _docs(conn: sqlite3.Connection, term: str) -> int:
    row = conn.execute("SELECT docs FROM terms WHERE term = ?", (term,)).fetchone()
    return int(row[0]) if row else 0


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


def build_query(
    query: str, synonyms: Synonyms | None = None, conn: sqlite3.Connection | None = None, correct: bool = True
) -> tuple[list[_Unit], str | None]:
    """The query's units (each gives one FTS5 expression, joined with AND) and a corrected query, if any.

    Every user token is quoted, so no input can reach FTS5 as syntax. correct=False leaves unknown words as typed
    (a compound still finds its other spelling).
    """
    words = _words(query)
    units = _units(words, synonyms)
    corrected = False
    compounds: dict[str, list[list[str]]] = {}  # a word's other spellings as one or two words: cutoff, cut-off
    deadline = time.perf_counter() + CORRECTION_BUDGET
    if conn is not None:
        for unit in units:
            if unit.synonym or unit.fallback is not None:
                continue
            word = unit.words[0]
            last = word.toks[-1]
            known = all(_term_exists(conn, t, False) for t in word.toks[:-1]) and _term_exists(
                conn, stem(last), not last.isdigit()
            )
            if known:
                joined = "".join(word.toks)
                if len(word.toks) == 2 and joined.isalpha() and _term_exists(conn, joined, False):
                    compounds[word.raw] = unit.alternatives = [word.toks, [joined]]
                continue
            parts = _compound(conn, word.toks[0]) if len(word.toks) == 1 else None
            if parts:
                compounds[word.raw] = unit.alternatives = [parts]  # the same word: nothing to say
                continue
            if not correct:
                continue
            end = len(word.toks) - 1
            fixed = [
                part
                for i, t in enumerate(word.toks)
                for part in (
                    [t]
                    if _term_exists(conn, stem(t) if i == end else t, i == end and not t.isdigit())
                    else _repair(conn, t, unit is units[-1] and i == end, deadline)
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
    # The corrected words get their synonyms too (pregnat -> pregnant -> pregnancy); a word split in two stays
    # one phrase (madrs cutoff -> madrs "cut off", not cut AND off).
    units = _units([w for u in units for w in u.words], synonyms)
    for unit in units:
        if not unit.synonym and unit.typed in compounds:
            unit.alternatives = compounds[unit.typed]
    return units, corrected_query


def _compound(conn: sqlite3.Connection, token: str) -> list[str] | None:
    """The two words of a compound that the cards write only with a hyphen (cutoff: "cut-off"), else None.

    A compound the cards also write as two words (blackbox: "black box") is a split the search says it made.
    """
    if len(token) < 5 or not token.isalpha():
        return None
    for at in range(2, len(token) - 1):
        first, second = token[:at], token[at:]
        if not (_term_exists(conn, first, False) and _term_exists(conn, second, False)):
            continue
        rows = conn.execute(
            f"SELECT c.title, c.keywords, c.summary, c.body_text FROM {FTS_TABLE} JOIN cards c "
            f"ON c.rowid = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH ? LIMIT 5",
            (_quote([first, second]),),
        ).fetchall()
        text = " ".join(part or "" for row in rows for part in row)
        hyphen = re.search(rf"\b{first}\s*-\s*{second}\b", text, re.IGNORECASE)
        if hyphen and not re.search(rf"\b{first}\s+{second}\b", text, re.IGNORECASE):
            return [first, second]
    return None


def _snippet(raw: str, summary: str, prefixes: list[str]) -> str:
    """The body snippet with marks; the summary, marked here, when the match is only in the title or keywords."""
    if OPEN not in raw and prefixes:
        raw = _word_starts(tuple(prefixes)).sub(lambda m: OPEN + m.group(0) + CLOSE, summary)
    text = escape(WHITESPACE.sub(" ", raw).strip())
    return text.replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


@functools.lru_cache(maxsize=64)
def _word_starts(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """An expression finding words that start with any of the prefixes."""
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.IGNORECASE)


SQL = f"""
SELECT {columns(HIT_COLUMNS, "c.")}, c.keywords AS keywords,
       snippet({FTS_TABLE}, {SNIPPET_COLUMN}, char(2), char(3), '\u2026', {{tokens}}) AS snippet,
       {FTS_TABLE}.rank AS rank
FROM {FTS_TABLE} JOIN cards c ON c.rowid = {FTS_TABLE}.rowid
WHERE {FTS_TABLE} MATCH ?{{filters}}
ORDER BY {FTS_TABLE}.rank
LIMIT ?
"""


@dataclass
class _Found:
    """Ranked hits, and the units their first cards hold (all of them unless no card held every one)."""

    hits: list[Hit]
    matched: list[_Unit]
    unmatched: list[_Unit]
    absent: list[_Unit]


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
    if (starts := _title_starts(conn, text, limit, category, audience, synonyms)) is not None:
        return starts  # the first keystroke or two on a big pack
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
    found = _find(conn, units, limit, category, audience, tokens(corrected or text))
    if corrected:
        # A correction is kept only when it helps: when a corrected word is among those the first cards hold.
        typed = {w.raw for w in _words(text)}
        if not any(u.typed not in typed for u in found.matched):
            units = build_query(text, synonyms, conn, correct=False)[0]
            found, corrected = _find(conn, units, limit, category, audience, tokens(text)), None
    hits = found.hits
    exact = _exact(conn, text, category, audience)
    if exact:
        corrected = None  # the text names a card exactly: there is nothing to correct
    elif corrected:
        exact = _exact(conn, corrected, category, audience)
    if exact:
        exact = next((h for h in hits if h.id == exact.id), exact)  # its snippet, when the search found it too
        hits = [exact, *(h for h in hits if h.id != exact.id)][:limit]
        if found.unmatched:
            found = _Found(hits, units, [], [])
    unmatched = tuple(u.typed for u in found.unmatched)
    matched = " ".join(u.typed for u in found.matched) if unmatched and hits else None
    absent = tuple(u.typed for u in found.absent)
    return SearchResult(text, corrected, hits, unmatched, matched, absent, _terms(found.matched) if hits else ())


def _terms(units: list[_Unit]) -> tuple[str, ...]:
    """The word starts that snippets mark (and the window marks in a card): each word and synonym, stemmed."""
    words = {t for unit in units for alt in unit.alternatives for t in alt}
    return tuple(sorted({stem(t) for t in words if len(t) > 1 and t not in STOPWORDS}, key=lambda t: (-len(t), t)))


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
        sql = f"SELECT {columns(HIT_COLUMNS)} FROM cards WHERE 1=1{filters}"
        rows = named(conn, sql + " ORDER BY title COLLATE NOCASE LIMIT ?", [*params, limit])
        return SearchResult(text, shown, [hit_from_row(r, escape(r["summary"])) for r in rows])
    qtoks = tokens(fixed or topic)
    hits = _ranked(conn, units, limit, category, "patient", qtoks)
    if hits and len(hits) < limit:
        seen = {h.id for h in hits}
        hits += [h for h in _ranked(conn, units, limit, category, None, qtoks) if h.id not in seen]
    return SearchResult(text, shown, hits[:limit], terms=_terms(units) if hits else ())


def _exists(conn: sqlite3.Connection, match: str, category: str | None, audience: str | None) -> bool:
    """True when some card (within the filters) matches an FTS5 expression."""
    filters, params = card_filters(category, audience, "c.")
    if filters:
        sql = f"SELECT 1 FROM {FTS_TABLE} JOIN cards c ON c.rowid = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH ?"
    else:
        sql = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
    return conn.execute(sql + filters + " LIMIT 1", [match, *params]).fetchone() is not None


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
    row = next(
        named(
            conn,
            f"SELECT {columns(HIT_COLUMNS)} FROM cards WHERE id = ? OR title = ? COLLATE NOCASE LIMIT 1",
            (wanted.lower(), wanted),
        ),
        None,
    )
    if not row or (category and row["category"] != category) or (audience and row["audience"] != audience):
        return None
    return hit_from_row(row, escape(row["summary"]))


SHORT_PREFIX = re.compile(r"[A-Za-z]{1,2}")


def _title_starts(
    conn: sqlite3.Connection,
    text: str,
    limit: int,
    category: str | None,
    audience: str | None,
    synonyms: Synonyms | None,
) -> SearchResult | None:
    """One or two letters typed on a big pack: the cards whose title starts with them, in title order; None when
    the full search is wanted (more letters, an abbreviation of the synonyms, titles too few to fill the page).

    Ranking every card that holds a word starting with one letter takes 50-100 ms on 20,000 cards at each of the
    first keystrokes; the title index answers in under a millisecond. On a pack small enough that these titles do
    not fill the page, the full search is as fast and ranks better, and runs as before.
    """
    typed = text.strip()
    if not SHORT_PREFIX.fullmatch(typed):
        return None
    key = (typed.lower(),)
    if synonyms is not None and key in synonyms.index and synonyms.case_sensitive.get(key, typed) == typed:
        return None  # BP, SI: an abbreviation (IN only in capitals) is searched with what it stands for
    filters, params = card_filters(category, audience)
    sql = (
        f"SELECT {columns(HIT_COLUMNS)} FROM cards WHERE title LIKE ?{filters} "
        "ORDER BY title COLLATE NOCASE LIMIT ?"
    )  # the cards_title_nocase index: a range of it, in order
    rows = list(named(conn, sql, [typed + "%", *params, limit]))
    if len(rows) < limit:
        return None
    prefixes = [typed.lower()]
    return SearchResult(text, results=[hit_from_row(row, _snippet("", row["summary"], prefixes)) for row in rows],
                        terms=tuple(prefixes))  # fmt: skip
