"""Which pack to open: --pack, else KETAREF_PACK, else an installed update newer than the bundled resources,
else the default pack built from them (with the same checks and refusal as `ketaref pack`)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .paths import bundled_pack, cached_pack, resources_dir, update_ever_installed, user_dir
from .schema import META, named


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


def _fingerprint(pack: Path, resources: Path) -> str:
    """The builder, the pack file and every source file, by path, size and modification time."""
    from .source_folder import builder_version, source_files

    def entry(path: Path) -> str:
        stat = os.stat(path)
        return f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}"

    return "\n".join([builder_version(), entry(pack), *(entry(path) for path in source_files(resources))])


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


def _write_stamp(stamp: Path, fingerprint: str) -> None:
    """Keep the stamp of a pack just found current (a cache that cannot be written only costs time)."""
    temporary = stamp.with_name(f".{stamp.name}.{os.getpid()}.tmp")
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(fingerprint, "utf-8")
        os.replace(temporary, stamp)
    except OSError:
        temporary.unlink(missing_ok=True)


def installed_update(resources: Path) -> Path | None:
    """The installed pack update (ketaref.updates), when its content version is above the bundled resources'."""
    if not update_ever_installed():
        return None
    from .source_folder import content_version
    from .updates import active_pack, is_newer

    installed = active_pack()
    if installed and is_newer(_meta(installed).get("content_version", ""), content_version(resources)):
        return installed
    return None


def default_pack(
    progress: Callable[[int, int], None] | None = None, notice: Callable[[str], None] | None = None
) -> Path:
    """The default pack: a newer installed update, else the prebuilt one in the bundle, else one built in the cache."""
    resources = resources_dir()
    installed = installed_update(resources)
    if installed:
        return installed
    bundled = bundled_pack()
    if is_current(bundled, resources):
        return bundled
    target = cached_pack()
    if not is_current(target, resources):
        from .errors import CardError
        from .pack import build

        if notice:
            notice(f"Building the default pack from {resources} into {target} ...")
        warn = (lambda problem: notice(str(problem))) if notice else None
        try:
            build(resources, target, progress, warn)
        except CardError:
            if not target.is_file():
                raise
            # A maintainer's broken edit must not take the reference away: keep serving the last good pack.
            if notice:
                notice(f"The cards in {resources} have problems (see `ketaref lint`); using the previous pack.")
    return target


def resolve_pack(explicit: str | os.PathLike[str] | None = None, **kwargs: Callable[..., None] | None) -> Path:
    """The pack to use: an explicit path, else KETAREF_PACK, else the default pack (or a newer installed update)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KETAREF_PACK")
    if env:
        return Path(env)
    return default_pack(**kwargs)
