"""Every user setting with its default, kept by QSettings in one INI file in the user data folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

from ..constants import SETTINGS_FILE
from ..paths import user_dir

if TYPE_CHECKING:  # the site file is read when first asked for, not at start-up (tomllib)
    from ..site import Site

log = logging.getLogger(__name__)

T = TypeVar("T")


class Setting(Generic[T]):
    """One setting: its key in the INI file and its default (whose type is the setting's type). A plain class, not
    a dataclass: the window's frame imports this module, and dataclasses (with inspect) cost it 2-4 ms."""

    __slots__ = ("key", "default")

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Setting) and (self.key, self.default) == (other.key, other.default)

    def __hash__(self) -> int:
        return hash((self.key, self.default))

    def __repr__(self) -> str:
        return f"Setting(key={self.key!r}, default={self.default!r})"


# Printing and handouts (Preferences).
CLINIC = Setting("print/clinic", "")
PHONE = Setting("print/phone", "")  # the clinic's day phone
AFTER_HOURS_PHONE = Setting("print/after_hours_phone", "")
LOGO = Setting("print/logo", "")
PAPER = Setting("print/paper", "letter")
BASE_PT = Setting("print/base_pt", 12.0)
LARGE_PRINT = Setting("print/large_print", False)
CLINIC_ASKED = Setting("print/clinic_asked", False)
# The window.
DISCLAIMER_ACCEPTED = Setting("window/disclaimer_accepted", False)
GEOMETRY = Setting("window/geometry", b"")
WINDOW_STATE = Setting("window/state", b"")
SPLITTER = Setting("window/splitter", b"")
CARD_SPLITTER = Setting("window/card_splitter", b"")
ZOOM = Setting("view/zoom", 0)
THEME = Setting("view/theme", "system")  # "system", "light" or "dark" (View > Theme)
SHOW_OUTLINE = Setting("view/show_outline", True)  # the card's "On this card" pane (View > Outline)
PREVIEW_ON_ARROW = Setting("view/preview_on_arrow", True)  # arrowing through results shows each card
LAST_FOLDER = Setting("files/last_folder", "")
# Pack updates: the shared folder clinic IT copies new packs into ("" = KETAREF_UPDATES, else none).
UPDATES_FOLDER = Setting("updates/folder", "")
# Navigation: card ids.
BOOKMARKS: Setting[tuple[str, ...]] = Setting("navigation/bookmarks", ())
RECENT: Setting[tuple[str, ...]] = Setting("navigation/recent", ())
BACK: Setting[tuple[str, ...]] = Setting("navigation/back", ())
FORWARD: Setting[tuple[str, ...]] = Setting("navigation/forward", ())
CURRENT = Setting("navigation/current", "")

# Preferences an unset (or empty) value of which comes from the site file (ketaref-site.toml), by its key there.
# The updates folder is not here: KETAREF_UPDATES comes before the site file's (ketaref.updates.updates_folder).
FROM_SITE: dict[str, str] = {
    CLINIC.key: "clinic_name",
    PHONE.key: "phone",
    AFTER_HOURS_PHONE.key: "after_hours_phone",
    LOGO.key: "logo",
    PAPER.key: "paper",
}

ZOOM_RANGE = (-4, 12)
BASE_PT_RANGE = (12.0, 24.0)  # printed body text is never below 12 pt


def settings_path() -> Path:
    """The settings file (KETAREF_DATA_DIR moves it, which keeps tests away from the real one)."""
    return user_dir("data") / SETTINGS_FILE


def _convert(raw: Any, default: T) -> T:
    """A stored value as the type of the setting's default (INI files keep everything as text)."""
    if isinstance(default, bool):
        return cast(T, raw is True or str(raw).lower() in ("true", "1", "yes"))
    if isinstance(default, int):
        return cast(T, int(raw))
    if isinstance(default, float):
        return cast(T, float(raw))
    if isinstance(default, bytes):
        return cast(T, bytes(raw.data()) if isinstance(raw, QByteArray) else b"")
    if isinstance(default, tuple):
        import json

        items = json.loads(raw)
        if not isinstance(items, list):
            raise ValueError("not a list")
        return cast(T, tuple(str(item) for item in items))
    return cast(T, str(raw))


def _check_logo(logo: Path) -> None:
    """The print layout's logo check, loaded only when a site file names a logo (not at every start-up)."""
    from ..handout import check_logo

    check_logo(logo)


class Settings:
    """Typed access to the settings file; a missing or unreadable value gives the default."""

    def __init__(self, path: Path | None = None, site: Site | None = None) -> None:
        self.path = path or settings_path()
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)
        self._site = site

    @property
    def site(self) -> Site:
        """The site file in force (given, or found as ketaref.site says; re-read when it changes)."""
        if self._site is not None:
            return self._site
        from ..site import site_in_force

        return site_in_force(_check_logo)

    def from_site(self, setting: Setting[T]) -> T | None:
        """The site file's value for this Preference, or None (not set there, or not a site setting)."""
        name = FROM_SITE.get(setting.key)
        value = getattr(self.site, name) if name else None
        return cast(T, str(value)) if value is not None else None

    def is_set(self, setting: Setting[Any]) -> bool:
        """Whether the user's own value is stored (an empty text is not: the site file's value applies)."""
        raw = self._store.value(setting.key)
        return raw is not None and raw != ""

    def get(self, setting: Setting[T]) -> T:
        """The user's value, else the site file's (for FROM_SITE), else the default."""
        raw = self._store.value(setting.key)
        if (raw is None or raw == "") and setting.key in FROM_SITE:
            inherited = self.from_site(setting)
            if inherited is not None:
                return inherited
        if raw is None:
            return setting.default
        try:
            return _convert(raw, setting.default)
        except (TypeError, ValueError) as exc:
            log.warning("Ignoring the bad value of %s in %s: %s", setting.key, self.path, exc)
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        """Store a value (written to disk at sync or exit)."""
        stored: Any = value
        if isinstance(setting.default, tuple):
            import json

            stored = json.dumps(list(cast(tuple[str, ...], value)))
        elif isinstance(setting.default, bytes):
            stored = QByteArray(cast(bytes, value))
        self._store.setValue(setting.key, stored)

    def unset(self, setting: Setting[Any]) -> None:
        """Forget the user's value: the site file's, or the default, applies again."""
        self._store.remove(setting.key)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._store.sync()
