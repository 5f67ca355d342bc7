"""`ketaref gui --smoke` opens, searches, shows a card and exits 0, without heavy imports at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from packversions import make_pack

# Loaded only when used: building packs, printing, pack updates, the dialogs.
# nh3 is not here: it cleans each card's stored HTML as the card is read (about 1.3 ms to import), since a pack's
# HTML is never trusted; nor hashlib, which names the one-window socket just after the first paint (that it
# waits for the paint is test_reliability's).
HEAVY = (
    "markdown", "sqlite_utils", "textstat", "PySide6.QtPrintSupport", "html.parser",
    "ketaref.updates", "ketaref.gui.update_dialog", "ketaref.gui.print_dialogs", "ketaref.gui.dialogs", "ketaref.pack",
    "ketaref.handout",
)  # fmt: skip


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)


def smoke_after(setup: str, pack_path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`ketaref gui --smoke` in a process where setup (Python lines) has run first: a module broken or missing."""
    code = f"import sys\n{setup}from ketaref.gui.app import run\nsys.exit(run({str(pack_path)!r}, smoke=True))\n"
    return run(["-c", code], tmp_path)


def test_gui_smoke_exits_zero(pack_path: Path, tmp_path: Path) -> None:
    done = run(["-m", "ketaref.cli", "--pack", str(pack_path), "gui", "--smoke"], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "Traceback" not in done.stderr


def test_gui_smoke_on_a_bad_pack_exits_one_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"nope")
    done = run(["-m", "ketaref.cli", "--pack", str(bad), "gui", "--smoke"], tmp_path)
    assert 1 == done.returncode
    assert "not a KetaRef pack" in done.stderr
    assert "Traceback" not in done.stderr


def test_gui_smoke_fails_when_the_one_window_check_cannot_listen(pack_path: Path, tmp_path: Path) -> None:
    # As in a bundle built without Qt's network library: the window still opens and searches, and the smoke
    # check (what CI runs on the bundle) says what is missing.
    done = smoke_after("sys.modules['PySide6.QtNetwork'] = None\n", pack_path, tmp_path)  # its import fails
    assert 1 == done.returncode
    assert "Cannot listen for later KetaRef launches" in done.stderr
    assert "Smoke check failed: the one-window check is not listening for later launches" in done.stderr
    assert "Traceback" not in done.stderr


def test_start_up_imports_nothing_heavy(pack_path: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ketaref.gui.app import run\n"
        f"status = run({str(pack_path)!r}, smoke=True)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(status)\n"
    )
    done = run(["-c", code], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "[]" == done.stdout.strip().splitlines()[-1]


def test_gui_smoke_never_looks_for_pack_updates(
    pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "updates"
    folder.mkdir()
    make_pack(folder / "ketaref-9.0.sqlite", "9.0", add=True)
    monkeypatch.setenv("KETAREF_UPDATES", str(folder))
    code = (
        "import sys\n"
        "from ketaref.gui import update_controller\n"
        "from ketaref.gui.app import run\n"
        "looked = []\n"
        "update_controller.UpdateCheck.start = lambda self, *args: looked.append(args) or 0\n"
        f"status = run({str(pack_path)!r}, smoke=True)\n"
        "print('looked', len(looked))\n"
        "sys.exit(status)\n"
    )
    done = run(["-c", code], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "looked 0" == done.stdout.strip().splitlines()[-1]


# What showing the window's frame may not wait for: the pack, search, the window's parts and their Qt classes, the
# one-window socket (QtNetwork, hashlib for its name).
WINDOW_PARTS = (
    "ketaref.store", "ketaref.search", "ketaref.packchoice", "ketaref.render", "ketaref.gui.window",
    "ketaref.gui.search_panel", "ketaref.gui.results", "ketaref.gui.card_view", "ketaref.gui.actions",
    "ketaref.gui.menus", "ketaref.gui.messages", "sqlite3", "hashlib", "PySide6.QtNetwork",
)  # fmt: skip


def test_the_window_shows_before_the_pack_and_the_window_parts_load(pack_path: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ketaref.gui import app\n"
        "qt = app.application()\n"
        f"startup = app.Startup({str(pack_path)!r}, app.Settings({str(tmp_path / 's.ini')!r}))\n"
        "startup.window.show()\n"
        "shown = startup.window.isVisible() and startup.window.focusWidget() is startup.frame.edit\n"
        f"print(shown, sorted(m for m in {WINDOW_PARTS!r} if m in sys.modules))\n"
        "startup.build()\n"
        "print(type(startup.window).__name__, startup.window.focusWidget() is startup.window.search_panel.edit)\n"
        "startup.window.close()\n"
    )
    done = run(["-c", code], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert ["True []", "MainWindow True"] == done.stdout.strip().splitlines()[-2:]


def test_keys_typed_before_the_pack_is_ready_are_searched_once_it_is(qtbot, pack_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui import app
    from ketaref.gui.window import MainWindow

    startup = app.Startup(pack_path, app.Settings(tmp_path / "settings.ini"))
    window = startup.window
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(startup.frame.edit, "blood pre")  # the frame is up; the pack is not open, nor the window built
    assert not isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: isinstance(window, MainWindow), timeout=10_000)
    assert isinstance(window, MainWindow)
    panel = window.search_panel
    qtbot.keyClicks(panel.edit, "ssure")  # typing goes on in the same box
    qtbot.waitUntil(lambda: panel.up_to_date and panel.result is not None and panel.result.query == "blood pressure")
    assert "blood pressure" == panel.edit.text()
    assert window.focusWidget() is panel.edit
    assert "Blood pressure rise" == panel.model.rows[0].label


def test_enter_pressed_before_the_window_is_built_opens_the_best_result(qtbot, pack_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from ketaref.gui import app
    from ketaref.gui.window import MainWindow

    startup = app.Startup(pack_path, app.Settings(tmp_path / "settings.ini"))
    window = startup.window
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(startup.frame.edit, "contraindications")
    qtbot.keyClick(startup.frame.edit, Qt.Key.Key_Return)
    assert not isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: isinstance(window, MainWindow) and window.card_view.card is not None, timeout=10_000)
    assert "Absolute contraindications" == window.card_view.card.title


def test_a_window_that_cannot_be_built_ends_with_one_and_says_why(pack_path: Path, tmp_path: Path) -> None:
    setup = (
        "from ketaref.gui import window\n"
        "def broken(self, pack, settings=None):\n"
        "    raise RuntimeError('boom')\n"
        "window.MainWindow.build = broken\n"
    )
    done = smoke_after(setup, pack_path, tmp_path)
    assert 1 == done.returncode
    assert "The window could not be built" in done.stderr
    assert "RuntimeError: boom" in done.stderr


def test_a_bug_opening_the_pack_ends_with_one_and_says_why(pack_path: Path, tmp_path: Path) -> None:
    setup = "from ketaref import store\ndef broken(path):\n    raise TypeError('boom')\nstore.open_pack = broken\n"
    done = smoke_after(setup, pack_path, tmp_path)
    assert 1 == done.returncode
    assert "The pack could not be opened" in done.stderr
    assert "TypeError: boom" in done.stderr
