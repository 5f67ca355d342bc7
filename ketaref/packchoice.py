"""Which pack to open: --pack, else KETAREF_PACK, else an installed update newer than the bundled resources,
else the default pack built from them (with the same checks and refusal as `ketaref pack`).

When a signing key is trusted (site file, KETAREF_TRUSTED_KEYS), a pack named by --pack or KETAREF_PACK and an
installed update must carry a good signature by one of them; the built-in pack is trusted as part of the program.
A refused or damaged installed update gives way to the built-in pack, and a damaged cached default pack is built
again, each with a message, so that the window always opens.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import bundled_pack, cached_pack, resources_dir, update_ever_installed, user_dir
from .schema import META, named

if TYPE_CHECKING:
    from .store import Pack

Notice = Callable[[str], None]


def _meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return {row["key"]: row["value"] for row in named(conn, f"SELECT key, value FROM {META.name}")}
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


STAMP_FILE = "default-pack.stamp"


def _entry(path: Path) -> str:
    stat = os.stat(path)
    return f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}"


def _fingerprint_lines(resources: Path) -> list[str]:
    """Every source file, by path, size and modification time."""
    from .source_folder import source_files

    return [_entry(path) for path in source_files(resources)]


def _fingerprint(pack: Path, resources: Path) -> str:
    """The builder, the pack file and every source file, by path, size and modification time."""
    from .source_folder import builder_version

    return "\n".join([builder_version(), _entry(pack), *_fingerprint_lines(resources)])


def is_current(pack: Path, resources: Path) -> bool:
    """True when a pack was built from exactly these resources by this version of KetaRef.

    The full check hashes every source file; when it passes, a stamp of the files' sizes and times is kept in
    the cache, so the next start with nothing changed skips the hashing.
    """
    if not pack.is_file():
        return False
    stamp = user_dir("cache") / STAMP_FILE
    try:
        fingerprint = _fingerprint(pack, resources)
    except OSError:
        fingerprint = ""  # a file vanished while looking: the full check below decides
    try:
        if fingerprint and stamp.read_text("utf-8") == fingerprint:
            return True
    except (OSError, UnicodeDecodeError):
        pass
    from .source_folder import builder_version, source_digest

    meta = _meta(pack)
    current = (
        meta.get("content_sha256") == source_digest(resources) and meta.get("builder_version") == builder_version()
    )
    if current and fingerprint:
        _write_stamp(stamp, fingerprint)
    return current


def _sources_stamp(resources: Path) -> list[str] | None:
    """The source files' part of a fingerprint (None when a file vanished while looking)."""
    try:
        return _fingerprint_lines(resources)
    except OSError:
        return None


def _stamp_build(pack: Path, resources: Path, before: list[str] | None) -> None:
    """After a build, keep the stamp at once when no source file changed while it ran (the next start then skips
    hashing every card, as it does after a full check)."""
    try:
        fingerprint = _fingerprint(pack, resources)
    except OSError:
        return
    if before is not None and fingerprint.split("\n")[2:] == before:
        _write_stamp(user_dir("cache") / STAMP_FILE, fingerprint)


def _write_stamp(stamp: Path, fingerprint: str) -> None:
    """Keep the stamp of a pack just found current (a cache that cannot be written only costs time)."""
    temporary = stamp.with_name(f".{stamp.name}.{os.getpid()}.tmp")
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(fingerprint, "utf-8")
        os.replace(temporary, stamp)
    except OSError:
        temporary.unlink(missing_ok=True)


def installed_update(resources: Path, warn: Notice | None = None) -> Path | None:
    """The installed pack update (ketaref.updates), when its content version is above the bundled resources' and
    its signature is accepted (a refused one is reported to warn and not used)."""
    if not update_ever_installed():
        return None
    from .source_folder import content_version
    from .updates import active_pack, is_newer

    installed = active_pack()
    if installed is None:
        return None
    version = _meta(installed).get("content_version")
    if version is None:
        _warn(
            warn,
            f"The installed pack update {installed} is damaged or unreadable. Using the built-in pack; "
            "File > Roll back or `ketaref update --rollback` goes back to the previous pack.",
        )
        return None
    if is_newer(version, content_version(resources)):
        from .trust import UntrustedPackError, require_trusted

        try:
            require_trusted(installed, "The installed pack update")
        except UntrustedPackError as exc:
            _warn(warn, f"{exc} Using the built-in pack; File > Roll back or `ketaref update --rollback` goes back.")
            return None
        return installed
    return None


