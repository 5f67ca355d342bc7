"""Content checks beyond validation: review dates and the reading grade of patient handouts (body and summary)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cards import CardSource
from .errors import Problem
from .model import Card, review_due_from

MAX_HANDOUT_GRADE = 8.0
# The summary is set off in a box at the top of the card and, on a handout, of the printed sheet: read at a glance.
MAX_HANDOUT_SUMMARY_WORDS = 50
MAX_SUMMARY_WORDS = 90


@dataclass
class LintReport:
    """Every problem (errors and warnings) and each patient card's reading grade."""

    problems: list[Problem] = field(default_factory=list)
    grades: dict[str, tuple[str, float]] = field(default_factory=dict)  # id -> (path, grade of body_text)
    summary_grades: dict[str, float] = field(default_factory=dict)  # id -> grade of the summary
    cards: int = 0

    @property
    def errors(self) -> list[Problem]:
        """The problems that fail the lint."""
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not fail the lint."""
        return [p for p in self.problems if p.warning]


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text (textstat 0.7.8)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def lint(source: Path, today: dt.date | None = None) -> LintReport:
    """Validate a source folder and check review age, summaries and handout reading grades."""
    from .pack import render_cards, validate_sources

    parsed, _groups, problems = validate_sources(source)
    titles = {p.card.id: p.card.title for p in parsed}  # as in the pack: link titles shape the text graded
    patients = render_cards([p.card for p in parsed if p.card.audience == "patient"], titles=titles)
    report = content_problems(parsed, {card.id: card for card in patients}, today)
    report.problems = sorted(problems + report.problems, key=lambda p: (p.path, p.line))
    return report


def content_problems(
    parsed: Sequence[CardSource], rendered: Mapping[str, Card], today: dt.date | None = None
) -> LintReport:
    """The checks beyond the card format, over valid cards (rendered: the patient cards with body_text filled in)."""
    today = today or dt.date.today()
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
    for card in (rendered[c.id] for c in cards if c.audience == "patient"):
        grade = round(reading_grade(card.body_text), 1)
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
        summary = round(reading_grade(card.summary), 1)
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
