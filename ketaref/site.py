"""The site file clinic IT places once (ketaref-site.toml): every user's clinic details, paper, updates, keys.

Looked for at the path in KETAREF_SITE, else beside the program, else in the system configuration folder. A
user's own Preferences override it. A bad site file never stops the app: each problem is one line, and the
keys that are fine still apply.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .errors import KetarefError


def _warn(message: str, *args: object) -> None:
    """Log a warning (logging is imported only when there is something to say: a search starts faster)."""
    import logging

    logging.getLogger(__name__).warning(message, *args)


SITE_FILENAME = "ketaref-site.toml"
SITE_ENV = "KETAREF_SITE"
PAPER_SIZES = ("letter", "a4")
TEXT_KEYS = ("clinic_name", "phone", "after_hours_phone")
KNOWN_KEYS = (*TEXT_KEYS, "logo", "paper", "updates_folder", "trusted_keys")
MAX_SITE_BYTES = 64 * 1024  # a site file is a few lines; anything larger is not one
MAX_TEXT = 200


class Site(NamedTuple):
    """What a site file sets (None: not set), where it was read from, and what was wrong with it."""

    path: Path | None = None
    clinic_name: str | None = None
    phone: str | None = None
    after_hours_phone: str | None = None
    logo: Path | None = None
    paper: str | None = None
    updates_folder: Path | None = None
    trusted_keys: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def system_folder() -> Path:
    """The system-wide configuration folder for KetaRef on this platform."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "KetaRef"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/KetaRef")
    return Path("/etc/ketaref")


def program_folder() -> Path | None:
    """The folder the program runs from: the bundle's folder, or the folder of the `ketaref` script."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    launched = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if launched is not None and launched.is_file():
        return launched.resolve().parent
    return None


def find_site_file() -> Path | None:
    """The site file in force: KETAREF_SITE, else beside the program, else the system folder (None: no file)."""
    named = os.environ.get(SITE_ENV)
    if named:
        return Path(named)
    beside = program_folder()
    for folder in ([beside] if beside else []) + [system_folder()]:
        candidate = folder / SITE_FILENAME
        if candidate.is_file():
            return candidate
    return None


def load_site(path: Path | None = None, check_logo: Callable[[Path], None] | None = None) -> Site:
    """Read the site file (found as find_site_file says when no path is given); never raises.

    check_logo, when given, raises KetarefError for a logo that cannot be printed; that logo is then dropped
    with a problem line, as are unknown keys and values of the wrong kind.
    """
    path = path if path is not None else find_site_file()
    if path is None:
        return Site()
    import tomllib  # only when there is a site file to read

    try:
        if path.stat().st_size > MAX_SITE_BYTES:
            return _failed(path, f"is larger than {MAX_SITE_BYTES // 1024} KB, so it is not a site file")
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return _failed(path, "does not exist")
    except (OSError, UnicodeDecodeError) as error:
        return _failed(path, f"could not be read ({_reason(error)})")
    except tomllib.TOMLDecodeError as error:
        return _failed(path, f"is not valid TOML ({error})")
    problems: list[str] = []
    values: dict[str, object] = {}
    base = path.parent
    for key, value in data.items():
        if key not in KNOWN_KEYS:
            problems.append(f"unknown key '{key}' (known: {', '.join(KNOWN_KEYS)})")
        elif key in TEXT_KEYS:
            if isinstance(value, str) and 0 < len(value.strip()) <= MAX_TEXT and value.isprintable():
                values[key] = value.strip()
            else:
                problems.append(f"'{key}' must be a line of text of up to {MAX_TEXT} characters")
        elif key == "paper":
            if isinstance(value, str) and value.lower() in PAPER_SIZES:
                values[key] = value.lower()
            else:
                problems.append(f"'paper' must be one of {', '.join(PAPER_SIZES)}")
        elif key in ("logo", "updates_folder"):
            if isinstance(value, str) and value.strip():
                values[key] = base / Path(value.strip()).expanduser()
            else:
                problems.append(f"'{key}' must be a path")
        elif isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
            values[key] = tuple(item.strip() for item in value)
        else:
            problems.append("'trusted_keys' must be a list of public-key files or minisign public-key lines")
    logo = values.get("logo")
    if isinstance(logo, Path) and check_logo is not None:
        try:
            check_logo(logo)
        except KetarefError as error:
            problems.append(f"logo not used: {error}")
            del values["logo"]
    site = Site(path=path, problems=tuple(problems), **values)  # type: ignore[arg-type]
    for problem in site.problems:
        _warn("Site file %s: %s", path, problem)
    return site


def _failed(path: Path, problem: str) -> Site:
    _warn("Site file %s %s", path, problem)
    return Site(path=path, problems=(f"the file {problem}",))


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or type(error).__name__


_loaded: dict[tuple[object, ...], Site] = {}


def site_in_force(check_logo: Callable[[Path], None] | None = None) -> Site:
    """The site file in force, read once per version of the file: its problems are logged once, not at each use.

    With check_logo, a logo that cannot be printed is dropped with one more problem (logged once as well).
    """
    path = find_site_file()
    try:
        stamp: tuple[object, ...] = (path.stat().st_mtime_ns, path.stat().st_size) if path is not None else ()
    except OSError:
        stamp = ("unreadable",)
    if len(_loaded) > 32:  # tests and a changing file: keep the cache small
        _loaded.clear()
    base = (path, stamp)
    if base not in _loaded:
        _loaded[base] = load_site(path) if path is not None else Site()
    site = _loaded[base]
    if check_logo is None or site.logo is None:
        return site
    checked = (path, stamp, "logo")
    if checked not in _loaded:
        _loaded[checked] = site
        try:
            check_logo(site.logo)
        except KetarefError as error:
            problem = f"logo not used: {error}"
            _warn("Site file %s: %s", path, problem)
            _loaded[checked] = site._replace(logo=None, problems=(*site.problems, problem))
    return _loaded[checked]


def describe(site: Site) -> str:
    """One line for the log and the status bar: where the site file is and the first problem, if any."""
    if site.path is None:
        return "No site file."
    if not site.problems:
        return f"Site file {site.path}."
    more = f" (and {len(site.problems) - 1} more)" if len(site.problems) > 1 else ""
    return f"Site file {site.path}: {site.problems[0]}{more}."
