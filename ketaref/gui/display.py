"""Is there a screen to open the window on? Asked before Qt starts, which would abort with a misleading message."""

from __future__ import annotations

import _socket as socket  # not socket.py: its enum set-up costs 5-10 ms at every start of the window
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Qt platforms that need no display server.
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
X_TIMEOUT_S = 0.5
CLI_HINT = "use the command line instead, for example: ketaref search QUERY (ketaref --help lists every command)"


def _x_server_answers(display: str) -> bool:
    """Whether the X display in DISPLAY (":0", "unix:1.0", "host:10.0") accepts a connection."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    if host in ("", "unix") or host.startswith("/"):
        path = host if host.startswith("/") else f"/tmp/.X11-unix/X{number}"
        addresses: list[tuple[int, object]] = [(socket.AF_UNIX, path)]
        if sys.platform.startswith("linux"):
            addresses.insert(0, (socket.AF_UNIX, "\0" + path))  # the abstract socket X servers also listen on
    else:
        addresses = [(socket.AF_INET, (host, 6000 + int(number)))]
    for family, address in addresses:
        connection = socket.socket(family, socket.SOCK_STREAM)
        try:
            connection.settimeout(X_TIMEOUT_S)
            connection.connect(address)  # type: ignore[arg-type]
        except OSError:
            continue
        finally:
            connection.close()
        return True
    return False


def _wayland_answers(environ: Mapping[str, str]) -> bool:
    """Whether the Wayland socket named by WAYLAND_DISPLAY is there."""
    name = environ.get("WAYLAND_DISPLAY", "")
    if not name:
        return False
    path = Path(name) if name.startswith("/") else Path(environ.get("XDG_RUNTIME_DIR", "/nonexistent")) / name
    return path.exists()


def display_problem(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """One plain line saying why the window cannot open here (and what to do instead), or None when it can.

    Only Linux and the BSDs are checked: Windows and macOS always have a screen for a desktop session."""
    environ = os.environ if environ is None else environ
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if chosen in HEADLESS_PLATFORMS:
        return None
    display = environ.get("DISPLAY", "")
    if chosen in ("", "xcb") and display and _x_server_answers(display):
        return None
    if chosen in ("", "wayland", "wayland-egl") and _wayland_answers(environ):
        return None
    if not display and not environ.get("WAYLAND_DISPLAY"):
        why = "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    elif display and chosen in ("", "xcb"):
        why = f"the display {display} does not answer"
    else:
        why = f"no display for the Qt platform {chosen or 'wayland'} answers"
    return f"KetaRef cannot open its window: {why}; {CLI_HINT}."
