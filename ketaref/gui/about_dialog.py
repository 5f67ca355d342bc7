"""Help > About: the text of the About box (versions, the pack, what changed, the disclaimer) and the box."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from . import DISCLAIMER
from .standard_dialogs import run_modal

ABOUT_NOTE_LINES = 12  # release notes beyond this many lines go under "Show Details..."


def _when(stamp: str) -> str:
    """An ISO timestamp as "2026-11-27 06:46 UTC" (as stored, when it is not one)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.utcoffset() == dt.timedelta(0) else "")


def about_text(app_version: str, info: dict[str, object], pack_path: Path, notes: str | None = None) -> str:
    """Help > About: app version, pack content version, build date, card count, what changed, and the disclaimer."""
    esc = html.escape
    changes = ""
    if notes:
        lines = notes.splitlines()
        shown = "<br>".join(esc(line).replace("  ", "&nbsp;&nbsp;") for line in lines[:ABOUT_NOTE_LINES])
        more = len(lines) - ABOUT_NOTE_LINES
        if more > 0:
            shown += f"<br>... and {more} more line(s) under Show Details."
        changes = f"<p><b>What changed in this pack:</b><br>{shown}</p>"
    return (
        f"<h3>KetaRef {esc(app_version)}</h3>"
        "<p>Offline reference on ketamine and esketamine for depression.</p>"
        f"<p>Pack content version <b>{esc(str(info['content_version']))}</b>, "
        f"built {esc(_when(str(info['built_at'])))}, {esc(str(info['cards']))} cards."
        + (f"<br>Signature: {esc(str(info['signature']))}" if info.get("signature") else "")
        + f"<br><small>{esc(str(pack_path))}</small></p>"
        f"{changes}"
        f"<p><b>{esc(DISCLAIMER)}</b></p>"
    )


def show_about(parent: QWidget | None, text: str, details: str = "") -> None:
    """Show the About box; details (release notes too long for it) go behind its "Show Details..." button."""
    if not details:
        QMessageBox.about(parent, "About KetaRef", text)
        return
    box = QMessageBox(QMessageBox.Icon.Information, "About KetaRef", text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setDetailedText(details)
    run_modal(box)
