"""Which pack to open: --pack, else KETAREF_PACK, else an installed update newer than the bundled resources,
else the default pack built from them."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .paths import UPDATE_STATE_FILE, bundled_pack, cached_pack, resources_dir, user_dir


def _meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def is_current(pack: Path, resources: Path) -> bool:
    """True when a pack was built from exactly these resources by this version of KetaRef."""
    from .sources import builder_version, source_digest

    if not pack.is_file():
        return False
    meta = _meta(pack)
    return meta.get("content_sha256") == source_digest(resources) and meta.get("builder_version") == builder_version()


def installed_update(resources: Path) -> Path | None:
    """The installed pack update (ketaref.updates), when its content version is above the bundled resources'."""
    if not (user_dir("data") / UPDATE_STATE_FILE).is_file():  # no update ever installed: skip loading updates
        return None
    from .pack import content_version
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
        try:
            build(resources, target, progress)
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
