"""The pack update dialog: it shows what a newer pack changes, installs it on "Update now", and rolls it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from packversions import make_pack, version_of
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from ketaref.defaults import resolve_pack
from ketaref.gui import dialogs
from ketaref.gui.update_dialog import UpdateDialog, offer_update, rollback_pack
from ketaref.updates import active_pack, find_update


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An updates folder holding a 1.1 pack that adds, changes and removes a card."""
    path = tmp_path / "updates"
    path.mkdir()
    make_pack(path / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)
    return path


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages shown in an error box (recorded instead of a modal box)."""
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, message: shown.append(message))
    return shown


def answer(monkeypatch: pytest.MonkeyPatch, result: QDialog.DialogCode) -> list[UpdateDialog]:
    """Make the update dialog return `result` instead of waiting for a click; record the dialogs shown."""
    shown: list[UpdateDialog] = []

    def exec_(self: UpdateDialog) -> int:
        shown.append(self)
        return result.value

    monkeypatch.setattr(UpdateDialog, "exec", exec_)
    return shown


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


def test_update_now_installs_the_pack(
    qtbot, current: Path, folder: Path, errors: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shown = answer(monkeypatch, QDialog.DialogCode.Accepted)
    installed = offer_update(None, current, folder)
    assert 1 == len(shown)
    assert installed is not None
    assert installed == active_pack()
    assert "1.1" == version_of(installed)
    assert installed == resolve_pack()
    assert [] == errors


def test_not_now_keeps_the_pack_in_use(qtbot, current: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    answer(monkeypatch, QDialog.DialogCode.Rejected)
    assert offer_update(None, current, folder) is None
    assert active_pack() is None
    assert current == resolve_pack()


def test_no_newer_pack_shows_nothing(qtbot, current: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown = answer(monkeypatch, QDialog.DialogCode.Accepted)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert offer_update(None, current, empty) is None
    assert [] == shown


def test_a_failed_install_is_shown_and_the_pack_in_use_stays(
    qtbot, current: Path, folder: Path, errors: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    answer(monkeypatch, QDialog.DialogCode.Accepted)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be", "utf-8")
    monkeypatch.setenv("KETAREF_DATA_DIR", str(blocked))
    assert offer_update(None, current, folder) is None
    assert 1 == len(errors)
    assert "the current pack stays in use" in errors[0]
    assert current == resolve_pack()


def test_rollback_asks_then_goes_back(qtbot, current: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    answer(monkeypatch, QDialog.DialogCode.Accepted)
    offer_update(None, current, folder)
    questions: list[str] = []

    def ask(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.No if len(questions) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", ask)
    assert rollback_pack(None) is None  # "No" changes nothing
    assert "1.1" == version_of(resolve_pack())
    restored = rollback_pack(None)
    assert restored is not None
    assert "1.0" == version_of(restored)
    assert "content version 1.0" in questions[0]


def test_rollback_with_nothing_to_go_back_to_says_so(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    assert rollback_pack(None) is None
    assert ["There is no previous pack to go back to."] == told
