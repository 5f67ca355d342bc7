"""Pack updates from a shared folder: find a newer pack, tell what changed, install it, roll it back."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_path
from .errors import KetarefError, PackError, UpdateError
from .locking import folder_lock
from .paths import UPDATE_STATE_FILE, user_dir
from .signing import MAX_SIGNATURE_BYTES, signature_path
from .store import Pack, open_pack
from .trust import PackTrust, TrustedKeys, keys_in_force, pack_trust

Skipped = list[tuple[Path, str]]  # (pack in the updates folder, why it is not offered), for `ketaref update --check`
Progress = Callable[[int, int], None]  # (bytes done, bytes in all)

log = logging.getLogger(__name__)

UPDATES_ENV = "KETAREF_UPDATES"
PACKS_DIR = "packs"
INCOMING_DIR = "incoming"  # in the data folder: the local copy of an update under review, which gets installed
STATE_FILE = UPDATE_STATE_FILE
PACK_SUFFIXES = (".sqlite", ".db")


def updates_folder(preference: str = "") -> Path | None:
    """The folder to look for pack updates in: the one named in Preferences, else KETAREF_UPDATES, else the site
    file's updates_folder, else none."""
    from .site import site_in_force

    chosen = preference.strip() or os.environ.get(UPDATES_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else site_in_force().updates_folder


def version_key(version: str) -> tuple[int, ...]:
    """A dotted content version as numbers for comparing (2026.11.10 > 2026.11.9, 1.0 == 1); ValueError if not one."""
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", version.strip()):
        raise ValueError(f"not a dotted number: {version!r}")
    parts = tuple(int(part) for part in version.strip().split("."))
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return parts


def is_newer(version: str, than: str) -> bool:
    """True when content version `version` is a dotted number above `than` (an unreadable `than` counts as none)."""
    try:
        new = version_key(version)
    except ValueError:
        return False
    try:
        return new > version_key(than)
    except ValueError:
        return True


@dataclass(frozen=True)
class Changes:
    """What changed from one pack to the next: card ids added, changed and removed, and new review dates."""

    previous_content_version: str
    content_version: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    reviewed: dict[str, str] = field(default_factory=dict)  # card id -> its new last-reviewed date
    titles: dict[str, str] = field(default_factory=dict)  # every card id above -> its title

    def label(self, card_id: str) -> str:
        """A card's title with its id, for lists."""
        title = self.titles.get(card_id)
        return f"{title} ({card_id})" if title else card_id

    def as_info(self) -> dict[str, Any]:
        """The "changes" object of `ketaref info --json`."""
        return {
            "previous_content_version": self.previous_content_version,
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
        }

    def to_json(self) -> dict[str, Any]:
        """Everything, for the state file."""
        return {
            **self.as_info(),
            "content_version": self.content_version,
            "reviewed": self.reviewed,
            "titles": self.titles,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Changes:
        """Read back what to_json wrote."""
        return cls(
            previous_content_version=str(data["previous_content_version"]),
            content_version=str(data["content_version"]),
            added=tuple(data["added"]),
            changed=tuple(data["changed"]),
            removed=tuple(data["removed"]),
            reviewed=dict(data["reviewed"]),
            titles=dict(data["titles"]),
        )

    def text(self) -> str:
        """Plain-text release notes."""
        lines = [f"Content version {self.previous_content_version} -> {self.content_version}"]
        for heading, ids in (("Added", self.added), ("Changed", self.changed), ("Removed", self.removed)):
            lines.append(f"{heading} ({len(ids)}):" if ids else f"{heading}: none")
            lines += [f"  {self.label(card_id)}" for card_id in ids]
        if self.reviewed:
            lines.append("New review dates:")
            lines += [f"  {self.label(card_id)}: {date}" for card_id, date in self.reviewed.items()]
        return "\n".join(lines)


def diff(old: Pack, new: Pack) -> Changes:
    """The changes from pack `old` to pack `new`, by card id and card content digest."""
    before, after = old.card_digests(), new.card_digests()
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = sorted(k for k in after.keys() & before.keys() if after[k] != before[k])
    old_dates, new_dates = old.reviewed_dates(), new.reviewed_dates()
    reviewed = {k: new_dates[k] for k in sorted(added + changed) if new_dates[k] != old_dates.get(k)}
    old_titles, new_titles = old.titles(), new.titles()
    titles = {k: new_titles[k] for k in added + changed} | {k: old_titles[k] for k in removed}
    return Changes(
        old.content_version, new.content_version, tuple(added), tuple(changed), tuple(removed), reviewed, titles
    )


@dataclass(frozen=True)
class Update:
    """A newer pack found in the updates folder, ready to install."""

    path: Path
    sha256: str
    current_path: Path  # the pack in use when the update was found
    changes: Changes
    local: Path | None = None  # the local copy that was reviewed (and is installed while it is there)
    source_stat: tuple[int, int, int] | None = None  # size, mtime and inode of `path` when it was copied
    trust: PackTrust | None = None  # its signature, as checked on the local copy

    @property
    def signature_label(self) -> str:
        """How the update is signed, for the offer ("signed by trusted key ...", "not signed ...")."""
        return self.trust.label() if self.trust is not None else "signature not checked"

    @property
    def content_version(self) -> str:
        """The update's content version."""
        return self.changes.content_version


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_dir(data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else user_dir("data")


def read_state(data_dir: Path | None = None) -> dict[str, Any]:
    """The update state: active and previous pack file names, the changes between them, packs rolled back."""
    path = _data_dir(data_dir) / STATE_FILE
    state: dict[str, Any] = {"active": None, "previous": None, "changes": None, "rolled_back": []}
    try:
        stored = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return state
    except (OSError, ValueError) as exc:
        log.warning("Ignoring the unreadable pack update state %s: %s", path, exc)
        return state
    if not isinstance(stored, dict):
        log.warning("Ignoring the pack update state %s: not a JSON object", path)
        return state
    for key in ("active", "previous"):
        if isinstance(stored.get(key), str) and stored[key]:
            state[key] = stored[key]
    if isinstance(stored.get("changes"), dict):
        state["changes"] = stored["changes"]
    if isinstance(stored.get("rolled_back"), list):
        state["rolled_back"] = [s for s in stored["rolled_back"] if isinstance(s, str)]
    return state


def _write_state(data_dir: Path, state: dict[str, Any]) -> None:
    """Replace the state file atomically (a crash leaves the old state)."""
    with atomic_path(data_dir / STATE_FILE) as tmp:
        tmp.write_text(json.dumps(state, indent=2), "utf-8")


def _skip(skipped: Skipped | None, path: Path, reason: str, level: int = logging.WARNING) -> None:
    """Log why a pack in the updates folder is not offered, and keep the reason for `ketaref update --check`."""
    log.log(level, "Ignoring %s in the updates folder: %s", path, reason)
    if skipped is not None:
        skipped.append((path, reason))


def _candidates(
    folder: Path, current_version: str, skipped: Skipped | None = None
) -> list[tuple[tuple[int, ...], Path]]:
    """The packs in the folder that open and are newer than the one in use, newest first."""
    found = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        log.warning("Cannot read the pack updates folder %s: %s", folder, exc)
        return []
    for path in entries:
        if path.suffix.lower() not in PACK_SUFFIXES:
            continue
        if not path.is_file():
            _skip(skipped, path, "not a regular file")
            continue
        try:
            with open_pack(path) as candidate:
                version = candidate.content_version
        except PackError as exc:
            _skip(skipped, path, f"damaged or refused: {exc}")
            continue
        try:
            key = version_key(version)
        except ValueError:
            _skip(skipped, path, f"its content version {version!r} is not a dotted number")
            continue
        if not is_newer(version, current_version):
            _skip(skipped, path, f"not newer (content version {version}, {current_version} in use)", logging.INFO)
            continue
        found.append((key, path))
    return sorted(found, reverse=True)


def _stage_signature(source: Path, local: Path) -> None:
    """Copy the update's PACK.minisig (when there is one) beside its local copy, so the copy is what is verified."""
    sig, target = signature_path(source), signature_path(local)
    target.unlink(missing_ok=True)
    if not sig.is_file():
        return
    if sig.stat().st_size > MAX_SIGNATURE_BYTES:
        raise UpdateError(f"its signature file {sig} is too large to be a minisign signature")
    target.write_bytes(sig.read_bytes())


def find_update(
    folder: Path,
    current_pack: Path,
    data_dir: Path | None = None,
    skipped: Skipped | None = None,
    keys: TrustedKeys | None = None,
) -> Update | None:
    """The newest sound pack in the folder with a higher content version than the pack in use, or None.

    When a signing key is trusted (keys, default: the site file's and KETAREF_TRUSTED_KEYS), only a pack signed by
    one of them is offered. Raises PackError only when the pack in use cannot be opened; unusable packs in the
    folder are logged, added to skipped with the reason, and passed over.
    """
    folder = Path(folder)
    remove_leftovers(data_dir)
    if not folder.is_dir():
        log.warning("The pack updates folder %s is not there (or not a folder)", folder)
        return None
    keys = keys_in_force() if keys is None else keys
    rolled_back = set(read_state(data_dir)["rolled_back"])
    incoming = _data_dir(data_dir) / INCOMING_DIR
    with open_pack(current_pack) as current:
        for _, path in _candidates(folder, current.content_version, skipped):
            local: Path | None = None
            try:
                # What is reviewed is what is installed: a local copy, read immutable (no -wal beside it counts),
                # is checked and compared, and its bytes (by SHA-256) are the ones installed.
                stat = _stat(path)
                local, sha256 = _stage(path, incoming)
                if sha256 in rolled_back:
                    _skip(skipped, path, "it was rolled back on this workstation", logging.INFO)
                    local.unlink(missing_ok=True)
                    continue
                _stage_signature(path, local)
                trust = pack_trust(local, keys, built_in=False)
                if not trust.accepted:
                    _skip(skipped, path, f"refused: {trust.reason}")
                    local.unlink(missing_ok=True)
                    signature_path(local).unlink(missing_ok=True)
                    continue
                with open_pack(local) as new:
                    new.verify()
                    changes = diff(current, new)
            except (KetarefError, OSError) as exc:
                reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
                _skip(skipped, path, f"damaged or unreadable: {reason}")
                if local is not None:
                    local.unlink(missing_ok=True)
                    signature_path(local).unlink(missing_ok=True)
                continue
            log.info("Pack update %s found: content version %s (%s)", path, changes.content_version, trust.label())
            return Update(path, sha256, current.path, changes, local, stat, trust)
    return None


def _stat(path: Path) -> tuple[int, int, int]:
    """A file's size, modification time and inode: whether it was replaced since."""
    found = path.stat()
    return found.st_size, found.st_mtime_ns, found.st_ino


def _stage(source: Path, incoming: Path) -> tuple[Path, str]:
    """Copy a pack from the updates folder into the local incoming folder (a private temporary folder when the data
    folder cannot be written); the copy and its SHA-256.

    Earlier copies there are removed first (one update is under review at a time).
    """
    import hashlib
    import tempfile

    try:
        incoming.mkdir(parents=True, exist_ok=True)
        for old in incoming.iterdir():
            try:
                old.unlink()
            except OSError as exc:
                log.info("Could not delete the old update copy %s: %s", old, exc)
    except OSError as exc:
        log.info("Cannot use %s for the update copy (%s); using a temporary folder", incoming, exc)
        incoming = Path(tempfile.mkdtemp(prefix="ketaref-update-"))
    digest = hashlib.sha256()
    handle, name = tempfile.mkstemp(dir=incoming, prefix=".copy-", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        sha256 = digest.hexdigest()
        local = incoming / f"{sha256[:16]}.sqlite"
        os.replace(tmp, local)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return local, sha256


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


def _prune(packs: Path, keep: set[str]) -> None:
    """Delete installed packs (and their signatures) other than the active and previous ones, and what killed
    installs left (run under the data folder's lock, so no other KetaRef is writing there)."""
    for path in packs.glob("*.sqlite"):
        if path.name not in keep:
            try:
                path.unlink()
                signature_path(path).unlink(missing_ok=True)
            except OSError as exc:
                log.info("Could not delete the old pack %s: %s", path, exc)
    _remove_temporaries(packs)
    suffix = signature_path(Path("x")).name[1:]
    for sig in packs.glob("*.sqlite" + suffix):
        if sig.name[: -len(suffix)] not in keep:
            sig.unlink(missing_ok=True)


def remove_leftovers(data_dir: Path | None = None) -> None:
    """Remove what installs that were killed left in the installed packs folder (partial copies), when no other
    KetaRef is installing right now (the look for updates at every start calls this)."""
    from .locking import LockBusyError

    packs = _data_dir(data_dir) / PACKS_DIR
    if not packs.is_dir():
        return
    try:
        with folder_lock(_data_dir(data_dir), timeout=0):
            _remove_temporaries(packs)
    except (LockBusyError, OSError) as exc:
        log.info("Leftover temporary files in %s stay for now: %s", packs, exc)


def _remove_temporaries(packs: Path) -> None:
    """Delete partial copies (.ketaref-*.tmp and their journals) in the installed packs folder; the caller holds
    the data folder's lock, so no install is writing them."""
    for path in packs.glob(".ketaref-*.tmp*"):
        if path.suffix in (".tmp", ".tmp-journal") or path.name.endswith((".tmp-wal", ".tmp-shm")):
            try:
                path.unlink()
                log.info("Removed the leftover temporary file %s", path)
            except OSError as exc:
                log.info("Could not delete the leftover temporary file %s: %s", path, exc)


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
    data_dir = _data_dir(data_dir)
    packs = data_dir / PACKS_DIR
    try:
        with folder_lock(data_dir):
            target, previous = _install_locked(update, data_dir, packs, progress)
            _prune(packs, {target.name, previous})
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
        if update.source_stat is not None and _stat(update.path) != update.source_stat:
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
        _write_state(
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


def rollback(data_dir: Path | None = None) -> Path:
    """Make the previous pack the active one again and return it; UpdateError when there is none to go back to.

    Runs under the data folder's lock, as install_update does.
    """
    data_dir = _data_dir(data_dir)
    packs = data_dir / PACKS_DIR
    try:
        with folder_lock(data_dir):
            state = read_state(data_dir)
            previous, active = state["previous"], state["active"]
            if not previous:
                raise UpdateError("There is no previous pack to go back to.")
            path = packs / previous
            with open_pack(path) as pack:
                pack.verify()
            rolled_back = list(state["rolled_back"])
            if active and (packs / active).is_file():
                rolled_back.append(file_sha256(packs / active))
            _write_state(data_dir, {"active": previous, "previous": None, "changes": None, "rolled_back": rolled_back})
            _prune(packs, {previous})
    except PackError as exc:
        raise UpdateError(f"Cannot go back to the previous pack: {exc}") from exc
    except OSError as exc:
        raise UpdateError(f"Cannot go back to the previous pack ({exc.strerror or exc}).") from exc
    log.info("Rolled back to the pack %s", path)
    return path


def active_pack(data_dir: Path | None = None) -> Path | None:
    """The installed pack update that is active, if any (packchoice.py decides whether it beats the bundled pack)."""
    data_dir = _data_dir(data_dir)
    name = read_state(data_dir)["active"]
    if name is None:
        return None
    path = data_dir / PACKS_DIR / name
    if not path.is_file():
        log.warning("The active pack %s is missing; using the default pack", path)
        return None
    return path


def previous_pack(data_dir: Path | None = None) -> Path | None:
    """The pack that rollback() would go back to, if there is one."""
    data_dir = _data_dir(data_dir)
    name = read_state(data_dir)["previous"]
    path = data_dir / PACKS_DIR / name if name else None
    return path if path and path.is_file() else None


def changes_for(pack_path: Path, data_dir: Path | None = None) -> Changes | None:
    """What changed from the previous pack to this one, when this is the installed update in use."""
    data_dir = _data_dir(data_dir)
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
    data_dir = _data_dir(data_dir)
    if pack_path is None:
        pack_path = active_pack(data_dir)
        if pack_path is None:
            return None
    changes = changes_for(pack_path, data_dir)
    return changes.text() if changes else None
