"""The one check of a source folder that every build runs and `ketaref lint` prints: the card format, synonyms,
pack.toml, review dates, summaries and the reading grade of patient handouts (body and summary)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cards import CardSource
from .errors import Problem
from .model import Card, review_due_from

MAX_HANDOUT_GRADE = 8.0
# Spanish handouts: reading ease on the INFLESZ scale (Szigriszt-Pazos, textstat with set_lang("es")); under 55 fails
# ("algo difícil"), under 65 (the target, "bastante fácil") warns.
MIN_SPANISH_EASE = 55.0
TARGET_SPANISH_EASE = 65.0
# The summary is set off in a box at the top of the card and, on a handout, of the printed sheet: read at a glance.
MAX_HANDOUT_SUMMARY_WORDS = 50
MAX_SUMMARY_WORDS = 90


@dataclass
class LintReport:
    """Every problem (errors and warnings) and each patient card's reading grade."""

    problems: list[Problem] = field(default_factory=list)
    grades: dict[str, tuple[str, float]] = field(default_factory=dict)  # id -> (path, grade of body_text)
    summary_grades: dict[str, float] = field(default_factory=dict)  # id -> grade of the summary
    # Spanish patient cards: id -> (path, Szigriszt-Pazos (INFLESZ) and Fernández-Huerta of body_text)
    ease: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    summary_ease: dict[str, float] = field(default_factory=dict)  # id -> INFLESZ of the summary
    cards: int = 0
    # What a build writes: the synonym groups, and the cards rendered (body_html, body_text), in id order.
    groups: list[list[str]] = field(default_factory=list)
    rendered: list[Card] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that fail the lint."""
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not fail the lint."""
        return [p for p in self.problems if p.warning]


def check_source(
    source: Path,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    render_all: bool = True,
    keep_grades: bool = False,
) -> LintReport:
    """Read and check a source folder: every problem (errors and warnings), the handout grades and, with
    render_all, every card rendered as a build writes it (else only the patient cards the grades are read from).

    Every build (`ketaref pack`, the default pack, any pack.build) and `ketaref lint` go through this one check.
    keep_grades: also bring the folder's reading-grades.tsv up to date (the maintainer's commands do).
    """
    from .pack import SPAWN_FROM, Workers, render_cards
    from .source_folder import read_source

    with Workers() as workers:
        # Parsing a card takes about 1 ms: only a large folder is worth parsing on every core.
        parsed, groups, problems = read_source(source, functools.partial(workers.map, least=SPAWN_FROM))
        titles = {p.card.id: p.card.title for p in parsed}  # as in the pack: link titles shape the text graded
        chosen = sorted((p.card for p in parsed if render_all or p.card.audience == "patient"), key=lambda c: c.id)
        rendered = render_cards(chosen, progress, titles, workers)
        by_id = {card.id: card for card in rendered}
        # textstat's dictionary takes each worker 2 s to load: only many new texts are graded on every core.
        grade_map = functools.partial(workers.map, least=SPAWN_FROM)
        report = content_problems(parsed, by_id, today, source, keep_grades, grade_map)
    report.problems = sorted(problems + report.problems, key=lambda p: (p.path, p.line))
    report.groups = groups
    report.rendered = rendered if render_all else []
    return report


def lint(source: Path, today: dt.date | None = None, keep_grades: bool = False) -> LintReport:
    """Validate a source folder and check review age, summaries and handout reading grades."""
    return check_source(source, today, render_all=False, keep_grades=keep_grades)


