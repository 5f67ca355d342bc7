"""Application set-up (logging, exception hook, Qt messages), run(pack_path) and the --smoke check.

Start-up shows the window's frame first (gui/frame.py: menus, the search box focused, empty panes) with nothing
but Qt and the settings imported, and builds the window onto it from the event loop just after the frame's
first paint: logging, the pack, the search thread, the actions and the card view (see Startup). What is typed
meanwhile stays in the search box and is searched as soon as the pack is open.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMainWindow

from .. import __version__
from ..paths import user_dir
from .frame import Frame
from .settings import Settings

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType

    from ..store import Pack
    from .instance import SingleInstance
    from .window import MainWindow

log = logging.getLogger(__name__)

SMOKE_QUERY = "ketamine"
SMOKE_TIMEOUT_MS = 30_000
# The window is built this long after start at the latest, should no paint come first (a minimized start).
BUILD_LATEST_MS = 500
_QT_LEVELS: dict[QtMsgType, int] = {}
# What the window is made of, imported one by one after the frame's first paint (the window module imports
# them all anyway; this order only splits the wait into steps of a few tens of milliseconds).
PARTS = ("ketaref.store", "ketaref.packchoice", "ketaref.gui.results", "ketaref.gui.messages",
         "ketaref.gui.card_view", "ketaref.gui.search_panel", "ketaref.gui.actions", "ketaref.gui.menus",
         "ketaref.gui.print_controller", "ketaref.gui.update_controller", "ketaref.gui.window_state",
         "ketaref.gui.card_opening", "ketaref.gui.window")  # fmt: skip


# Qt messages that say nothing to a user (the offscreen platform's own notice).
_QT_NOISE = ("propagateSizeHints",)


def _qt_level(kind: QtMsgType) -> int:
    if not _QT_LEVELS:  # built on the first message: touching QtMsgType makes PySide build all of QtCore's enums
        from PySide6.QtCore import QtMsgType

        _QT_LEVELS.update(
            {
                QtMsgType.QtDebugMsg: logging.DEBUG,
                QtMsgType.QtInfoMsg: logging.INFO,
                QtMsgType.QtWarningMsg: logging.WARNING,
                QtMsgType.QtCriticalMsg: logging.ERROR,
                QtMsgType.QtFatalMsg: logging.CRITICAL,
            }
        )
    return _QT_LEVELS.get(kind, logging.WARNING)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    level = logging.DEBUG if any(noise in message for noise in _QT_NOISE) else _qt_level(kind)
    logging.getLogger("qt").log(level, "%s", message)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A bug: log it with its traceback and keep the window up."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.critical("Unexpected error; KetaRef carries on", exc_info=(kind, exc, tb))
    from .messages import LONGER, Level
    from .window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            widget.tell(f"Unexpected error ({kind.__name__}); details are in the log.", Level.WARNING, LONGER)


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
    from .display import display_problem

    problem = display_problem()
    if problem:  # before Qt, which would abort with advice about reinstalling it
        sys.stderr.write(problem + "\n")
        return 1
    qInstallMessageHandler(_qt_message)
    app = application()
    from .instance import SingleInstance, bring_forward

    # One window per data folder: a second launch brings the first forward and ends. The smoke check claims a
    # folder of its own (it may run beside the user's window) so that a bundle's one-window check is tried too.
    folder = _smoke_folder() if smoke else user_dir("data")
    instance = SingleInstance(folder)
    if not instance.claim(listen_now=False):  # listening waits for the first paint
        return 0
    if smoke:  # throwaway settings, so a check leaves the user's history and bookmarks alone
        scratch = user_dir("cache") / "smoke-settings.ini"
        scratch.unlink(missing_ok=True)
        settings = Settings(scratch)
    else:
        settings = Settings()
    startup = Startup(pack_path, settings, smoke, instance)
    instance.activated.connect(lambda: bring_forward(startup.window))
    startup.after_paint.append(instance.listen)
    startup.window.show()
    startup.window.activateWindow()  # a session with no window manager would leave it inactive: no shortcuts
    code = app.exec()
    instance.release()
    if smoke:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return startup.code if startup.code is not None else code


def _smoke_folder() -> Path:
    """A new folder for the smoke check's one-window lock."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="ketaref-smoke-"))


def open_window(pack: Pack, settings: Settings | None = None) -> MainWindow:
    """Show the window on a pack, then look for a pack update once the event loop runs (never in the way of typing)."""
    from .window import MainWindow

    window = MainWindow(pack, settings)
    window.show()
    QTimer.singleShot(0, window, window.pack_updates.check)
    return window


class _Unbuilt(QMainWindow):
    """The window before MainWindow.build: a plain QMainWindow with the frame on it (see Startup)."""


