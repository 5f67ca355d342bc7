"""Pack updates in the window: a banner offers a newer pack at start, review installs and switches, roll back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from packversions import make_pack, version_of
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from ketaref import updates
from ketaref.gui import dialogs
from ketaref.gui import settings as S
from ketaref.gui.actions import Act
from ketaref.gui.app import open_window
from ketaref.gui.messages import Messages
from ketaref.gui.update_dialog import UpdateDialog
from ketaref.packchoice import resolve_pack
from ketaref.store import open_pack
from ketaref.updates import active_pack


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The updates folder named by KETAREF_UPDATES, empty."""
    path = tmp_path / "updates"
    path.mkdir()
    monkeypatch.setenv("KETAREF_UPDATES", str(path))
    return path


@pytest.fixture
def newer(folder: Path) -> Path:
    """A 1.1 pack in the updates folder that adds, changes and removes a card."""
    return make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True, change=True, remove=True)


@pytest.fixture
def reviews(monkeypatch: pytest.MonkeyPatch) -> list[UpdateDialog]:
    """The update dialog answers "Update now" at once; the dialogs shown are recorded."""
    shown: list[UpdateDialog] = []

    def exec_(self: UpdateDialog) -> int:
        shown.append(self)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(UpdateDialog, "exec", exec_)
    return shown


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window says in information and error boxes (recorded by its messages instead of modal boxes);
    questions are answered Yes."""
    shown: list[str] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: shown.append(message.text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    return shown


def start(qtbot, path: Path):  # type: ignore[no-untyped-def]
    """Open the window as `ketaref` does and wait for its look for an update to answer."""
    window = open_window(open_pack(path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def search(qtbot, window, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    panel.edit.setText(text)
    qtbot.waitUntil(lambda: panel.up_to_date)
    return [row.hit.id for row in panel.model.rows if row.hit is not None]


def trigger(window, act: Act) -> None:  # type: ignore[no-untyped-def]
    window.actions_[act].trigger()


def check_now(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """File > Check for pack updates, and wait for the answer."""
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        trigger(window, Act.CHECK_UPDATES)


def test_a_newer_pack_is_offered_in_a_banner_and_the_search_box_keeps_focus(
    qtbot, pack_path: Path, newer: Path, reviews: list[UpdateDialog]
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(open_pack(pack_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        window.activateWindow()
        qtbot.keyClicks(window.search_panel.edit, "blood")  # typing goes on while the folder is looked at
    qtbot.waitUntil(window.isActiveWindow)
    assert window.update_banner.isVisible()
    assert "A newer reference pack is available:</b> content 1.1 (you have 1.0)." in window.update_banner.label.text()
    assert "Review update..." == window.update_banner.review_button.text().replace("&", "")
    assert window.search_panel.edit.hasFocus()
    assert "blood" == window.search_panel.edit.text()
    assert [] == reviews  # nothing modal until the user asks
    assert pack_path == window.pack.path


def test_a_banner_shown_later_leaves_the_focus_in_the_search_box(
    qtbot, make_window, newer: Path, reviews: list[UpdateDialog]
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.keyClicks(window.search_panel.edit, "ket")
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        assert window.pack_updates.check()
    assert window.update_banner.isVisible()
    assert window.search_panel.edit.hasFocus()
    qtbot.keyClicks(window.search_panel.edit, "amine")
    assert "ketamine" == window.search_panel.edit.text()
    assert [] == reviews


def test_review_installs_the_update_and_switches_the_window_to_it(
    qtbot, pack_path: Path, newer: Path, reviews: list[UpdateDialog], told: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window = start(qtbot, pack_path)
    assert not window.actions_[Act.ROLLBACK_PACK].isEnabled()
    assert "mon-new-checklist" not in search(qtbot, window, "new monitoring checklist")

    qtbot.mouseClick(window.update_banner.review_button, Qt.MouseButton.LeftButton)

    assert 1 == len(reviews)
    assert [] == told
    assert "KetaRef — content 1.1" == window.windowTitle()
    assert pack_path != window.pack.path
    assert "mon-new-checklist" in search(qtbot, window, "new monitoring checklist")
    assert window.statusBar().currentMessage().startswith("Updated to content 1.1")
    assert window.messages.strip.isVisible()  # confirmed where the user looks, not only in the status bar
    assert window.messages.strip.message.startswith("Updated to content 1.1")
    assert not window.update_banner.isVisible()
    assert window.actions_[Act.ROLLBACK_PACK].isEnabled()


def test_roll_back_from_the_menu_restores_the_previous_pack(
    qtbot, pack_path: Path, newer: Path, reviews: list[UpdateDialog], told: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window = start(qtbot, pack_path)
    window.pack_updates.review()
    assert "KetaRef — content 1.1" == window.windowTitle()

    trigger(window, Act.ROLLBACK_PACK)

    assert [] == told
    assert "KetaRef — content 1.0" == window.windowTitle()
    assert "mon-new-checklist" not in search(qtbot, window, "new monitoring checklist")
    assert "handout-after-treatment" in search(qtbot, window, "going home after treatment")
    assert window.statusBar().currentMessage().startswith("Back to content 1.0")
    assert not window.actions_[Act.ROLLBACK_PACK].isEnabled()


@pytest.mark.parametrize("kind", ["corrupt", "foreign", "older"])
def test_a_bad_or_older_pack_in_the_folder_is_ignored_with_a_note_in_the_log(
    qtbot, pack_path: Path, folder: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    bad = folder / f"{kind}.sqlite"
    if kind == "foreign":
        bad.write_bytes(b"not a pack at all" * 100)
    else:
        make_pack(bad, "1.1" if kind == "corrupt" else "0.9")
    if kind == "corrupt":
        data = bytearray(bad.read_bytes())
        data[4096:8192] = b"\xff" * 4096  # a damaged page inside an otherwise valid file
        bad.write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger="ketaref.updates"):
        window = start(qtbot, pack_path)
    assert not window.update_banner.isVisible()
    assert pack_path == window.pack.path
    assert "KetaRef — content 1.0" == window.windowTitle()
    assert f"Ignoring {bad}" in caplog.text
    assert "safety-blood-pressure" in search(qtbot, window, "blood pressure")


def test_not_now_hides_the_banner_and_the_menu_check_offers_the_update_again(
    qtbot, pack_path: Path, newer: Path, reviews: list[UpdateDialog], told: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window = start(qtbot, pack_path)
    qtbot.mouseClick(window.update_banner.not_now_button, Qt.MouseButton.LeftButton)
    assert not window.update_banner.isVisible()
    assert window.search_panel.edit.hasFocus()
    assert [] == reviews

    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        trigger(window, Act.CHECK_UPDATES)

    assert 1 == len(reviews)  # asked for from the menu: the review opens straight away
    assert "KetaRef — content 1.1" == window.windowTitle()


def test_the_menu_check_says_when_there_is_no_newer_pack(qtbot, pack_path: Path, folder: Path, told: list[str]) -> None:  # type: ignore[no-untyped-def]
    window = start(qtbot, pack_path)
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        trigger(window, Act.CHECK_UPDATES)
    assert ["No newer pack: content 1.0 is the latest."] == told
    assert not window.update_banner.isVisible()


def test_the_menu_check_without_a_folder_says_where_to_set_one(qtbot, make_window, told: list[str]) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert not window.pack_updates.check(on_demand=True)
    assert 1 == len(told)
    assert "File > Preferences" in told[0]
    assert not window.pack_updates.checker.busy


def test_the_updates_folder_set_in_preferences_is_looked_at(
    qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shared = tmp_path / "shared"
    shared.mkdir()
    make_pack(shared / "ketaref-1.1.sqlite", "1.1", add=True)
    window = make_window()
    notes: list[str] = []

    def fill_in(self: dialogs.PreferencesDialog) -> int:
        notes.extend(label.text() for label in self.findChildren(QLabel))
        self.updates_folder.setText(str(shared))
        self.accept()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(dialogs.PreferencesDialog, "exec", fill_in)
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        trigger(window, Act.PREFERENCES)
    assert any(note.startswith("Clinic IT puts new packs here") for note in notes)
    assert str(shared) == window.settings.get(S.UPDATES_FOLDER)
    assert window.update_banner.isVisible()
    assert "content 1.1 (you have 1.0)" in window.update_banner.label.text()


def test_about_tells_what_changed_after_an_update(
    qtbot, pack_path: Path, newer: Path, reviews: list[UpdateDialog], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_about", lambda _parent, text, details="": shown.append((text, details)))
    window = start(qtbot, pack_path)
    window.about()
    assert "What changed" not in shown[0][0]
    window.pack_updates.review()
    window.about()
    text, details = shown[1]
    assert "<b>What changed in this pack:</b>" in text
    assert "Content version 1.0 -&gt; 1.1" in text
    assert "New monitoring checklist (mon-new-checklist)" in text
    assert "Going home after treatment (handout-after-treatment)" in text
    assert "Removed (1):" in text
    assert "" == details  # short notes need no "Show Details..."


def test_long_release_notes_are_cut_short_in_about_and_kept_whole_in_its_details(
    qtbot, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    notes = "\n".join(f"  card {n}" for n in range(30))
    monkeypatch.setattr(updates, "release_notes", lambda **_kwargs: notes)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_about", lambda _parent, text, details="": shown.append((text, details)))
    make_window().about()
    text, details = shown[0]
    assert "card 11<br>" in text
    assert "card 12" not in text
    assert "... and 18 more line(s) under Show Details." in text
    assert notes == details


# Installing over, and rolling back to, the default pack in use (`current`).


def test_update_now_installs_the_pack(
    qtbot, make_window, current: Path, newer: Path, reviews: list[UpdateDialog], told: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(current)
    check_now(qtbot, window)
    installed = active_pack()
    assert 1 == len(reviews)
    assert installed is not None
    assert "1.1" == version_of(installed)
    assert installed == resolve_pack() == window.pack.path
    assert [] == told


def test_not_now_keeps_the_pack_in_use(
    qtbot, make_window, current: Path, newer: Path, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(UpdateDialog, "exec", lambda _self: QDialog.DialogCode.Rejected.value)
    window = make_window(current)
    check_now(qtbot, window)
    assert active_pack() is None
    assert current == resolve_pack() == window.pack.path
    assert [] == told


def test_no_newer_pack_shows_nothing(
    qtbot, make_window, current: Path, folder: Path, reviews: list[UpdateDialog]
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(current)
    with qtbot.waitSignal(window.pack_updates.checker.done, timeout=20_000):
        assert window.pack_updates.check()
    assert [] == reviews
    assert not window.update_banner.isVisible()


def test_a_failed_install_is_shown_and_the_pack_in_use_stays(
    qtbot,
    make_window,
    current: Path,
    newer: Path,
    reviews: list[UpdateDialog],
    told: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(current)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be", "utf-8")
    monkeypatch.setenv("KETAREF_DATA_DIR", str(blocked))
    check_now(qtbot, window)
    assert 1 == len(reviews)
    assert 1 == len(told)
    assert "the current pack stays in use" in told[0]
    assert current == resolve_pack() == window.pack.path


def test_rollback_asks_then_goes_back(
    qtbot, make_window, current: Path, newer: Path, reviews: list[UpdateDialog], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(current)
    check_now(qtbot, window)
    questions: list[str] = []

    def ask(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.No if len(questions) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", ask)
    trigger(window, Act.ROLLBACK_PACK)  # "No" changes nothing
    assert "1.1" == version_of(resolve_pack())
    assert "KetaRef — content 1.1" == window.windowTitle()
    trigger(window, Act.ROLLBACK_PACK)
    assert "1.0" == version_of(window.pack.path)
    assert "content version 1.0" in questions[0]


def test_rollback_with_nothing_to_go_back_to_says_so(qtbot, make_window, told: list[str]) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert not window.actions_[Act.ROLLBACK_PACK].isEnabled()
    window.pack_updates.rollback()
    assert ["There is no previous pack to go back to."] == told
