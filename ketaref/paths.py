"""Where things live: bundled resources, the user cache, the default pack."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The file names are imported from here too (build.spec, updates.py, tests).
from .constants import CACHE_DIR_ENV, CARDS_DIR, DATA_DIR_ENV, PACK_FILENAME, RESOURCES_ENV, UPDATE_STATE_FILE


def resources_dir() -> Path:
    """The bundled resources: from the PyInstaller bundle, an installed wheel or the source tree."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return _bundled_resources()


def app_resource(relative: str) -> Path:
    """A file that belongs to the app, not to the cards (a stylesheet): from the resources in use when they have
    it, else from the bundled ones (a folder of cards given in KETAREF_RESOURCES need not carry it)."""
    chosen = resources_dir() / relative
    return chosen if chosen.is_file() else _bundled_resources() / relative


def _bundled_resources() -> Path:
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates += [here / "resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / CARDS_DIR).is_dir():
            return candidate
    return candidates[-1]


def user_dir(kind: str) -> Path:
    """The per-user folder of a kind ("cache" or "data"), with an environment override."""
    override = os.environ.get(CACHE_DIR_ENV if kind == "cache" else DATA_DIR_ENV)
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
