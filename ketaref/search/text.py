"""Text as the index sees it: tokens, stems, HTML escaping, and the word and unit tables queries are read with."""

from __future__ import annotations

import re
import unicodedata

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
# Suffixes cut from the last word so that its other forms still match as a prefix.
SUFFIXES = ("ational", "ations", "ation", "ative", "ively", "ings", "ing", "ive", "ied", "ies", "ed", "es", "s")
# Words that ask for a patient handout rather than name a topic ("side effects handout", "spray leaflet"):
# they put the patient handouts first instead of being searched for, and alone they list every handout.
HANDOUT_WORDS = frozenset({"handout", "handouts", "leaflet", "leaflets"})
HANDOUT_PHRASES = frozenset({("patient", "info"), ("patient", "information"), ("patient", "sheet"),
                             ("info", "sheet"), ("information", "sheet")})  # fmt: skip


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


# The letters a normalized token stands for in the card's own text (Spanish, and the odd French or German word).
ACCENTED = {"a": "áàâäã", "e": "éèêë", "i": "íìîï", "o": "óòôöõ", "u": "úùûü", "n": "ñ", "c": "ç", "y": "ýÿ"}


def _letters(word: str) -> str:
    """A normalized word as an expression that also finds it accented ("presion": "presión")."""
    return "".join(f"[{ch}{ACCENTED[ch]}]" if ch in ACCENTED else re.escape(ch) for ch in word)


def mark_pattern(terms: tuple[str, ...] | list[str]) -> str:
    """A regular expression (for Python's re and Qt's QRegularExpression alike) finding SearchResult.terms in
    text: a phrase's words in turn across any spaces or hyphens, the last as a word start ("pressur": "pressure"),
    or whole when the term ends in a space (a short synonym: "si " marks "SI", not "side"); accents as typed or
    not (terms are normalized, a Spanish card is not)."""
    parts = []
    for term in terms:
        words = [_letters(word) for word in term.split()]
        if words:
            parts.append(r"\W+".join(words) + (r"\b" if term.endswith(" ") else r"\w*"))
    return r"\b(?:" + "|".join(parts) + ")" if parts else r"(?!)"