class Startup(QObject):
    """The window's frame, shown at once; the window built onto it after the frame's first paint.

    The frame's window becomes the MainWindow (its class is set once the window module is imported, then
    MainWindow.build runs on it): the window the user sees, its place on the screen and its keyboard focus stay
    the same, and the window module with all it imports (about as long as Qt's own start) waits until the frame
    is on screen."""

    def __init__(
        self,
        pack_path: str | os.PathLike[str] | None,
        settings: Settings,
        smoke: bool = False,
        instance: SingleInstance | None = None,
    ) -> None:
        super().__init__()
        self.pack_path, self.settings, self.smoke, self.instance = pack_path, settings, smoke, instance
        self.code: int | None = None  # set when start-up itself ends the program (a bad pack, the smoke check)
        self.window: QMainWindow = _Unbuilt()
        self.setParent(self.window)
        self.frame = Frame(self.window, settings, self._painted)
        self._loading = self._built = False
        self.after_paint: list[Callable[[], None]] = []  # run once the frame is on screen, before the window is built
        QTimer.singleShot(BUILD_LATEST_MS, self._load)

    def _painted(self) -> None:
        QTimer.singleShot(0, self._load)  # after this frame is flushed to the screen

    def _load(self) -> None:
        """Import what the window is made of, then build it from the event loop: keys typed meanwhile show in
        the frame's search box at once (the import is most of the wait)."""
        if self._loading:
            return
        self._loading = True
        _setup_logging()
        sys.excepthook = _excepthook
        for hook in self.after_paint:
            try:
                hook()
            except Exception:  # a bug in a side task (the one-window socket): the window is built all the same
                log.critical("Unexpected error just after the window showed; KetaRef carries on", exc_info=True)
        self._import_next(list(PARTS))

    def _import_next(self, names: list[str]) -> None:
        """One module at a time, the event loop in between (a key typed shows in the box at once)."""
        if self._built:
            return
        if not names:
            self.build()
            return
        import importlib

        try:
            importlib.import_module(names.pop(0))
        except Exception:  # a bug in the window's code: say so and end, as MainWindow(pack) would have
            log.critical("The window could not be loaded", exc_info=True)
            self._built = True
            self._end(1)
            return
        QTimer.singleShot(0, self, lambda: self._import_next(names))

    def build(self) -> MainWindow | None:
        """Open the pack and build the window onto the frame (once); on a bad pack, say so and end with code 1."""
        if self._built:
            return None
        self._loading = self._built = True
        if sys.excepthook is not _excepthook:  # built straight away, not through _load
            _setup_logging()
            sys.excepthook = _excepthook
        from ..errors import KetarefError
        from ..packchoice import open_chosen

        warnings: list[str] = []  # a refused or damaged update, a cached pack built again: told once the window is up
        try:
            pack = open_chosen(self.pack_path, notice=log.info, warn=warnings.append)
        except KetarefError as exc:
            for problem in getattr(exc, "problems", []):
                log.error("%s", problem)
            log.error("%s", exc)
            if not self.smoke:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(self.window, "KetaRef", str(exc))
            self._end(1)
            return None
        except Exception:  # a bug: no window can come of it (the frame would otherwise wait for ever)
            log.critical("The pack could not be opened", exc_info=True)
            self._end(1)
            return None
        from .window import MainWindow

        window = self.window
        window.__class__ = MainWindow  # the same Qt window, now with MainWindow's methods
        assert isinstance(window, MainWindow)
        try:
            window.build(pack, self.settings)
        except Exception:  # a bug: the half-built window cannot carry on (MainWindow(pack) would have raised)
            log.critical("The window could not be built", exc_info=True)
            pack.close()
            self._end(1)
            return None
        for warning in warnings:
            from .messages import Level

            window.tell(warning, Level.WARNING, dialog=True)
        if self.frame.hand_over(window.search_panel.edit):
            window.search_panel.open_current()  # Enter pressed before: the best result, once it is there
        QTimer.singleShot(0, window, lambda: self._remember_panes(window))
        if self.smoke:
            Smoke(window, self._end, self.instance).start()
        else:
            QTimer.singleShot(0, window, window.pack_updates.check)
        return window

    def _remember_panes(self, window: MainWindow) -> None:
        """Where the panes start below the menus and toolbar, for the next start's frame (see frame.PANES_TOP)."""
        from PySide6.QtCore import QPoint

        from .frame import PANES_TOP

        top = window.splitter.mapTo(window, QPoint(0, 0)).y()
        if top != self.settings.get(PANES_TOP):
            self.settings.set(PANES_TOP, top)

    def _end(self, code: int) -> None:
        self.code = code
        self.window.close()
        QApplication.exit(code)


class Smoke(QObject):
    """Search, open the first result, close: exit code 0 when every step worked."""

    def __init__(self, window: MainWindow, end: Callable[[int], None], instance: SingleInstance | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.end = end
        self.instance = instance

    def start(self) -> None:
        """Drive the window from the event loop; end(code) is called when done."""
        panel = self.window.search_panel
        panel.results_shown.connect(self._results)
        QTimer.singleShot(0, self, lambda: panel.edit.setText(SMOKE_QUERY))
        QTimer.singleShot(SMOKE_TIMEOUT_MS, self, lambda: self._finish(f"no results within {SMOKE_TIMEOUT_MS} ms"))

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
        if self.instance is not None and self.instance.server is None:  # a bundle without Qt's network library
            self._finish("the one-window check is not listening for later launches")
            return
        log.info("Smoke check passed: %d results, opened %s", len(panel.model.rows), card.id)
        self._finish("")

    def _finish(self, problem: str) -> None:
        if problem:
            log.error("Smoke check failed: %s", problem)
        self.end(1 if problem else 0)
