"""No usable display: the window says so in one plain line, points to the command line, and exits 1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ketaref.gui.display import display_problem


def without_display() -> dict[str, str]:
    """This environment with no display of any kind."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return env


def free_display() -> str:
    """An X display number no server listens on."""
    n = 90
    while Path(f"/tmp/.X11-unix/X{n}").exists():
        n += 1
    return f":{n}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a desktop session always has a display")
@pytest.mark.parametrize("args", [[], ["gui"], ["--pack", "x.sqlite"]])
@pytest.mark.parametrize("display", ["", "dead"])
def test_the_window_without_a_display_says_so_in_one_line_and_exits_1(args: list[str], display: str) -> None:
    env = without_display()
    if display:
        env["DISPLAY"] = free_display()
    done = subprocess.run([sys.executable, "-m", "ketaref", *args], env=env, capture_output=True, text=True, timeout=60)
    assert 1 == done.returncode
    assert "" == done.stdout
    lines = done.stderr.splitlines()
    assert 1 == len(lines), done.stderr
    assert lines[0].startswith("KetaRef cannot open its window: ")
    assert "ketaref search" in lines[0] and "--help" in lines[0]
    assert "xcb" not in lines[0].lower() and "reinstall" not in lines[0].lower()


def test_offscreen_and_a_live_x_server_are_usable(tmp_path: Path) -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "win32") is None
    assert display_problem({}, "darwin") is None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:  # an X server's socket, as far as we can tell
        path = tmp_path / "X0"
        server.bind(str(path))
        server.listen(1)
        assert display_problem({"DISPLAY": f"{path}:0"}, "linux") is None


def test_what_is_missing_is_named() -> None:
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in (display_problem({}, "linux") or "")
    dead = free_display()
    assert f"the display {dead} does not answer" in (display_problem({"DISPLAY": dead}, "linux") or "")
    wayland = display_problem({"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": "/nonexistent"}, "linux") or ""
    assert "wayland" in wayland
