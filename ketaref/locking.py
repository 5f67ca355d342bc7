"""A lock file per data folder, so that two windows or a window and `ketaref update` never change packs.json,
the installed packs or the bookmarks at the same time (fcntl on Unix, msvcrt on Windows)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import KetarefError

LOCK_FILE = ".ketaref.lock"
DEFAULT_TIMEOUT_S = 30.0
_POLL_S = 0.05


class LockBusyError(KetarefError):
    """Another KetaRef holds the data folder's lock for longer than we wait."""


def _try_lock(handle: IO[bytes]) -> bool:
    """Take the lock on the open file without waiting; True when taken."""
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def folder_lock(folder: Path, timeout: float | None = None, name: str = LOCK_FILE) -> Iterator[None]:
    """Hold the folder's lock for the block (waiting up to timeout seconds, default DEFAULT_TIMEOUT_S, for another
    KetaRef to let go).

    Raises LockBusyError when it stays taken, OSError when the lock file cannot be made.
    """
    timeout = DEFAULT_TIMEOUT_S if timeout is None else timeout
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / name, "a+b")  # noqa: SIM115 (closed below)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise LockBusyError(
                    f"Another KetaRef is changing the packs in {folder} (installing or rolling back); "
                    "try again when it has finished."
                )
            time.sleep(_POLL_S)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()


def try_hold(folder: Path, name: str) -> IO[bytes] | None:
    """Take a lock for as long as the returned file stays open (None when another process holds it)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / name, "a+b")  # noqa: SIM115 (the caller keeps it open)
    if _try_lock(handle):
        return handle
    handle.close()
    return None
