"""Reading grades of patient text (textstat's Flesch-Kincaid grade; for Spanish, Szigriszt-Pazos (INFLESZ) and
Fernández-Huerta with set_lang("es")), each remembered by a digest of the exact text.

textstat loads a pronouncing dictionary (about 2 s) before its first grade, so a grade once computed is kept:
in the source folder's reading-grades.tsv (shipped with the bundled resources, so a fresh machine's first build
grades nothing; `ketaref lint` and `ketaref pack` bring it up to date) and in the user's cache (for everything
else). A text changed by one character has another digest and is graded afresh; a file written by another
textstat version is not used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .paths import user_dir

log = logging.getLogger(__name__)

GRADES_FILE = "reading-grades.tsv"
MEASURE = "flesch_kincaid_grade"
# Spanish reading ease (higher is easier): kept in the same file under "<measure>:<digest>", never a bare digest,
# so a Spanish score is not read as an English grade.
SZIGRISZT_PAZOS = "szigriszt_pazos"  # on the INFLESZ scale: 65 and over "bastante fácil"
FERNANDEZ_HUERTA = "fernandez_huerta"
SPANISH_MEASURES = (SZIGRISZT_PAZOS, FERNANDEZ_HUERTA)
# The version pyproject.toml pins (a test checks that the installed one is it): asking the installed package
# costs a start-up 25 ms.
TEXTSTAT = "0.7.8"
# The user cache keeps at most this many grades (about 50 bytes each), the ones just used first.
MAX_CACHED = 100_000


def grader() -> str:
    """What computes the grades, as the first line of a grades file records it (another one: the file is stale)."""
    return f"# textstat {TEXTSTAT} {MEASURE}"


def text_key(text: str) -> str:
    """The digest a text's grade is kept under."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def measure_key(measure: str, text: str) -> str:
    """The key a text's score under a measure is kept under: the bare digest for the Flesch-Kincaid grade."""
    return text_key(text) if measure == MEASURE else f"{measure}:{text_key(text)}"


def compute(text: str) -> float:
    """Flesch-Kincaid grade of plain text, from textstat itself (slow the first time: see the module's note)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def compute_measure(measure: str, text: str) -> float:
    """A text's score under a measure: Flesch-Kincaid (English), or a Spanish one computed with set_lang("es")
    (textstat counts Spanish syllables only then), the language set back to English afterwards."""
    import textstat

    if measure == MEASURE:
        return compute(text)
    if measure not in SPANISH_MEASURES:
        raise ValueError(f"unknown reading measure {measure!r}")
    textstat.set_lang("es")
    try:
        return float(getattr(textstat, measure)(text))
    finally:
        textstat.set_lang("en_US")


def _read(path: Path, header: str) -> dict[str, float]:
    """The grades in one file, or none when it is missing, unreadable or from another grader."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    if not lines or lines[0] != header:
        return {}
    found: dict[str, float] = {}
    for line in lines[1:]:
        key, _, value = line.partition("\t")
        try:
            found[key] = float(value)
        except ValueError:
            continue
    return found


def _write(path: Path, header: str, grades: Iterable[tuple[str, float]]) -> None:
    """Write a grades file atomically (one that cannot be written only costs time later)."""
    from .atomic import atomic_path

    text = "".join([header, "\n", *(f"{key}\t{value!r}\n" for key, value in grades)])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_text(text, "utf-8")
    except OSError as exc:
        log.info("could not keep reading grades in %s: %s", path, exc)


def reading_grades(
    texts: Iterable[str],
    folder: Path | None = None,
    keep_in_folder: bool = False,
    run: Callable[..., Iterable[float]] = map,
    spanish: Iterable[str] = (),
) -> dict[Any, float]:
    """Each text's Flesch-Kincaid grade (as textstat gives it, unrounded), computing only the ones not kept.

    spanish: Spanish texts, scored with each of SPANISH_MEASURES instead; their scores are in the answer under
    (measure, text) keys, as spanish_scores reads them.

    folder: the source folder the texts come from, whose grades file is read; with keep_in_folder, that file, when
    the folder has one, is rewritten with exactly these texts' grades (the maintainer commits it with the cards).
    run maps the grading of the texts not kept (pack.Workers.map grades many on every core).
    """
    wanted: dict[Any, str] = {text: text_key(text) for text in texts}
    wanted.update({(m, text): measure_key(m, text) for text in spanish for m in SPANISH_MEASURES})
    header = grader()
    shipped_path = folder / GRADES_FILE if folder is not None else None
    shipped = _read(shipped_path, header) if shipped_path is not None else {}
    cache_path = user_dir("cache") / GRADES_FILE
    known = dict(shipped)
    missing = [key for key in wanted.values() if key not in known]
    cached: dict[str, float] = {}
    if missing:
        cached = _read(cache_path, header)
        known.update(cached)
    todo = {
        key: item if isinstance(item, tuple) else (MEASURE, item) for item, key in wanted.items() if key not in known
    }
    jobs = list(todo.values())
    fresh = dict(zip(todo, run(compute_measure, [m for m, _ in jobs], [t for _, t in jobs]), strict=True))
    known.update(fresh)
    if fresh:
        log.info("graded %d new text(s)", len(fresh))
        used = {key: known[key] for key in wanted.values()}
        rest = ((key, value) for key, value in cached.items() if key not in used)
        kept = [*used.items(), *rest][:MAX_CACHED]
        _write(cache_path, header, kept)
    if keep_in_folder and shipped_path is not None and shipped_path.is_file():
        current = {key: known[key] for key in sorted(set(wanted.values()))}
        if current != shipped:
            _write(shipped_path, header, current.items())
    return {text: known[key] for text, key in wanted.items()}


def spanish_scores(scores: dict[Any, float], text: str) -> tuple[float, float]:
    """(Szigriszt-Pazos, Fernández-Huerta) of a Spanish text from reading_grades' answer."""
    return scores[(SZIGRISZT_PAZOS, text)], scores[(FERNANDEZ_HUERTA, text)]
