"""The pack update dialog: what a newer pack changes and how it is signed, with "Update now" and "Not now"; and the
progress box shown while it installs."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QProgressDialog, QVBoxLayout, QWidget

from ..updates import Changes, Update


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
        self.signature = QLabel(f"Signature: {update.signature_label}")
        self.signature.setTextFormat(Qt.TextFormat.PlainText)
        self.signature.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(origin)
        layout.addWidget(self.signature)
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


class InstallProgress(QProgressDialog):
    """ "Installing content version X ..." with a bar, over the window while the update is copied and checked (it
    cannot be cancelled half way: the install either completes or leaves the pack in use)."""

    def __init__(self, update: Update, parent: QWidget | None = None) -> None:
        super().__init__(f"Installing content version {update.content_version} ...", "", 0, 0, parent)
        self.setWindowTitle("Pack update")
        self.setCancelButton(None)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)

    def show_progress(self, done: int, total: int) -> None:
        """Move the bar: done parts of total."""
        if self.maximum() != total:
            self.setMaximum(total)
        self.setValue(done)

    def done_installing(self) -> None:
        """Take the box down."""
        self.reset()
        self.close()
