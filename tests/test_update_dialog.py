"""The pack update dialog: it shows what a newer pack changes (installing and rolling back: test_gui_updates.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packversions import make_pack
from PySide6.QtWidgets import QLabel

from ketaref.gui.update_dialog import UpdateDialog
from ketaref.updates import find_update


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An updates folder holding a 1.1 pack that adds, changes and removes a card."""
    path = tmp_path / "updates"
    path.mkdir()
    make_pack(path / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)
    return path


def test_the_dialog_shows_what_changed(qtbot, current: Path, folder: Path) -> None:  # type: ignore[no-untyped-def]
    update = find_update(folder, current)
    assert update is not None
    dialog = UpdateDialog(update)
    qtbot.addWidget(dialog)
    texts = {name: [view.item(i).text() for i in range(view.count())] for name, view in dialog.lists.items()}
    assert {
        "Added": ["New monitoring checklist (mon-new-checklist)"],
        "Changed": ["IV ketamine dosing for depression (dose-iv-ketamine)"],
        "Removed": ["Going home after treatment (handout-after-treatment)"],
        "New review dates": [
            "IV ketamine dosing for depression (dose-iv-ketamine): 2026-12-02",
            "New monitoring checklist (mon-new-checklist): 2026-12-01",
        ],
    } == texts
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "<b>1.0</b> &rarr; <b>1.1</b>" in labels
    assert ("&Update now", "&Not now") == (dialog.update_button.text(), dialog.not_now_button.text())
