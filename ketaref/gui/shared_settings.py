"""Bookmarks shared by windows on one settings file: saved by read-merge-write under a lock file, so what another
window added or removed meanwhile is kept (QSettings alone stores the list as one value: the last save would win)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from ..errors import KetarefError
from ..locking import folder_lock
from . import settings as S

log = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 5.0


def merge(base: Sequence[str], mine: Sequence[str], stored: Sequence[str]) -> tuple[str, ...]:
    """The bookmarks to store: the stored ones (another window's changes included) less those this window removed
    since base, plus those it added, in order."""
    removed = set(base) - set(mine)
    merged = [item for item in stored if item not in removed]
    merged += [item for item in mine if item not in base and item not in merged]
    return tuple(merged)


def save_bookmarks(settings: S.Settings, base: Sequence[str], mine: Sequence[str]) -> tuple[str, ...]:
    """Store this window's bookmark changes since base into what is on disk now, under the settings file's lock;
    the merged list (the window shows it from now on)."""
    path = Path(settings.path)
    try:
        with folder_lock(path.parent, LOCK_TIMEOUT_S, f".{path.name}.lock"):
            settings.sync()  # read what other windows saved since
            stored: tuple[str, ...] = settings.get(S.BOOKMARKS)
            merged = merge(base, mine, stored)
            settings.set(S.BOOKMARKS, merged)
            settings.sync()
            return merged
    except (OSError, KetarefError) as exc:
        log.warning("Saving bookmarks without the settings lock (%s)", exc)
        settings.set(S.BOOKMARKS, tuple(mine))
        return tuple(mine)
