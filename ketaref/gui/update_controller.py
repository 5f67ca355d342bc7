"""The window's pack updates: look for a newer pack on a thread, offer it in the banner, install it, roll back.

The updates code (`ketaref.updates`, the update dialog) loads on first use, never at start-up.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox

from ..errors import KetarefError, UpdateError
from ..paths import update_ever_installed
from ..store import open_pack
from . import settings as S
from .actions import Act
from .messages import LONGER, Level

if TYPE_CHECKING:
    from ..updates import Update
    from .window import MainWindow

log = logging.getLogger(__name__)


class UpdateCheck(QObject):
    """Looks for a pack update on a thread of its own, since hashing and checking a big pack takes a while.

    `done` carries (request number, Update or None, error message) back to the GUI thread; only the latest
    request counts, and nothing is sent after stop().
    """

    done = Signal(int, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.latest = 0
        self._lock = threading.Lock()
        self._stopped = False
        self._running = 0

    @property
    def busy(self) -> bool:
        """True while a look is under way."""
        with self._lock:
            return self._running > 0

    def start(self, folder: Path, pack_path: Path) -> int:
        """Look in the folder for a pack newer than the one at pack_path; returns the request number."""
        with self._lock:
            self.latest += 1
            self._running += 1
            number = self.latest
        thread = threading.Thread(
            target=self._look, args=(number, folder, pack_path), name="ketaref-update-check", daemon=True
        )
        thread.start()
        return number

    def forget(self) -> None:
        """Drop the answers of looks under way (the pack they compared against is no longer in use)."""
        with self._lock:
            self.latest += 1

    def stop(self) -> None:
        """Send no more answers (a look under way finishes on its own and is dropped)."""
        with self._lock:
            self._stopped = True

    def _look(self, number: int, folder: Path, pack_path: Path) -> None:
        from ..updates import find_update

        update: Update | None = None
        error = ""
        try:
            update = find_update(folder, pack_path)
        except KetarefError as exc:  # on this thread it cannot reach the window's guard: sent as text instead
            error = str(exc)
        except Exception:  # a bug: logged, and the window carries on without an update
            log.exception("Looking for a pack update in %s failed", folder)
            error = "Looking for a pack update failed; details are in the log."
        with self._lock:
            self._running -= 1
            if not self._stopped:
                self.done.emit(number, update, error)


class InstallJob(QObject):
    """Installs a pack update on a thread of its own (copying and checking a big pack takes a while), so the window
    keeps painting; `progress` carries (parts done, parts in all) and `finished` (installed pack or None, error)."""

    progress = Signal(int, int)
    finished = Signal(object, str)
    STEPS = 1000  # progress in thousandths: byte counts of a big pack do not fit a signal's int

    def start(self, update: Update) -> None:
        """Begin installing; the answer comes in `finished`."""
        threading.Thread(target=self._run, args=(update,), name="ketaref-update-install", daemon=True).start()

    def _run(self, update: Update) -> None:
        from ..updates import install_update

        def step(done: int, total: int) -> None:
            self.progress.emit(self.STEPS * done // max(total, 1), self.STEPS)

        try:
            installed = install_update(update, progress=step)
        except KetarefError as exc:
            self.finished.emit(None, str(exc))
            return
        except Exception:  # a bug: logged, and the pack in use stays
            log.exception("Installing the pack update %s failed", update.path)
            self.finished.emit(None, "Installing the pack update failed; details are in the log.")
            return
        self.finished.emit(installed, "")


class UpdateController:
    """File > Check for pack updates, the update banner and File > Roll back, for one window.

    A KetarefError (a pack that cannot be installed, opened or rolled back) goes up to the window's guard.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.pending: Update | None = None  # found, and offered in the banner
        self._checker: UpdateCheck | None = None
        self._on_demand = 0  # the number of the check the user asked for from the menu, if any
        guarded = window.messages.guarded
        review, dismiss = guarded(self.review), guarded(self.dismiss)
        window.update_banner.review_button.clicked.connect(lambda _checked=False: review())
        window.update_banner.not_now_button.clicked.connect(lambda _checked=False: dismiss())

    @property
    def checker(self) -> UpdateCheck:
        """The background look for pack updates, made on first use."""
        if self._checker is None:
            self._checker = UpdateCheck(self.window)
            self._checker.done.connect(self.window.messages.guarded(self._checked))
        return self._checker

    def stop(self) -> None:
        """The window is closing: no more answers."""
        if self._checker is not None:
            self._checker.stop()

    def forget(self) -> None:
        """Another pack is open: an update found for the old one no longer applies."""
        if self._checker is not None:
            self._checker.forget()
        self.pending = None
        self.window.update_banner.hide()

    def refresh_actions(self) -> None:
        """File > Roll back works only when there is a pack to go back to."""
        rollback = self.window.actions_[Act.ROLLBACK_PACK]
        if not update_ever_installed():  # nothing to roll back, and no need to load the updates code
            rollback.setEnabled(False)
            return
        from .. import updates

        rollback.setEnabled(updates.previous_pack() is not None)

    def check_now(self) -> None:
        """File > Check for pack updates: look now, and say what was found."""
        self.check(on_demand=True)

    def check(self, on_demand: bool = False) -> bool:
        """Look for a newer pack in the updates folder on a thread; the update banner offers one when found.

        False when there is no folder to look in (the user is told when they asked from the menu).
        """
        from .. import updates

        window = self.window
        folder = updates.updates_folder(window.settings.get(S.UPDATES_FOLDER))
        if on_demand and (folder is None or not folder.is_dir()):
            problem = (
                "No updates folder is set. Choose the folder clinic IT puts new packs in under File > Preferences."
                if folder is None
                else f"The updates folder {folder} is not there (or cannot be reached)."
            )
            window.tell(problem, dialog=True)
            return False
        if folder is None:
            return False
        number = self.checker.start(folder, window.pack.path)
        if on_demand:
            self._on_demand = number
            window.tell(f"Looking for a newer pack in {folder} ...", duration_ms=LONGER)
        return True

    def _checked(self, number: int, update: Update | None, error: str) -> None:
        """The answer of the update check: offer the update, or (when the user asked) say there is none."""
        if number != self.checker.latest:
            return
        window = self.window
        on_demand = number == self._on_demand
        if on_demand:
            window.messages.clear()
        if error:
            if on_demand:
                window.tell(error, Level.ERROR)
            else:
                log.warning("Looking for a pack update failed: %s", error)
            return
        if update is None:
            if on_demand:
                window.tell(f"No newer pack: content {window.pack.content_version} is the latest.", dialog=True)
            return
        self.pending = update
        window.update_banner.offer(update.content_version, window.pack.content_version)
        if on_demand:
            self.review()

    def review(self) -> None:
        """The update banner's "Review update...": what the update changes, then install it and switch to it."""
        update, self.pending = self.pending, None
        window = self.window
        window.update_banner.hide()
        if update is None:
            return
        try:
            installed = self._install(update)
            if installed is not None and window.open_pack_file(installed, verified=True):
                window.tell(
                    f"Updated to content {window.pack.content_version} ({len(window.titles)} cards). "
                    "File > Roll back to previous pack undoes it.",
                    duration_ms=LONGER,
                    strip=True,
                )
        finally:
            self.refresh_actions()
            window.search_panel.edit.setFocus()

    def _install(self, update: Update) -> Path | None:
        """Show what the update changes and install it if the user agrees; the installed pack, or None."""
        from .dialogs import run_modal
        from .update_dialog import UpdateDialog

        if run_modal(UpdateDialog(update, self.window)) != QDialog.DialogCode.Accepted:
            log.info("Pack update %s declined for now", update.path)
            return None
        return self.install(update)

    def install(self, update: Update) -> Path:
        """Install the update on a thread while a progress box (window-modal) shows how far it is; the installed
        pack. UpdateError when it fails (the pack in use stays)."""
        from .update_dialog import InstallProgress

        job = InstallJob(self.window)
        box = InstallProgress(update, self.window)
        loop = QEventLoop()
        answer: list[tuple[Path | None, str]] = []

        def finished(installed: Path | None, error: str) -> None:
            answer.append((installed, error))
            loop.quit()

        job.progress.connect(box.show_progress)
        job.finished.connect(finished)
        box.open()
        job.start(update)
        if not answer:
            loop.exec()
        box.done_installing()
        job.deleteLater()
        installed, error = answer[0]
        if installed is None:
            raise UpdateError(error)
        return installed

    def dismiss(self) -> None:
        """The update banner's "Not now": hide it until the next start (or File > Check for pack updates)."""
        self.pending = None
        self.window.update_banner.hide()
        self.window.search_panel.edit.setFocus()

    def rollback(self) -> None:
        """File > Roll back to previous pack: after asking, go back to the pack in use before the last update."""
        window = self.window
        try:
            restored = self._roll_back()
            if restored is not None and window.open_pack_file(restored, verified=True):
                window.tell(
                    f"Back to content {window.pack.content_version} ({len(window.titles)} cards).",
                    duration_ms=LONGER,
                    strip=True,
                )
        finally:
            self.refresh_actions()

    def _roll_back(self) -> Path | None:
        """Ask, then make the previous pack the one in use again; it, or None when there is none or the user said No."""
        from .. import updates

        previous = updates.previous_pack()
        if previous is None:
            self.window.tell("There is no previous pack to go back to.", dialog=True)
            return None
        with open_pack(previous) as pack:
            version = pack.content_version
        answer = QMessageBox.question(
            self.window,
            "KetaRef",
            f"Go back to the previous pack (content version {version})? "
            "The pack in use now will not be offered again; a later one will.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return updates.rollback()
