"""The command line: thin click commands over the same functions the window uses.

The group `main` is here; its commands are in card_commands.py, pack_commands.py, handout_command.py,
key_commands.py, update_commands.py and dose_commands.py, and what they share is in common.py.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from .card_commands import search_cmd, show_cmd
from .common import Failure, open_current, user_errors
from .dose_commands import dose_group
from .handout_command import handout_cmd
from .key_commands import keys_group, verify_cmd
from .pack_commands import info_cmd, lint_cmd, pack_cmd
from .update_commands import update_cmd

__all__ = ["Failure", "main", "open_current", "user_errors"]


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--pack",
    "pack_path",
    type=click.Path(dir_okay=False),
    help="Pack file to use (default: KETAREF_PACK, else the bundled pack).",
)
@click.version_option(__version__, "--version", prog_name="ketaref", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, pack_path: str | None) -> None:
    """KetaRef: offline reference on ketamine and esketamine for depression.

    With no command, opens the desktop app.
    """
    if ctx.invoked_subcommand != "search":  # the hot path logs nothing and skips importing logging
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["pack"] = pack_path
    if ctx.invoked_subcommand is None:
        from ..gui.app import run

        with user_errors():
            sys.exit(run(pack_path))


@click.command("gui")
@click.option(
    "--smoke", is_flag=True, help="Open, search, open a card, check the one-window socket, close; exit 0 (for bundles)."
)
@click.pass_context
def gui_cmd(ctx: click.Context, smoke: bool) -> None:
    """Open the desktop app (the same as running ketaref with no command)."""
    from ..gui.app import run

    with user_errors():
        sys.exit(run(ctx.obj.get("pack"), smoke=smoke))


# The commands (`ketaref --help` lists them by name, whatever the order here).
main.add_command(dose_group)
main.add_command(gui_cmd)
main.add_command(handout_cmd)
main.add_command(info_cmd)
main.add_command(keys_group)
main.add_command(lint_cmd)
main.add_command(pack_cmd)
main.add_command(search_cmd)
main.add_command(show_cmd)
main.add_command(update_cmd)
main.add_command(verify_cmd)
