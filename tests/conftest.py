"""Shared fixtures: a tiny pack from fixture cards, the shipped pack, and an isolated environment."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def _content_today() -> dt.date:
    """The day after the newest review date in the shipped and fixture cards: 'today' for every test.

    Review age (lint, the card view's due-for-review notice) depends on the date; pinning it to the content
    keeps the suite's verdict the same whatever day it runs.
    """
    stamps = [
        dt.date.fromisoformat(found)
        for folder in (REPO / "resources" / "cards", DATA / "source" / "cards")
        for path in folder.rglob("*.md")
        for found in re.findall(r"^reviewed\s*=\s*(\d{4}-\d{2}-\d{2})", path.read_text("utf-8"), re.M)
    ]
    return max(stamps) + dt.timedelta(days=1)


CONTENT_TODAY = _content_today()


@pytest.fixture(autouse=True)
def content_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Tests see CONTENT_TODAY as today's date (see _content_today); a test needing the real date says so."""
    from ketaref import clock

    monkeypatch.setattr(clock, "today", lambda: CONTENT_TODAY)
    return CONTENT_TODAY


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box a test did not expect fails that test with its text instead of waiting for a click."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args: object, **kwargs: object) -> None:
        text = next((a for a in args[2:] if isinstance(a, str)), "")
        raise AssertionError(f"a message box opened during the test: {text}")

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(unexpected))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own cache and data folders and no pack from the environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KETAREF_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("KETAREF_DATA_DIR", str(home / "data"))
    (home / "site.toml").write_text("", "utf-8")
    monkeypatch.setenv("KETAREF_SITE", str(home / "site.toml"))  # an empty site file, never this machine's
    for name in ("KETAREF_PACK", "KETAREF_UPDATES", "KETAREF_RESOURCES", "KETAREF_TRUSTED_KEYS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture source folder (cards/, synonyms.toml, pack.toml)."""
    target = tmp_path / "source"
    shutil.copytree(DATA / "source", target)
    return target


@pytest.fixture
def pack_path(source_dir: Path, tmp_path: Path) -> Path:
    """A pack built from the fixture cards."""
    from ketaref.pack import build

    out = tmp_path / "fixture.sqlite"
    build(source_dir, out)
    return out


@pytest.fixture
def pack(pack_path: Path):  # type: ignore[no-untyped-def]
    """The fixture pack, open."""
    from ketaref.store import open_pack

    opened = open_pack(pack_path)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def shipped_pack_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default pack built once from the bundled resources."""
    from ketaref.pack import build
    from ketaref.paths import resources_dir

    out = tmp_path_factory.mktemp("shipped") / "ketaref.pack.sqlite"
    build(resources_dir(), out)
    return out


@pytest.fixture
def shipped_pack(shipped_pack_path: Path):  # type: ignore[no-untyped-def]
    """The shipped pack, open."""
    from ketaref.store import open_pack

    opened = open_pack(shipped_pack_path)
    yield opened
    opened.close()


# ---------------------------------------------------------------- GUI (pytest-qt)


@pytest.fixture
def make_window(qtbot, pack_path: Path):  # type: ignore[no-untyped-def]
    """Open a main window on a pack (the fixture pack by default), shown, active and with its first list."""
    from ketaref.gui.window import MainWindow
    from ketaref.store import open_pack

    def make(path: Path = pack_path) -> MainWindow:
        window = MainWindow(open_pack(path))
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.waitUntil(lambda: window.search_panel.up_to_date)
        return window

    return make


@pytest.fixture
def current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The pack in use for the update tests: the default pack built from resources of content version 1.0."""
    from packversions import make_source

    from ketaref.packchoice import resolve_pack

    monkeypatch.setenv("KETAREF_RESOURCES", str(make_source(tmp_path / "resources", "1.0")))
    return resolve_pack()
