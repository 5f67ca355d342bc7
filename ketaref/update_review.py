"""Finding and reviewing a pack update: content versions, what changed, the packs in the updates folder and the
local copy of the one offered."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import KetarefError, PackError, UpdateError
from .signing import MAX_SIGNATURE_BYTES, signature_path
from .store import Pack, open_pack
from .trust import PackTrust, TrustedKeys, keys_in_force, pack_trust
from .update_state import data_dir_or_default, read_state, remove_leftovers

Skipped = list[tuple[Path, str]]  # (pack in the updates folder, why it is not offered), for `ketaref update --check`

log = logging.getLogger("ketaref.updates")  # all the updates code logs as ketaref.updates (app.py sets its level)

INCOMING_DIR = "incoming"  # in the data folder: the local copy of an update under review, which gets installed
PACK_SUFFIXES = (".sqlite", ".db")


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
    incoming = data_dir_or_default(data_dir) / INCOMING_DIR
    with open_pack(current_pack) as current:
        for _, path in _candidates(folder, current.content_version, skipped):
            local: Path | None = None
            try:
                # What is reviewed is what is installed: a local copy, read immutable (no -wal beside it counts),
                # is checked and compared, and its bytes (by SHA-256) are the ones installed.
                stat = file_stat(path)
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


def file_stat(path: Path) -> tuple[int, int, int]:
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
