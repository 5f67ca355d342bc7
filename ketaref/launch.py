"""The `ketaref` command: opens the window or searches straight away, or hands any other command to the click CLI.

Opening the desktop app and `ketaref search QUERY` are what clinicians and scripts do many times a day, so they
skip loading the command-line parser (click takes about as long to import as the search itself). The plain forms
`[--pack PATH] search WORDS... [--json] [--limit N] [--category C] [--audience A]` print exactly what
`ketaref.cli` prints, with the same exit code; every other form of the command line (help, a malformed or
unusual one, any error) goes through `ketaref.cli`.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

SEARCH_OPTIONS = ("--limit", "--category", "--audience")
ANSI = "\033\\[[0-?]*[ -/]*[@-~]"  # what click strips from output that is not a terminal


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


def _search_args(args: list[str]) -> dict[str, Any] | None:
    """The pack, words and options of a plain `search` command line (as click reads it), or None for any other."""
    from .model import AUDIENCES, CATEGORIES

    pack = None
    if len(args) >= 2 and args[0] == "--pack" and args[1] and not args[1].startswith("-"):
        pack, args = args[1], args[2:]
    elif args and args[0].startswith("--pack=") and len(args[0]) > len("--pack="):
        pack, args = args[0].split("=", 1)[1], args[1:]
    if pack is not None and os.path.isdir(pack):
        return None  # click's own message for a folder given as --pack
    if not args or args[0] != "search":
        return None
    words: list[str] = []
    options: dict[str, str] = {}
    as_json = False
    rest = iter(args[1:])
    for arg in rest:
        if not arg.startswith("-"):
            words.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if arg == "--json":
            as_json = True
            continue
        if name not in SEARCH_OPTIONS or name in options:
            return None  # help, --, an unknown or repeated option: click says what it makes of it
        if not equals:
            value = next(rest, "")
        if not value or value.startswith("-"):
            return None
        options[name] = value
    limit = options.get("--limit", "10")
    category, audience = options.get("--category"), options.get("--audience")
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= 500):
        return None
    if (category is not None and category not in CATEGORIES) or (audience is not None and audience not in AUDIENCES):
        return None
    return {"pack": pack, "text": " ".join(words), "limit": int(limit), "category": category,
            "audience": audience, "as_json": as_json}  # fmt: skip


def _utf8(stream: Any) -> bool:
    import codecs

    encoding = getattr(stream, "encoding", None)
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _search(pack: str | None, text: str, limit: int, category: str | None, audience: str | None, as_json: bool) -> bool:
    """Run a plain search and print what `ketaref.cli`'s search prints; False (nothing printed) when the CLI must
    take over: an error to report, a default pack to build, a stream click would treat in its own way."""
    if not (_utf8(sys.stdout) and _utf8(sys.stderr)) or (sys.platform == "win32" and sys.stdout.isatty()):
        return False
    from .errors import KetarefError
    from .packchoice import resolve_pack
    from .store import open_pack

    def building(_done: int, _total: int) -> None:
        raise _Building  # the CLI shows the build's progress bar and its notices

    try:
        path = resolve_pack(pack, progress=building, notice=lambda _message: building(0, 0))
        with open_pack(path) as opened:
            found = opened.search(text, limit=limit, category=category, audience=audience)
    except (KetarefError, _Building):
        return False
    if as_json:
        import json

        payload = found.as_json()
        _echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return True
    from .model import CATEGORY_LABELS
    from .search import relaxed_notice, unescape

    if found.corrected_query:
        _echo(f'Showing results for "{found.corrected_query}" (no card has "{found.replaced}").')
    if found.unmatched and found.matched_query:
        _echo(relaxed_notice(found) + ".")
    if not found.results:
        if text.strip():
            _echo(f'No cards match "{text}".')
        else:
            _echo("Nothing to search for: give a word, e.g. ketaref search TRD.", err=True)
        return True
    import re

    for n, hit in enumerate(found.results, 1):
        badge = "  [patient handout]" if hit.audience == "patient" else ""
        title = f"\033[1m{hit.title}\033[0m"  # click.style(bold=True)
        _echo(f"{n:>2}. {title}  ({CATEGORY_LABELS[hit.category]}){badge}  {hit.id}")
        marked = re.sub(r"<mark>(.*?)</mark>", lambda m: f"\033[33m\033[1m{m.group(1)}\033[0m", hit.snippet)
        _echo(f"    {unescape(marked)}")
    return True


class _Building(Exception):
    """The default pack has to be built first: the CLI does it, with its progress bar."""


def _echo(text: str, err: bool = False) -> None:
    """click.echo: a line, flushed, with its styles stripped when the stream is not a terminal."""
    stream = sys.stderr if err else sys.stdout
    if not stream.isatty():
        import re

        text = re.sub(ANSI, "", text)
    stream.write(text + "\n")
    stream.flush()


def main() -> None:
    """Console entry point."""
    args = sys.argv[1:]
    window = _window_args(args)
    if window is not None:
        from .gui.app import run

        sys.exit(run(window[0], smoke=window[1]))
    search = _search_args(args)
    if search is not None:
        try:
            done = _search(**search)
        except BrokenPipeError:  # the reader stopped reading (`| head`): exit 1 quietly, as click does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
            sys.exit(1)
        if done:
            sys.exit(0)
    from .cli import main as cli_main

    cli_main(prog_name="ketaref")
