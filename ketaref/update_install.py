"""Installing a reviewed pack update: a checked copy in the data folder, its signature, the new packs.json."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import atomic_path
from .errors import KetarefError, PackError, UpdateError
from .locking import folder_lock
from .signing import signature_path
from .store import open_pack
from .trust import pack_trust
from .update_review import Update, file_stat, is_newer
from .update_state import PACKS_DIR, data_dir_or_default, file_sha256, prune, read_state, write_state

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)

log = logging.getLogger("ketaref.updates")  # all the updates code logs as ketaref.updates (app.py sets its level)


def _copy_verified(source: Path, target: Path, sha256: str, progress: Progress | None = None) -> bool:
    """Copy a pack next to its final place, check the copy (same bytes, opens, intact), then move it in (flushed to
    disk first). progress gets (bytes copied, bytes in all).

    Returns False when the target already held these bytes (nothing copied).
    """
    if target.is_file() and file_sha256(target) == sha256:
        return False
    import shutil

    total = source.stat().st_size
    with atomic_path(target) as tmp:
        with tmp.open("wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, _Counting(out, total, progress), 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        if file_sha256(tmp) != sha256:
            raise UpdateError(f"The copy of {source} does not match the original (did it change while copying?).")
        try:
            with open_pack(tmp) as copy:
                copy.verify()
        except PackError as exc:
            raise UpdateError(f"The copy of {source} failed its check: {exc}") from exc
    return True


class _Counting:
    """A file to write to that tells progress how many bytes went through."""

    def __init__(self, out: Any, total: int, progress: Progress | None) -> None:
        self.out, self.total, self.progress, self.done = out, total, progress, 0

    def write(self, block: bytes) -> int:
        """Write a block and report the bytes so far."""
        written: int = self.out.write(block)
        self.done += len(block)
        if self.progress:
            self.progress(self.done, self.total)
        return written


def _copy_signature(sig: Path, target: Path) -> Path | None:
    """Put the signature file sig beside the pack target as its PACK.minisig (flushed, atomically), or remove a
    stale one there when sig is missing; the signature written, if any."""
    placed = signature_path(target)
    if not sig.is_file():
        placed.unlink(missing_ok=True)
        return None
    data = sig.read_bytes()
    if placed.is_file() and placed.read_bytes() == data:
        return None
    with atomic_path(placed) as tmp:
        tmp.write_bytes(data)
    return placed


def _pack_name(path: Path, sha256: str) -> str:
    """The installed file name of a pack: its content version and the start of its SHA-256."""
    with open_pack(path) as pack:
        version = pack.content_version
    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in version)
    return f"ketaref-{safe}-{sha256[:12]}.sqlite"


def _installed_meanwhile(packs: Path, state: dict[str, Any], update: Update) -> str | None:
    """The content version of a pack another KetaRef installed since this update was found, when it is the same
    as the update's or newer (then installing this one would go backwards)."""
    active = state["active"]
    if not active or (packs / active).resolve() == update.current_path.resolve():
        return None
    try:
        with open_pack(packs / active) as pack:
            version = pack.content_version
    except PackError:
        return None
    return None if is_newer(update.content_version, version) else version


def install_update(update: Update, data_dir: Path | None = None, progress: Progress | None = None) -> Path:
    """Copy the update into the user data folder, check the copy, make it the active pack and keep the previous one.

    Runs under the data folder's lock (another window or `ketaref update` waits). Its signature goes beside it,
    so it is checked again whenever it is opened. progress gets (bytes copied, bytes in all).
    Raises UpdateError when anything fails; the pack in use then stays the active one.
    """
    data_dir = data_dir_or_default(data_dir)
    packs = data_dir / PACKS_DIR
    try:
        with folder_lock(data_dir):
            target, previous = _install_locked(update, data_dir, packs, progress)
            prune(packs, {target.name, previous})
    except OSError as exc:  # the lock file itself
        raise UpdateError(
            f"Could not install the pack update into {packs} ({exc.strerror or exc}); the current pack stays in use."
        ) from exc
    if update.local is not None:
        update.local.unlink(missing_ok=True)
        signature_path(update.local).unlink(missing_ok=True)
    log.info("Installed pack update %s (content version %s)", target, update.content_version)
    return target


def _install_locked(update: Update, data_dir: Path, packs: Path, progress: Progress | None) -> tuple[Path, str]:
    """install_update's work, with the lock held: (the installed pack, the previous pack's file name)."""
    state = read_state(data_dir)
    copied: list[Path] = []
    try:
        packs.mkdir(parents=True, exist_ok=True)
        newer = _installed_meanwhile(packs, state, update)
        if newer is not None:
            raise UpdateError(
                f"Another KetaRef installed content version {newer} meanwhile, so {update.content_version} is not "
                "installed; restart KetaRef to use it."
            )
        # The reviewed local copy when it is still there, else the original: either way the SHA-256 must be the
        # reviewed one.
        if update.source_stat is not None and file_stat(update.path) != update.source_stat:
            raise UpdateError(
                f"The pack {update.path} changed after it was reviewed (it does not match the original); "
                "check for updates again."
            )
        source = update.local if update.local is not None and update.local.is_file() else update.path
        target = packs / _pack_name(source, update.sha256)
        if _copy_verified(source, target, update.sha256, progress):
            copied.append(target)
        placed = _copy_signature(signature_path(source), target)  # the staged signature, or the folder's
        if placed is not None:
            copied.append(placed)
        if update.trust is not None and update.trust.keys_trusted:
            installed = pack_trust(target, built_in=False)
            if not installed.accepted:
                raise UpdateError(f"The installed copy of {update.path} is refused: {installed.reason}.")
        current = update.current_path.resolve()
        if current.parent == packs.resolve():
            previous = current.name
        else:
            current_sha = file_sha256(current)
            previous = _pack_name(current, current_sha)
            if _copy_verified(current, packs / previous, current_sha):
                copied.append(packs / previous)
            placed = _copy_signature(signature_path(current), packs / previous)
            if placed is not None:
                copied.append(placed)
        rolled_back = [s for s in state["rolled_back"] if s != update.sha256]
        write_state(
            data_dir,
            {
                "active": target.name,
                "previous": previous,
                "changes": update.changes.to_json(),
                "rolled_back": rolled_back,
            },
        )
    except (OSError, KetarefError) as exc:
        for path in copied:
            path.unlink(missing_ok=True)
        if isinstance(exc, UpdateError):
            raise
        reason = (exc.strerror or exc) if isinstance(exc, OSError) else exc
        raise UpdateError(
            f"Could not install the pack update into {packs} ({reason}); the current pack stays in use."
        ) from exc
    return target, previous
