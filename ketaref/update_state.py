"""The installed pack updates' state: packs.json, the active and previous packs, rollback, pruning old packs."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .atomic import atomic_path
from .errors import PackError, UpdateError
from .locking import folder_lock
from .paths import UPDATE_STATE_FILE, user_dir
from .signing import signature_path
from .store import open_pack

log = logging.getLogger("ketaref.updates")  # all the updates code logs as ketaref.updates (app.py sets its level)

PACKS_DIR = "packs"
STATE_FILE = UPDATE_STATE_FILE


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_dir_or_default(data_dir: Path | None) -> Path:
    """The data folder given, else the user data folder."""
    return data_dir if data_dir is not None else user_dir("data")


def read_state(data_dir: Path | None = None) -> dict[str, Any]:
    """The update state: active and previous pack file names, the changes between them, packs rolled back."""
    path = data_dir_or_default(data_dir) / STATE_FILE
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


def write_state(data_dir: Path, state: dict[str, Any]) -> None:
    """Replace the state file atomically (a crash leaves the old state)."""
    with atomic_path(data_dir / STATE_FILE) as tmp:
        tmp.write_text(json.dumps(state, indent=2), "utf-8")


def prune(packs: Path, keep: set[str]) -> None:
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

    packs = data_dir_or_default(data_dir) / PACKS_DIR
    if not packs.is_dir():
        return
    try:
        with folder_lock(data_dir_or_default(data_dir), timeout=0):
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


def rollback(data_dir: Path | None = None) -> Path:
    """Make the previous pack the active one again and return it; UpdateError when there is none to go back to.

    Runs under the data folder's lock, as install_update does.
    """
    data_dir = data_dir_or_default(data_dir)
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
            write_state(data_dir, {"active": previous, "previous": None, "changes": None, "rolled_back": rolled_back})
            prune(packs, {previous})
    except PackError as exc:
        raise UpdateError(f"Cannot go back to the previous pack: {exc}") from exc
    except OSError as exc:
        raise UpdateError(f"Cannot go back to the previous pack ({exc.strerror or exc}).") from exc
    log.info("Rolled back to the pack %s", path)
    return path


def active_pack(data_dir: Path | None = None) -> Path | None:
    """The installed pack update that is active, if any (packchoice.py decides whether it beats the bundled pack)."""
    data_dir = data_dir_or_default(data_dir)
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
    data_dir = data_dir_or_default(data_dir)
    name = read_state(data_dir)["previous"]
    path = data_dir / PACKS_DIR / name if name else None
    return path if path and path.is_file() else None
