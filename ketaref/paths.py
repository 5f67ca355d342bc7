"""Where things live: bundled resources, the user cache, the default pack."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACK_FILENAME = "ketaref.pack.sqlite"
# In the user data folder: which installed pack update is active (see updates.py).
UPDATE_STATE_FILE = "packs.json"


def resources_dir() -> Path:
    """The bundled resources: from the PyInstaller bundle, an installed wheel or the source tree."""
    override = os.environ.get("KETAREF_RESOURCES")
    if override:
        return Path(override)
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates += [here / "resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / "cards").is_dir():
            return candidate
    return candidates[-1]


def user_dir(kind: str) -> Path:
    """The per-user folder of a kind ("cache" or "data"), with an environment override."""
    override = os.environ.get(f"KETAREF_{kind.upper()}_DIR")
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return base / "KetaRef" / kind
    if sys.platform == "darwin":
        sub = "Caches" if kind == "cache" else "Application Support"
        return home / "Library" / sub / "KetaRef"
    xdg = "XDG_CACHE_HOME" if kind == "cache" else "XDG_DATA_HOME"
    default = home / (".cache" if kind == "cache" else ".local/share")
    return Path(os.environ.get(xdg) or default) / "ketaref"


def bundled_pack() -> Path:
    """A pack shipped prebuilt beside the resources (the PyInstaller bundle has one)."""
    return resources_dir() / PACK_FILENAME


def cached_pack() -> Path:
    """Where the default pack is built on first use."""
    return user_dir("cache") / PACK_FILENAME


def update_ever_installed() -> bool:
    """True once a pack update has been installed (cheap: callers skip loading ketaref.updates otherwise)."""
    return (user_dir("data") / UPDATE_STATE_FILE).is_file()
