"""A source folder (cards/, synonyms.toml, pack.toml): its files and their digest, cheap enough to check at
every start, and reading it with every problem found."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import KetarefError, Problem
from .schema import PACK_FORMAT, SCHEMA_VERSION

if TYPE_CHECKING:
    from typing import Any

    from .cards import CardSource

# Not imported at module level below (cards, tomllib): a start-up with unchanged sources only lists and stats files.


def builder_version() -> str:
    """The KetaRef version and pack format that a build records (a different one means rebuild)."""
    return f"{__version__}+format{PACK_FORMAT}"


def card_files(cards_dir: Path) -> list[Path]:
    """Every card file under a cards folder, in a stable order."""
    found: list[tuple[str, Path]] = []
    for folder, _dirs, names in os.walk(cards_dir):
        inside = os.path.relpath(folder, cards_dir).replace(os.sep, "/")  # once per folder: relpath is slow
        prefix = "" if inside == "." else inside + "/"
        found += [(prefix + name, Path(folder, name)) for name in names if name.endswith(".md")]
    return [path for _key, path in sorted(found)]


def source_files(source: Path) -> list[Path]:
    """Every file whose content goes into a pack built from this source folder."""
    files = card_files(source / "cards")
    for name in ("synonyms.toml", "pack.toml"):
        if (source / name).is_file():
            files.append(source / name)
    return files


def source_digest(source: Path) -> str:
    """SHA-256 over the source files' names and bytes: the pack's content_sha256."""
    import hashlib  # not at module level: a start-up with unchanged sources never hashes (see packchoice.is_current)

    digest = hashlib.sha256(f"ketaref-schema-{SCHEMA_VERSION}\n".encode())
    for path in source_files(source):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(source).as_posix()}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def load_synonyms(path: Path) -> tuple[list[list[str]], list[Problem]]:
    """Synonym groups from synonyms.toml, with every problem found."""
    import tomllib

    from .cards import display_path

    name = display_path(path)
    if not path.is_file():
        return [], []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except UnicodeDecodeError:
        return [], [Problem(name, 1, "the file is not UTF-8 text; save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        return [], [Problem(name, int(m.group(1)) if m else 1, f"bad TOML: {exc}")]
    lines = [i + 1 for i, text in enumerate(path.read_text("utf-8").splitlines()) if text.strip() == "[[group]]"]
    groups: list[list[str]] = []
    problems: list[Problem] = []
    unknown = set(data) - {"group"}
    for key in sorted(unknown):
        problems.append(Problem(name, 1, f"unknown field '{key}' (only [[group]] tables)"))
    seen: dict[str, int] = {}
    for n, group in enumerate(data.get("group", [])):
        line = lines[n] if n < len(lines) else 1
        terms = group.get("terms") if isinstance(group, dict) else None
        if not isinstance(terms, list) or len(terms) < 2 or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(Problem(name, line, "a group needs 'terms' with at least two non-empty strings"))
            continue
        for term in terms:
            key = term.strip().lower()
            if key in seen and seen[key] != n:
                problems.append(Problem(name, line, f"'{term}' is already in another group"))
            seen[key] = n
        groups.append([t.strip() for t in terms])
    return groups, problems


def content_version(source: Path) -> str:
    """The maintainer's content version from pack.toml (a dotted number, e.g. 2026.11.1)."""
    import tomllib

    from .cards import display_path

    path = source / "pack.toml"
    if not path.is_file():
        return "0"
    try:
        value = tomllib.loads(path.read_text("utf-8")).get("content_version", "0")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KetarefError(f"{display_path(path)}: cannot read content_version ({exc})") from exc
    return str(value)


def check_pack_toml(source: Path) -> list[Problem]:
    """pack.toml's content_version: a dotted number, or workstations never take the pack as an update."""
    from .cards import display_path

    path = source / "pack.toml"
    name = display_path(path)
    if not path.is_file():
        return [
            Problem(
                name,
                1,
                "no pack.toml: the pack gets content version 0 and is never offered as an update; add "
                'content_version = "2026.11.1" (year.month.release)',
                True,
            )
        ]
    version = content_version(source)
    if re.fullmatch(r"[0-9]+(\.[0-9]+)*", version):
        return []
    lines = path.read_text("utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if text.strip().startswith("content_version")), 1)
    return [
        Problem(
            name,
            line,
            f"content_version {version!r} is not a dotted number such as 2026.11.2: workstations compare versions "
            "as numbers and would never take this pack as an update",
        )
    ]


def read_source(
    source: Path, run: Callable[..., Iterable[Any]] = map
) -> tuple[list[CardSource], list[list[str]], list[Problem]]:
    """Parse a source folder: its valid cards (with where each part sits in its file), the synonym groups, and
    every problem of the cards, synonyms.toml and pack.toml (the content checks are lint.check_source's).

    run maps the parsing of each card file (see cards.load_cards)."""
    from .cards import load_cards

    if not (source / "cards").is_dir():
        raise KetarefError(f"{source} has no cards/ folder: is it a KetaRef source folder?")
    parsed, problems = load_cards(source / "cards", run)
    groups, syn_problems = load_synonyms(source / "synonyms.toml")
    return parsed, groups, problems + syn_problems + check_pack_toml(source)
