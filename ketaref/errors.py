"""Errors that carry a plain message for the user (anything else is a bug)."""

from __future__ import annotations

from typing import NamedTuple


class KetarefError(Exception):
    """A problem the user can act on; its message is one plain sentence."""


class PackError(KetarefError):
    """A pack file is missing, damaged, foreign or of an unsupported version."""


class NotFoundError(KetarefError):
    """A card id that the pack does not hold."""


class UpdateError(KetarefError):
    """A pack update could not be installed or rolled back; the working pack stays in use."""


class Problem(NamedTuple):
    """One problem in a card source file, located by file and line."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class CardError(KetarefError):
    """One or more card source files are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if not p.warning]
        super().__init__(f"{len(errors)} problem{'' if len(errors) == 1 else 's'} in the card sources")
