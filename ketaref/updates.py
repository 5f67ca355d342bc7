"""Pack updates from a shared folder: find a newer pack, tell what changed, install it, roll it back.

The work is done in update_review.py (finding an update and what it changes), update_install.py (installing it)
and update_state.py (packs.json, rollback, old packs); callers (the window, the CLI, packchoice.py) import every
name from here.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .update_install import Progress, install_update
from .update_review import (
    INCOMING_DIR,
    PACK_SUFFIXES,
    Changes,
    Skipped,
    Update,
    diff,
    find_update,
    is_newer,
    version_key,
)
from .update_state import (
    PACKS_DIR,
    STATE_FILE,
    active_pack,
    data_dir_or_default,
    file_sha256,
    previous_pack,
    read_state,
    remove_leftovers,
    rollback,
)

__all__ = [  # the names callers use, wherever they are defined
    "INCOMING_DIR",
    "PACKS_DIR",
    "PACK_SUFFIXES",
    "STATE_FILE",
    "UPDATES_ENV",
    "Changes",
    "Progress",
    "Skipped",
    "Update",
    "active_pack",
    "changes_for",
    "diff",
    "file_sha256",
    "find_update",
    "install_update",
    "is_newer",
    "previous_pack",
    "read_state",
    "release_notes",
    "remove_leftovers",
    "rollback",
    "updates_folder",
    "version_key",
]

log = logging.getLogger(__name__)

UPDATES_ENV = "KETAREF_UPDATES"


def updates_folder(preference: str = "") -> Path | None:
    """The folder to look for pack updates in: the one named in Preferences, else KETAREF_UPDATES, else the site
    file's updates_folder, else none."""
    from .site import site_in_force

    chosen = preference.strip() or os.environ.get(UPDATES_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else site_in_force().updates_folder


def changes_for(pack_path: Path, data_dir: Path | None = None) -> Changes | None:
    """What changed from the previous pack to this one, when this is the installed update in use."""
    data_dir = data_dir_or_default(data_dir)
    state = read_state(data_dir)
    active, changes = state["active"], state["changes"]
    if active is None or changes is None:
        return None
    if Path(pack_path).resolve() != (data_dir / PACKS_DIR / active).resolve():
        return None
    try:
        return Changes.from_json(changes)
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("Ignoring the unreadable changes in %s: %s", data_dir / STATE_FILE, exc)
        return None


def release_notes(data_dir: Path | None = None, pack_path: Path | None = None) -> str | None:
    """Plain-text notes on what the installed update changed (only if it is `pack_path`, when given), or None."""
    data_dir = data_dir_or_default(data_dir)
    if pack_path is None:
        pack_path = active_pack(data_dir)
        if pack_path is None:
            return None
    changes = changes_for(pack_path, data_dir)
    return changes.text() if changes else None
