"""One window per data folder: a second launch brings the first window forward and exits, as Zeal and GoldenDict do.

The first instance holds a lock file in the data folder for as long as it runs and listens on a local socket named
after that folder; a later launch finds the lock taken, connects, asks the first to come forward, and ends. The
window takes the lock before it shows and may start listening just after its first paint (QtNetwork and hashlib
cost 10-20 ms at start): a later launch in between keeps trying to connect for CONNECT_WAIT_MS.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..locking import try_hold

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

WINDOW_LOCK_FILE = ".ketaref-window.lock"
RAISE = b"raise\n"
CONNECT_WAIT_MS = 5000  # how long a second launch tries to reach the first (which may be starting itself)


def server_name(data_dir: Path) -> str:
    """The local socket's name for a data folder (and user): short, and the same for every launch."""
    import hashlib

    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    try:
        folder = str(data_dir.resolve())
    except OSError:
        folder = str(data_dir)
    return "ketaref-" + hashlib.sha256(f"{user}\0{folder}".encode()).hexdigest()[:20]


class SingleInstance(QObject):
    """The claim on a data folder's window; `activated` fires when a later launch asks this one to come forward."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._name = ""
        self.server: QLocalServer | None = None
        self._sockets: list[QLocalSocket] = []
        self._hold: IO[bytes] | None = None

    @property
    def name(self) -> str:
        """The local socket's name (worked out when first needed: hashlib costs 2-4 ms before the window shows)."""
        if not self._name:
            self._name = server_name(self.data_dir)
        return self._name

    def claim(self, listen_now: bool = True) -> bool:
        """True when this is the first window on the data folder (it now listens for later launches, or from
        listen() when listen_now is False); False when another window runs and was asked to come forward (this
        launch should end)."""
        try:
            self._hold = try_hold(self.data_dir, WINDOW_LOCK_FILE)
        except OSError as exc:  # a data folder that cannot be written: no single-instance check, but a window
            log.warning("Cannot check for another KetaRef window (%s); opening anyway", exc)
            return True
        if self._hold is not None:
            if listen_now:
                self._listen()
            return True
        if self._forward():
            log.info("KetaRef is already open on %s: brought its window forward", self.data_dir)
            return False
        log.warning("Another KetaRef holds %s but did not answer; opening a second window", self.data_dir)
        return True

    def listen(self) -> None:
        """Start listening for later launches, when this instance holds the data folder and is not listening yet."""
        if self._hold is not None and self.server is None:
            self._listen()

    def _listen(self) -> None:
        try:
            from PySide6.QtNetwork import QLocalServer
        except ImportError as exc:  # a bundle built without Qt's network library: one window, no forwarding
            log.warning("Cannot listen for later KetaRef launches: %s", exc)
            return
        QLocalServer.removeServer(self.name)  # a socket left by a first window that was killed
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("Cannot listen for later KetaRef launches: %s", server.errorString())
            return
        server.newConnection.connect(self._accept)
        self.server = server

    def _accept(self) -> None:
        server = self.server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            self._sockets.append(socket)
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(self._read)
        self._read()

    def _read(self) -> None:
        """Answer what the later launches sent (a request to come forward), and let go of the closed ones."""
        from PySide6.QtNetwork import QLocalSocket

        for socket in list(self._sockets):
            if socket.bytesAvailable() and bytes(socket.readAll().data()).startswith(RAISE[:-1]):
                self.activated.emit()
            if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._sockets.remove(socket)
                socket.readyRead.disconnect(self._read)
                socket.disconnected.disconnect(self._read)
                socket.deleteLater()

    def _forward(self) -> bool:
        """Ask the first window to come forward; True when it was reached."""
        try:
            from PySide6.QtNetwork import QLocalSocket
        except ImportError as exc:
            log.warning("Cannot reach the KetaRef window already open: %s", exc)
            return False
        deadline = time.monotonic() + CONNECT_WAIT_MS / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(500):
                socket.write(RAISE)
                socket.flush()
                socket.waitForBytesWritten(1000)
                socket.disconnectFromServer()
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)  # the first window holds the lock but is not listening yet

    def release(self) -> None:
        """Stop listening and let go of the lock (the window closed)."""
        for socket in self._sockets:
            socket.readyRead.disconnect(self._read)
            socket.disconnected.disconnect(self._read)
            socket.abort()
        self._sockets.clear()
        if self.server is not None:
            self.server.newConnection.disconnect(self._accept)
            self.server.close()
            self.server = None
        if self._hold is not None:
            self._hold.close()
            self._hold = None


def bring_forward(window: QWidget) -> None:
    """Show a window on top, restored if it was minimized, with the keyboard focus."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
