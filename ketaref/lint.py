"""Content checks beyond validation: review dates and the reading grade of patient handouts (body and summary)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .model import REVIEW_DUE_DAYS

MAX_HANDOUT_GRADE = 8.0


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
    """Validate a source folder and check review age and handout reading grades."""
    from .pack import render_cards, validate_sources

    today = today or dt.date.today()
    parsed, _groups, problems = validate_sources(source)
    cards = [p.card for p in parsed]
    summary_lines = {p.card.id: p.line_of("summary") for p in parsed}
    report = LintReport(list(problems), cards=len(cards))
    for card in cards:
        age = (today - card.reviewed).days
        if age > REVIEW_DUE_DAYS:
            report.problems.append(
                Problem(card.path, 1, f"last reviewed {card.reviewed.isoformat()}, over 18 months ago: review it", True)
            )
        if card.reviewed > today:
            report.problems.append(Problem(card.path, 1, f"reviewed date {card.reviewed.isoformat()} is in the future"))
    patients = render_cards([c for c in cards if c.audience == "patient"])
    for card in patients:
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
                    summary_lines.get(card.id, 1),
                    f"summary reading grade {summary} (Flesch-Kincaid) is above {MAX_HANDOUT_GRADE:g}: it prints "
                    "first on the handout; use short sentences and plain words",
                )
            )
    report.problems.sort(key=lambda p: (p.path, p.line))
    return report
