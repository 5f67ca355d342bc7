"""Read KetaRef's accessibility tree as a screen reader does (AT-SPI under Xvfb) and fail on an unnamed control.

Not a test (it needs an X server, a D-Bus session and the system's pyatspi); run it after changing the window:

    apt-get install -y xvfb xdotool at-spi2-core python3-pyatspi
    dbus-run-session -- /usr/bin/python3 benchmarks/check_atspi.py [--ketaref .venv/bin/ketaref] [--tree]

It starts Xvfb and the accessibility bus, opens the window on the shipped pack, types a search, opens a card,
then walks every showing node of the window, of Preferences and of Keyboard shortcuts. It prints each
interactive node without a name and the names it expected but did not find; exit 1 if there is any.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyatspi  # the system's python3-pyatspi (not in the venv)

ROOT = Path(__file__).resolve().parent.parent
DISPLAY = ":47"
INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_LIST,
    pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE, pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_TREE_ITEM,
    pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_MENU, pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_TEXT, pyatspi.ROLE_DOCUMENT_TEXT, pyatspi.ROLE_LINK,
}  # fmt: skip
# What the window must name (issue 21 point 8), found among the showing nodes.
EXPECTED = {"Search cards", "Search results", "Card", "Sections of this card", "Back", "Forward",
            "Bookmark this card", "Find in card", "Print", "Export PDF"}  # fmt: skip
IGNORED_ROLES = {pyatspi.ROLE_SCROLL_BAR}


def walk(node: pyatspi.Accessible, depth: int = 0) -> Iterator[tuple[int, pyatspi.Accessible]]:
    """Every showing node under node, with its depth."""
    yield depth, node
    for n in range(node.childCount):
        child = node.getChildAtIndex(n)
        if child is not None and child.getState().contains(pyatspi.STATE_SHOWING):
            yield from walk(child, depth + 1)


def application(timeout: float = 20.0) -> pyatspi.Accessible:
    """KetaRef on the accessibility bus, once its window is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for n in range(desktop.childCount):
            app = desktop.getChildAtIndex(n)
            if app is not None and app.name.lower() == "ketaref" and app.childCount:
                return app
        time.sleep(0.3)
    raise SystemExit("KetaRef did not appear on the accessibility bus")


def check(app: pyatspi.Accessible, label: str) -> tuple[list[str], set[str], int]:
    """(unnamed interactive nodes, names seen, nodes read) of every window of app."""
    unnamed, names, count = [], set(), 0
    for n in range(app.childCount):
        for depth, node in walk(app.getChildAtIndex(n)):
            count += 1
            role, name = node.getRole(), (node.name or "").strip()
            names.add(name)
            if role in INTERACTIVE and role not in IGNORED_ROLES and not name:
                unnamed.append(f"{label}: {'  ' * depth}{node.getRoleName()} (parent: {node.parent.getRoleName()})")
    return unnamed, names, count


def wait_for_dialog(app: pyatspi.Accessible, timeout: float = 10.0) -> pyatspi.Accessible:
    """app once it shows a second window (a dialog over the main window)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app = application()
        if app.childCount > 1:
            return app
        time.sleep(0.3)
    raise SystemExit("The dialog did not appear on the accessibility bus")


def keys(*sequence: str) -> None:
    """Type keys into the focused window with xdotool."""
    env = {**os.environ, "DISPLAY": DISPLAY}
    for key in sequence:
        if key == "focus":  # with no window manager, X gives the keys to the window with the input focus
            subprocess.run(["xdotool", "search", "--name", "^KetaRef —", "windowfocus"], env=env, check=True)
        elif key.startswith("type:"):
            subprocess.run(["xdotool", "type", "--delay", "40", key[5:]], env=env, check=True)
        else:
            subprocess.run(["xdotool", "key", key], env=env, check=True)
        time.sleep(0.6)


def main() -> int:
    """Start everything, read the trees, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ketaref", default=str(ROOT / ".venv" / "bin" / "ketaref"))
    parser.add_argument("--tree", action="store_true", help="print the window's tree (role and name of each node)")
    options = parser.parse_args()
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        raise SystemExit("Run it in a D-Bus session: dbus-run-session -- /usr/bin/python3 " + sys.argv[0])
    data = Path(tempfile.mkdtemp(prefix="ketaref-atspi-"))
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
    env = {**os.environ, "DISPLAY": DISPLAY, "QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
           "QT_ACCESSIBILITY": "1", "KETAREF_DATA_DIR": str(data / "data"), "KETAREF_CACHE_DIR": str(data / "cache"),
           "NO_AT_BRIDGE": "0"}  # fmt: skip
    bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"], env=env)
    window = None
    try:
        time.sleep(1.5)
        os.environ["DISPLAY"] = DISPLAY
        window = subprocess.Popen([options.ketaref], env=env)
        app = application()
        keys("focus", "type:blood pressure")
        keys("Down", "Return")  # open the first result
        unnamed, names, count = check(app, "window")
        if options.tree:
            for depth, node in walk(app.getChildAtIndex(0)):
                print("  " * depth, node.getRoleName(), repr(node.name)[:70])
        keys("ctrl+comma")
        more, more_names, more_count = check(wait_for_dialog(app), "Preferences")
        keys("Escape", "focus", "F1")
        shortcuts, shortcut_names, shortcut_count = check(wait_for_dialog(app), "Keyboard shortcuts")
        keys("Escape")
        unnamed += more + shortcuts
        names |= more_names | shortcut_names
        count += more_count + shortcut_count
        results = [name for name in names if name.startswith("Blood pressure rise")]
        missing = sorted(EXPECTED - names) + ([] if results else ["a result named 'Blood pressure rise ...'"])
        print(f"Read {count} showing accessible nodes (window, Preferences, Keyboard shortcuts).")
        for line in unnamed:
            print("Unnamed:", line)
        for name in missing:
            print("Not found:", name)
        if not unnamed and not missing:
            print(f"Every interactive node has a name; found {', '.join(sorted(EXPECTED))} and {results[0]!r}.")
        return 1 if unnamed or missing else 0
    finally:
        for process in (window, bus, xvfb):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
