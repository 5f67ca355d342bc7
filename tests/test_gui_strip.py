"""The message strip: saving, printing and installing confirm in the window, files with Open and Show in folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ketaref.gui import dialogs, print_dialogs, strip
from ketaref.gui.messages import Level, Message, Messages


@pytest.fixture
def dialogs_shown(monkeypatch: pytest.MonkeyPatch) -> list[Message]:
    """Messages the window shows in a dialog (recorded instead of a modal box)."""
    shown: list[Message] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: shown.append(message))
    return shown


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files and folders handed to the system (recorded, never opened)."""
    urls: list[str] = []
    monkeypatch.setattr(strip.QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    return urls


def test_export_pdf_confirms_in_the_strip_with_open_and_show_in_folder(
    qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "saved" / "card.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(dialogs, "ask_pdf_path", lambda _parent, _suggested: out)
    window = make_window()
    bar = window.messages.strip
    assert not bar.isVisible()
    window.open_card("dose-iv-ketamine")
    assert out == window.printing.export_pdf()
    assert bar.isVisible()
    assert bar.message.startswith("Saved 1 page to ") and str(out) in bar.message
    assert bar.open_button.isVisible() and bar.folder_button.isVisible()
    assert bar.geometry().bottom() < window.splitter.geometry().top()  # above the results and card, in view
    qtbot.mouseClick(bar.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.folder_button, Qt.MouseButton.LeftButton)
    assert [str(out), str(out.parent)] == opened
    qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_printing_confirms_in_the_strip_without_file_buttons(
    qtbot, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(print_dialogs, "print_cards", lambda _parent, _options, cards, _titles: 2)
    window = make_window()
    window.open_card("dose-iv-ketamine")
    window.printing.print_()
    bar = window.messages.strip
    assert bar.isVisible()
    assert "Sent 2 pages to the printer." == bar.message
    assert not bar.open_button.isVisible() and not bar.folder_button.isVisible()
    assert "Sent 2 pages to the printer." == window.statusBar().currentMessage()  # as before, too


def test_a_confirmation_goes_by_itself_an_error_stays_until_dismissed(
    qtbot, make_window, monkeypatch: pytest.MonkeyPatch, dialogs_shown: list[Message]
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(strip, "CONFIRMATION_MS", 50)
    window = make_window()
    bar = window.messages.strip
    window.tell("Sent 1 page to the printer.", strip=True)
    assert bar.isVisible()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=3000)

    window.tell("The file /nowhere/x.pdf cannot be written.", Level.ERROR)
    assert ["The file /nowhere/x.pdf cannot be written."] == [m.text for m in dialogs_shown]
    assert "Error:" in bar.label.text()
    qtbot.wait(300)  # six times the confirmation's time
    assert bar.isVisible()
    window.open_card("dose-iv-ketamine")  # another card clears the status bar, not the error
    assert bar.isVisible()
    qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_plain_status_messages_stay_out_of_the_strip(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    window.toggle_bookmark()
    assert window.statusBar().currentMessage().startswith("Bookmarked")
    assert not window.messages.strip.isVisible()
