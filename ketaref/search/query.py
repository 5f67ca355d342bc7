"""User text to query units: words, synonym phrases, numbers with units, compounds, corrected words."""

from __future__ import annotations

import re
import sqlite3
from typing import NamedTuple

from ..schema import FTS_TABLE
from .correct import _deadline, _repair
from .lookup import _term_exists
from .text import (
    AGE_FALLBACK,
    AGE_UNITS,
    DOSE_UNITS,
    FILLER,
    HANDOUT_PHRASES,
    HANDOUT_WORDS,
    QUESTION_PAIRS,
    STOPWORDS,
    WEIGHT_FALLBACK,
    WEIGHT_UNITS,
    _quote,
    stem,
    tokens,
)

MAX_WORDS = 16
MAX_CHARS = 1000
NUMBER_UNIT = re.compile(r"(\d+)([a-z]+)")
DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")


class Synonyms:
    """Synonym groups as token tuples, for whole-phrase expansion both ways."""

    __slots__ = ("groups", "index", "case_sensitive", "longest")

    def __init__(
        self,
        groups: list[list[tuple[str, ...]]],
        index: dict[tuple[str, ...], int],
        case_sensitive: dict[tuple[str, ...], str],
        longest: int,
    ) -> None:
        self.groups, self.index, self.case_sensitive, self.longest = groups, index, case_sensitive, longest

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


class _Word(NamedTuple):
    raw: str
    toks: list[str]


Pattern = tuple[str, int]  # a phrase as a string to find in _joined() tokens, and its number of tokens


class _Unit:
    """Words of the query that are searched as one: a word, a synonym phrase, a number with its unit."""

    __slots__ = ("words", "alternatives", "synonym", "fallback", "weight", "_patterns")

    def __init__(
        self,
        words: list[_Word],
        alternatives: list[list[str]],  # token lists, each a phrase
        synonym: bool,
        # A number with its unit: what stands in when no card has the phrase (the unit alone; for a body weight,
        # the weight-based dosing words), and whether the number is a body weight (not reported as unmatched).
        fallback: list[list[str]] | None = None,
        weight: bool = False,
    ) -> None:
        self.words, self.alternatives, self.synonym = words, alternatives, synonym
        self.fallback, self.weight = fallback, weight
        self._patterns: tuple[list[Pattern], list[Pattern]] | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Unit):
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self) -> str:
        return f"_Unit({self.typed!r}, {self.alternatives!r})"

    def _fields(self) -> tuple[object, ...]:
        return self.words, self.alternatives, self.synonym, self.fallback, self.weight

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

    def marks(self) -> list[str]:
        """What a card shows marked for this unit (SearchResult.terms): each phrase as it is searched, the last word
        as its start, with a space after it when it must match whole; never a lone stopword or letter ("no" of
        "no food" is marked only as part of the phrase)."""
        found = []
        for alt in self.alternatives:
            phrase = [*alt[:-1], self._start(alt[-1])]
            if len(phrase) == 1 and (len(phrase[0]) < 2 or phrase[0] in STOPWORDS):
                continue
            last = phrase[-1]
            whole = (self.synonym and len(last) < 4) or last.isdigit()
            found.append(" ".join(phrase) + (" " if whole else ""))
        return found

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
    deadline = _deadline()
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
