"""Pack updates in the window: look for a newer pack off the GUI thread, show what it changes, install, go back."""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..errors import KetarefError
from ..store import open_pack
from ..updates import Changes, Update, find_update, install_update, previous_pack, rollback
from . import dialogs

log = logging.getLogger(__name__)


class UpdateDialog(QDialog):
    """What a newer pack changes (cards added, changed, removed; review dates), with "Update now" and "Not now"."""

    def __init__(self, update: Update, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pack update")
        changes = update.changes
        old, new = html.escape(changes.previous_content_version), html.escape(changes.content_version)
        intro = QLabel(f"A newer pack is available: content version <b>{old}</b> &rarr; <b>{new}</b>.")
        intro.setWordWrap(True)
        origin = QLabel(f"From {update.path}")
        origin.setTextFormat(Qt.TextFormat.PlainText)
        origin.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(origin)
        self.lists: dict[str, QListWidget] = {}
        for name, ids in (("Added", changes.added), ("Changed", changes.changed), ("Removed", changes.removed)):
            self._add_list(layout, name, [changes.label(i) for i in ids], changes)
        self._add_list(
            layout, "New review dates", [f"{changes.label(i)}: {date}" for i, date in changes.reviewed.items()], changes
        )
        self.buttons = QDialogButtonBox()
        self.update_button = self.buttons.addButton("&Update now", QDialogButtonBox.ButtonRole.AcceptRole)
        self.not_now_button = self.buttons.addButton("&Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.update_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, self.sizeHint().height())  # wide enough for long card titles

    def _add_list(self, layout: QVBoxLayout, name: str, items: Sequence[str], changes: Changes) -> None:
        """A heading with its count and the list under it (or "none")."""
        heading = QLabel(f"<b>{name}</b> ({len(items)})" if items else f"<b>{name}</b>: none")
        layout.addWidget(heading)
        if not items:
            return
        view = QListWidget()
        view.setAccessibleName(f"{name} cards, content version {changes.content_version}")
        view.addItems(list(items))
        view.setMaximumHeight(min(160, 24 + 20 * len(items)))
        heading.setBuddy(view)
        layout.addWidget(view)
        self.lists[name] = view


def offer_update(parent: QWidget | None, pack_path: Path, folder: Path) -> Path | None:
    """Look for a newer pack in the folder, show what it changes and install it if the user agrees.

    Returns the installed pack to open, or None (no update, "Not now", or an error already shown).
    """
    try:
        update = find_update(folder, pack_path)
    except KetarefError as exc:
        log.warning("Looking for a pack update failed: %s", exc)
        dialogs.show_error(parent, str(exc))
        return None
    if update is None:
        return None
    return review_update(parent, update)


def review_update(parent: QWidget | None, update: Update) -> Path | None:
    """Show what an update found earlier changes and install it if the user agrees; the installed pack, or None."""
    if dialogs.run_modal(UpdateDialog(update, parent)) != QDialog.DialogCode.Accepted:
        log.info("Pack update %s declined for now", update.path)
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # copying and checking a big pack takes a moment
    try:
        return install_update(update)
    except KetarefError as exc:
        problem = str(exc)
    finally:
        QGuiApplication.restoreOverrideCursor()
    log.warning("Installing the pack update failed: %s", problem)
    dialogs.show_error(parent, problem)
    return None


def rollback_pack(parent: QWidget | None) -> Path | None:
    """After asking, go back to the pack in use before the last update; returns it, or None."""
    previous = previous_pack()
    if previous is None:
        QMessageBox.information(parent, "KetaRef", "There is no previous pack to go back to.")
        return None
    try:
        with open_pack(previous) as pack:
            version = pack.content_version
    except KetarefError as exc:
        log.warning("The previous pack cannot be used: %s", exc)
        dialogs.show_error(parent, str(exc))
        return None
    answer = QMessageBox.question(
        parent,
        "KetaRef",
        f"Go back to the previous pack (content version {version})? "
        "The pack in use now will not be offered again; a later one will.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        return rollback()
    except KetarefError as exc:
        log.warning("Going back to the previous pack failed: %s", exc)
        dialogs.show_error(parent, str(exc))
        return None


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
        update: Update | None = None
        error = ""
        try:
            update = find_update(folder, pack_path)
        except KetarefError as exc:
            error = str(exc)
        except Exception:  # a bug: logged, and the window carries on without an update
            log.exception("Looking for a pack update in %s failed", folder)
            error = "Looking for a pack update failed; details are in the log."
        with self._lock:
            self._running -= 1
            if not self._stopped:
                self.done.emit(number, update, error)
