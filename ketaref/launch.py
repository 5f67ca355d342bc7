"""The `ketaref` command: opens the window straight away, or hands any other command to the click CLI.

Opening the desktop app is what clinicians do many times a day, so it skips loading the command-line
parser; every other form of the command line (and any malformed one) goes through `ketaref.cli`.
"""

from __future__ import annotations

import sys


def _window_args(args: list[str]) -> tuple[str | None, bool] | None:
    """(pack, smoke) when the arguments only open the window: [--pack PATH] [gui [--smoke]]."""
    pack = None
    if len(args) >= 2 and args[0] == "--pack" and not args[1].startswith("-"):
        pack, args = args[1], args[2:]
    elif args and args[0].startswith("--pack=") and len(args[0]) > len("--pack="):
        pack, args = args[0].split("=", 1)[1], args[1:]
    if args in ([], ["gui"]):
        return pack, False
    if args == ["gui", "--smoke"]:
        return pack, True
    return None


def main() -> None:
    """Console entry point."""
    window = _window_args(sys.argv[1:])
    if window is not None:
        from .gui.app import run

        sys.exit(run(window[0], smoke=window[1]))
    from .cli import main as cli_main

    cli_main(prog_name="ketaref")
