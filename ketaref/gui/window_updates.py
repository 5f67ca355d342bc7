"""The main window's pack updates: look for a newer pack, offer it in the banner, install it or roll it back."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ..paths import update_ever_installed
from . import settings as S
from .actions import Act

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow as _Window

    from ..store import Pack
    from ..updates import Update
    from .banners import UpdateBanner
    from .search_panel import SearchPanel
    from .update_dialog import UpdateCheck
else:
    _Window = object  # a plain mixin at run time: MainWindow brings the QMainWindow

log = logging.getLogger(__name__)


class PackUpdatesMixin(_Window):
    """MainWindow's slots for File > Check for pack updates, the update banner and File > Roll back."""

    pack: Pack
    titles: dict[str, str]
    settings: S.Settings
    actions_: dict[Act, QAction]
    search_panel: SearchPanel
    update_banner: UpdateBanner
    pending_update: Update | None
    _on_demand: int
    _update_check: UpdateCheck | None = None

    if TYPE_CHECKING:

        def open_pack_file(self, path: Path, verified: bool = False) -> bool: ...

    @property
    def update_check(self) -> UpdateCheck:
        """The background look for pack updates, made on first use (the updates code is not loaded at start-up)."""
        if self._update_check is None:
            from .update_dialog import UpdateCheck

            self._update_check = UpdateCheck(self)
            self._update_check.done.connect(self._update_checked)
        return self._update_check

    def _stop_update_check(self, forget_only: bool = False) -> None:
        if self._update_check is not None:
            if forget_only:
                self._update_check.forget()
            else:
                self._update_check.stop()

    def _update_pack_actions(self) -> None:
        if not update_ever_installed():  # nothing to roll back
            self.actions_[Act.ROLLBACK_PACK].setEnabled(False)
            return
        from .. import updates

        self.actions_[Act.ROLLBACK_PACK].setEnabled(updates.previous_pack() is not None)

    def check_for_update(self, on_demand: bool = False) -> bool:
        """Look for a newer pack in the updates folder on a thread; the update banner offers one when found.

        False when there is no folder to look in (the user is told when they asked from the menu).
        """
        from .. import updates

        folder = updates.updates_folder(self.settings.get(S.UPDATES_FOLDER))
        if on_demand and (folder is None or not folder.is_dir()):
            problem = (
                "No updates folder is set. Choose the folder clinic IT puts new packs in under File > Preferences."
                if folder is None
                else f"The updates folder {folder} is not there (or cannot be reached)."
            )
            QMessageBox.information(self, "KetaRef", problem)
            return False
        if folder is None:
            return False
        number = self.update_check.start(folder, self.pack.path)
        if on_demand:
            self._on_demand = number
            self.statusBar().showMessage(f"Looking for a newer pack in {folder} ...", 10000)
        return True

    def _update_checked(self, number: int, update: Update | None, error: str) -> None:
        """The answer of the update check: offer the update, or (when the user asked) say there is none."""
        if number != self.update_check.latest:
            return
        on_demand = number == self._on_demand
        if on_demand:
            self.statusBar().clearMessage()
        if error:
            log.warning("Looking for a pack update failed: %s", error)
            if on_demand:
                from . import dialogs

                dialogs.show_error(self, error)
            return
        if update is None:
            if on_demand:
                QMessageBox.information(
                    self, "KetaRef", f"No newer pack: content {self.pack.content_version} is the latest."
                )
            return
        self.pending_update = update
        self.update_banner.offer(update.content_version, self.pack.content_version)
        if on_demand:
            self.review_update()

    def review_update(self) -> None:
        """The update banner's "Review update...": what the update changes, then install it and switch to it."""
        update, self.pending_update = self.pending_update, None
        self.update_banner.hide()
        if update is None:
            return
        from . import update_dialog

        installed = update_dialog.review_update(self, update)
        if installed is not None and self.open_pack_file(installed, verified=True):
            self.statusBar().showMessage(
                f"Updated to content {self.pack.content_version} ({len(self.titles)} cards). "
                "File > Roll back to previous pack undoes it.",
                10000,
            )
        self._update_pack_actions()
        self.search_panel.edit.setFocus()

    def dismiss_update(self) -> None:
        """The update banner's "Not now": hide it until the next start (or File > Check for pack updates)."""
        self.pending_update = None
        self.update_banner.hide()
        self.search_panel.edit.setFocus()

    def rollback_pack(self) -> None:
        """File > Roll back to previous pack: after asking, go back to the pack in use before the last update."""
        from . import update_dialog

        restored = update_dialog.rollback_pack(self)
        if restored is not None and self.open_pack_file(restored, verified=True):
            self.statusBar().showMessage(
                f"Back to content {self.pack.content_version} ({len(self.titles)} cards).", 10000
            )
        self._update_pack_actions()
