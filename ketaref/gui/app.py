"""Application set-up (logging, exception hook, Qt messages), run(pack_path) and the --smoke check."""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QObject, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__
from ..defaults import resolve_pack
from ..errors import KetarefError
from ..paths import user_dir
from ..store import Pack, open_pack
from .settings import Settings
from .window import MainWindow

log = logging.getLogger(__name__)

SMOKE_QUERY = "ketamine"
SMOKE_TIMEOUT_MS = 30_000
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


# Qt messages that say nothing to a user (the offscreen platform's own notice).
_QT_NOISE = ("propagateSizeHints",)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    level = logging.DEBUG if any(noise in message for noise in _QT_NOISE) else _QT_LEVELS.get(kind, logging.WARNING)
    logging.getLogger("qt").log(level, "%s", message)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A bug: log it with its traceback and keep the window up."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.critical("Unexpected error; KetaRef carries on", exc_info=(kind, exc, tb))
    for widget in QApplication.topLevelWidgets():
        bar = getattr(widget, "statusBar", None)
        if callable(bar) and widget.isVisible():
            bar().showMessage(f"Unexpected error ({kind.__name__}); details are in the log.", 10000)


def _setup_logging() -> None:
    """Warnings to stderr; to a log file in the user data folder, warnings and what pack updates were skipped."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)
    # Clinic IT reads in the log why a pack in the updates folder was not offered (older, rolled back ...).
    logging.getLogger("ketaref.updates").setLevel(logging.INFO)
    try:
        folder = user_dir("data")
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "ketaref.log", encoding="utf-8")
    except OSError as exc:
        log.warning("No log file: %s", exc)
        return
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def application() -> QApplication:
    """The QApplication, created once with KetaRef's names."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("KetaRef")
    app.setOrganizationName("KetaRef")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("ketaref")
    return app


def run(pack_path: str | os.PathLike[str] | None = None, smoke: bool = False) -> int:
    """Open the window on the chosen pack (--pack, KETAREF_PACK, else the default) and run until it closes."""
    if (
        smoke
        and sys.platform.startswith("linux")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _setup_logging()
    qInstallMessageHandler(_qt_message)
    sys.excepthook = _excepthook
    app = application()

    try:
        pack = open_pack(resolve_pack(pack_path, notice=log.info))
    except KetarefError as exc:
        for problem in getattr(exc, "problems", []):
            log.error("%s", problem)
        log.error("%s", exc)
        if not smoke:
            QMessageBox.critical(None, "KetaRef", str(exc))
        return 1
    if smoke:  # throwaway settings, so a check leaves the user's history and bookmarks alone
        scratch = user_dir("cache") / "smoke-settings.ini"
        scratch.unlink(missing_ok=True)
        window = MainWindow(pack, Settings(scratch))
        window.show()
        return Smoke(window).run(app)
    open_window(pack)
    return app.exec()


def open_window(pack: Pack, settings: Settings | None = None) -> MainWindow:
    """Show the window on a pack, then look for a pack update once the event loop runs (never in the way of typing)."""
    window = MainWindow(pack, settings)
    window.show()
    QTimer.singleShot(0, window, window.check_for_update)
    return window


class Smoke(QObject):
    """Search, open the first result, close: exit code 0 when every step worked."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.code = 1

    def run(self, app: QApplication) -> int:
        """Drive the window from the event loop and return the exit code."""
        panel = self.window.search_panel
        panel.results_shown.connect(self._results)
        QTimer.singleShot(0, lambda: panel.edit.setText(SMOKE_QUERY))
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: self._finish(f"no results within {SMOKE_TIMEOUT_MS} ms"))
        app.exec()
        return self.code

    def _results(self, _seq: int) -> None:
        panel = self.window.search_panel
        if panel.edit.text() != SMOKE_QUERY or not panel.up_to_date:
            return
        if not panel.model.rows:
            self._finish(f"no results for {SMOKE_QUERY!r}")
            return
        panel.open_current()
        card = self.window.card_view.card
        if card is None or not self.window.card_view.browser.toPlainText().strip():
            self._finish("the first result did not open")
            return
        log.info("Smoke check passed: %d results, opened %s", len(panel.model.rows), card.id)
        self.code = 0
        self._finish("")

    def _finish(self, problem: str) -> None:
        if problem:
            log.error("Smoke check failed: %s", problem)
        self.window.close()
        QApplication.quit()