def content_problems(
    parsed: Sequence[CardSource],
    rendered: Mapping[str, Card],
    today: dt.date | None = None,
    folder: Path | None = None,
    keep_grades: bool = False,
    run: Callable[..., Iterable[float]] = map,
) -> LintReport:
    """The checks beyond the card format, over valid cards (rendered: the patient cards with body_text filled in;
    folder: the source folder, whose kept reading grades are used, and with keep_grades brought up to date)."""
    from . import clock
    from .grades import reading_grades, spanish_scores

    today = today or clock.today()
    where = {p.card.id: p for p in parsed}  # each card's source, for the line of a front-matter key
    cards = [p.card for p in parsed]
    report = LintReport(cards=len(cards))
    for card in cards:
        if today > review_due_from(card.reviewed):
            report.problems.append(
                Problem(
                    card.path,
                    where[card.id].line_of("reviewed"),
                    f"last reviewed {card.reviewed.isoformat()}, over 18 months ago: review it",
                    True,
                )
            )
        if card.reviewed > today:
            report.problems.append(
                Problem(
                    card.path,
                    where[card.id].line_of("reviewed"),
                    f"reviewed date {card.reviewed.isoformat()} is in the future",
                )
            )
        words = len(card.summary.split())
        handout = card.audience == "patient"
        limit = MAX_HANDOUT_SUMMARY_WORDS if handout else MAX_SUMMARY_WORDS
        if words > limit:
            box = "the boxed opening of the printed handout" if handout else "the box at the top of the card"
            report.problems.append(
                Problem(
                    card.path,
                    where[card.id].line_of("summary"),
                    f"summary has {words} words (at most {limit}): it is {box}, read at a glance; move the rest "
                    "into the body",
                    warning=not handout,
                )
            )
    patients = [rendered[c.id] for c in cards if c.audience == "patient" and c.lang == "en"]
    spanish = [rendered[c.id] for c in cards if c.audience == "patient" and c.lang == "es"]
    texts = [text for card in patients for text in (card.body_text, card.summary)]
    spanish_texts = [text for card in spanish for text in (card.body_text, card.summary)]
    grades = reading_grades(texts, folder, keep_grades, run, spanish_texts)
    for card in spanish:
        ease, huerta = (round(x, 1) for x in spanish_scores(grades, card.body_text))
        report.ease[card.id] = (card.path, ease, huerta)
        if ease < TARGET_SPANISH_EASE:
            report.problems.append(
                Problem(
                    card.path,
                    1,
                    f"reading ease {ease} (INFLESZ, Szigriszt-Pazos) is under {TARGET_SPANISH_EASE:g} for a Spanish "
                    f"patient handout (under {MIN_SPANISH_EASE:g} fails): use shorter sentences and plainer words",
                    warning=ease >= MIN_SPANISH_EASE,
                )
            )
        summary_ease = round(spanish_scores(grades, card.summary)[0], 1)
        report.summary_ease[card.id] = summary_ease
        if summary_ease < MIN_SPANISH_EASE:
            report.problems.append(
                Problem(
                    card.path,
                    where[card.id].line_of("summary"),
                    f"summary reading ease {summary_ease} (INFLESZ) is under {MIN_SPANISH_EASE:g}: it prints first "
                    "on the handout; use short sentences and plain words",
                )
            )
    for card in patients:
        grade = round(grades[card.body_text], 1)
        report.grades[card.id] = (card.path, grade)
        if grade > MAX_HANDOUT_GRADE:
            report.problems.append(
                Problem(
                    card.path,
                    1,
                    f"reading grade {grade} (Flesch-Kincaid) is above {MAX_HANDOUT_GRADE:g} for a patient handout: "
                    "use shorter sentences and plainer words",
                )
            )
        # The summary prints first, boxed, at the top of the handout: the patient reads it before anything else.
        summary = round(grades[card.summary], 1)
        report.summary_grades[card.id] = summary
        if summary > MAX_HANDOUT_GRADE:
            report.problems.append(
                Problem(
                    card.path,
                    where[card.id].line_of("summary"),
                    f"summary reading grade {summary} (Flesch-Kincaid) is above {MAX_HANDOUT_GRADE:g}: it prints "
                    "first on the handout; use short sentences and plain words",
                )
            )
    report.problems.sort(key=lambda p: (p.path, p.line))
    return report