def _warn(warn: Notice | None, message: str) -> None:
    """Tell the user (the window's message route and the CLI's stderr log it themselves), else log it."""
    if warn:
        warn(message)
    else:
        import logging

        logging.getLogger(__name__).warning("%s", message)


def builtin_pack(
    progress: Callable[[int, int], None] | None = None, notice: Notice | None = None, rebuild: bool = False
) -> Path:
    """The pack that comes with the program: the prebuilt one in the bundle, else one built in the cache from the
    bundled resources (built again when rebuild is set: the cached one is damaged)."""
    from .atomic import remove_leftovers

    resources = resources_dir()
    bundled = bundled_pack()
    if not rebuild and is_current(bundled, resources):
        return bundled
    target = cached_pack()
    remove_leftovers(target)  # a build killed part way leaves its temporary file beside the pack
    if rebuild:
        (user_dir("cache") / STAMP_FILE).unlink(missing_ok=True)
        target.unlink(missing_ok=True)
    if not is_current(target, resources):
        from .errors import CardError
        from .pack import build

        if notice:
            notice(f"Building the default pack from {resources} into {target} ...")
        warn = (lambda problem: notice(str(problem))) if notice else None
        try:
            before = _sources_stamp(resources)
            build(resources, target, progress, warn)
            _stamp_build(target, resources, before)
        except CardError:
            if not target.is_file():
                raise
            # A maintainer's broken edit must not take the reference away: keep serving the last good pack.
            if notice:
                notice(f"The cards in {resources} have problems (see `ketaref lint`); using the previous pack.")
    return target


def default_pack(
    progress: Callable[[int, int], None] | None = None, notice: Notice | None = None, warn: Notice | None = None
) -> Path:
    """The default pack: a newer installed update, else the prebuilt one in the bundle, else one built in the cache.

    warn gets what the user must be told (an installed update refused); it defaults to notice.
    """
    installed = installed_update(resources_dir(), warn or notice)
    if installed:
        return installed
    return builtin_pack(progress, notice)


def resolve_pack(explicit: str | os.PathLike[str] | None = None, **kwargs: Callable[..., None] | None) -> Path:
    """The pack to use: an explicit path, else KETAREF_PACK, else the default pack (or a newer installed update).

    A pack named by --pack or KETAREF_PACK whose signature is refused raises UntrustedPackError.
    """
    chosen = explicit or os.environ.get("KETAREF_PACK")
    if chosen:
        path = Path(chosen)
        if path.is_file():  # a missing one is open_pack's plain error
            from .trust import require_trusted

            require_trusted(path, "The pack")
        return path
    return default_pack(**kwargs)


def open_chosen(
    explicit: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    notice: Notice | None = None,
    warn: Notice | None = None,
) -> Pack:
    """Open the pack resolve_pack chooses. When it is not one the user named and it cannot be opened, carry on
    with the built-in pack (an installed update that is damaged) or build the default pack again (a damaged cached
    one); warn (default: notice) says so. PackError only when there is no way to open a pack."""
    from .errors import PackError
    from .store import open_pack

    warn = warn or notice
    path = resolve_pack(explicit, progress=progress, notice=notice, warn=warn)
    try:
        return open_pack(path)
    except PackError as exc:
        if explicit or os.environ.get("KETAREF_PACK"):
            raise
        failed = exc
    cached = path.resolve() == cached_pack().resolve()
    if cached:
        message = f"{failed} Building the default pack again."
    else:
        message = f"{failed} Using the built-in pack; File > Roll back or `ketaref update --rollback` goes back."
    _warn(warn, message)
    return open_pack(builtin_pack(progress, notice, rebuild=cached))
