"""What every command shares: one-line failures and exit codes, progress bars, opening the pack in use."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..errors import CardError, KetarefError


class Failure(click.ClickException):
    """A user-facing problem: one line on stderr, exit 1."""

    def format_message(self) -> str:
        return self.message


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn KetaRef errors into one clear line and exit 1 (card errors list every problem first)."""
    try:
        yield
    except CardError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise Failure(str(exc)) from exc
    except KetarefError as exc:
        raise Failure(str(exc)) from exc
    except OSError as exc:  # a full disk, a folder that cannot be written: one line, never a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        raise Failure(f"Could not finish: {exc.strerror or exc}{where}.") from exc


def progress_bar(label: str) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A terminal progress bar for long builds (nothing when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        return None, lambda: None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done

    def finish() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, finish


def _notice(message: str) -> None:
    click.echo(message, err=True)


def open_current(ctx: click.Context) -> Any:
    """Open the pack chosen by --pack, KETAREF_PACK or the default (built on first use); a pack refused for its
    signature is a KetarefError, and a damaged installed update or cached pack gives way with a notice."""
    from ..packchoice import open_chosen

    update, finish = progress_bar("Building the default pack")
    try:
        return open_chosen(ctx.obj.get("pack"), progress=update, notice=_notice)
    finally:
        finish()
