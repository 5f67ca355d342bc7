"""Writing a file so that readers see the old one or the whole new one, never a part, even after a power cut."""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _log_info(message: str, *args: object) -> None:
    """Log (logging and tempfile load only when needed: `ketaref search` on the default pack checks for
    leftovers at every start)."""
    import logging

    logging.getLogger(__name__).info(message, *args)


# A temporary file whose writer is gone is removed after this long even when its process id is in use again.
STALE_AFTER_S = 24 * 3600
# Temporaries of a writer that named no process (older KetaRef) are removed once this old.
UNOWNED_AFTER_S = 3600
_LEFTOVER_SUFFIXES = ("", "-journal", "-wal", "-shm")


class NotAFileError(ValueError):
    """The path names something that is not a regular file (a folder, a device, a pipe): it is never replaced."""


def check_target(target: Path) -> None:
    """Raise NotAFileError unless target is a new path or a regular file (symbolic links are followed)."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise NotAFileError(f"{target} cannot be written: {exc.strerror or exc}") from exc
    if stat.S_ISREG(mode):
        return
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise NotAFileError(f"{target} is {kind}, not a file: give a new file name or an existing file to replace")


def _alive(pid: int) -> bool:
    """True when a process of this id runs on this computer (or cannot be asked about)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would end it on Windows: judged by the file's age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def leftovers(target: Path) -> list[Path]:
    """Temporary files of earlier writes of target whose writer is gone (killed, or the power went): the
    `.NAME.PID.*.tmp` files atomic_path makes beside it and SQLite's journals of them; nothing else."""
    pattern = re.compile(
        r"\." + re.escape(target.name) + r"\.(?:(?P<pid>[0-9]+)\.)?[A-Za-z0-9_]+\.tmp(?:-journal|-wal|-shm)?"
    )
    found: list[Path] = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    now = time.time()
    for path in entries:
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        age = now - info.st_mtime
        pid = match.group("pid")
        if pid is None:
            gone = age > UNOWNED_AFTER_S
        else:
            gone = age > STALE_AFTER_S or not _alive(int(pid))
        if gone:
            found.append(path)
    return found


def remove_leftovers(target: Path) -> int:
    """Delete the leftovers() of target; how many were removed (a file that cannot be removed is logged)."""
    removed = 0
    for path in leftovers(target):
        try:
            path.unlink()
            removed += 1
            _log_info("Removed the leftover temporary file %s", path)
        except OSError as exc:
            _log_info("Could not remove the leftover temporary file %s: %s", path, exc)
    return removed


def fsync_file(path: Path) -> None:
    """Flush a file's data to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to the disk where the system allows it (not on Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(target: Path, mode: int = 0o644) -> Iterator[Path]:
    """A temporary path beside target; when the block ends without error it is flushed to disk and replaces target,
    else it is removed. Leftovers of earlier writes that were killed are removed first.

    OSError (no such folder, no permission, disk full) reaches the caller, who words it for the user.
    """
    remove_leftovers(target)
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, mode)
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_folder(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
        for suffix in _LEFTOVER_SUFFIXES[1:]:
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
