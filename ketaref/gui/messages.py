"""The window's one way to tell the user something: a Message (info, warning, error), logged, then shown."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from ..errors import KetarefError
from .strip import MessageStrip

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class Level(Enum):
    """How much a message matters: an error also gets a dialog."""

    INFO = logging.INFO
    WARNING = logging.WARNING
    ERROR = logging.ERROR


# How long a message stays in the status bar, in milliseconds.
SHORT, LONG, LONGER = 5000, 8000, 10000
DURATIONS = {Level.INFO: SHORT, Level.WARNING: LONG, Level.ERROR: LONG}


@dataclass(frozen=True)
class Message:
    """One thing said to the user: its level, its text, how long it stays and whether it needs a dialog."""

    level: Level
    text: str
    duration_ms: int
    dialog: bool
    file: Path | None = None  # a file the message is about (the strip offers Open and Show in folder)
    strip: bool = False  # also in the message strip (errors always are)


class Messages(QObject):
    """Logs each message, announces it on `posted`, then shows it: in the status bar or a dialog, and in the
    message strip when it confirms something done (saved, printed, installed) or is an error."""

    posted = Signal(object)  # the Message, before it is shown

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.strip = MessageStrip()  # the window puts it above the results and the card

    def tell(
        self,
        text: str,
        level: Level = Level.INFO,
        duration_ms: int | None = None,
        dialog: bool = False,
        *,
        file: Path | None = None,
        strip: bool = False,
    ) -> None:
        """Say something: info and warnings in the status bar (or a dialog when asked), errors in a dialog;
        with strip (or a file, or an error) in the message strip too, an error there until dismissed."""
        duration = DURATIONS[level] if duration_ms is None else duration_ms
        message = Message(level, text, duration, dialog or level is Level.ERROR, file, strip or file is not None)
        log.log(level.value, "%s", text)
        self.posted.emit(message)
        self.show(message)

    def show(self, message: Message) -> None:
        """Where a message appears: the status bar or a dialog, and the strip for confirmations and errors."""
        if message.strip or message.level is Level.ERROR:
            self.strip.say(message.text, message.level.name, message.file)
        if message.dialog:
            self.show_dialog(message)
        else:
            self.window.statusBar().showMessage(message.text, message.duration_ms)

    def show_dialog(self, message: Message) -> None:
        """The modal box of a message that needs one (tests record it here instead)."""
        from . import dialogs

        show = dialogs.show_info if message.level is Level.INFO else dialogs.show_error
        show(self.window, message.text)

    def clear(self) -> None:
        """Take down what the status bar says (it was about something no longer on screen)."""
        self.window.statusBar().clearMessage()

    def guarded(self, slot: Callable[P, T], level: Level = Level.ERROR) -> Callable[P, T | None]:
        """The one place a KetarefError raised in a slot becomes a message: the slot, which then returns None."""

        @functools.wraps(slot)
        def call(*args: P.args, **kwargs: P.kwargs) -> T | None:
            try:
                return slot(*args, **kwargs)
            except KetarefError as exc:
                self.tell(str(exc), level)
                return None

        return call
