"""What the window tells the user: one method for info, warnings and errors, and a KetarefError in a slot told."""

from __future__ import annotations

import logging

import pytest

from ketaref import updates
from ketaref.errors import KetarefError
from ketaref.gui.actions import Act
from ketaref.gui.messages import Level, Message, Messages


@pytest.fixture
def dialogs_shown(monkeypatch: pytest.MonkeyPatch) -> list[Message]:
    """Messages the window shows in a dialog (recorded instead of a modal box)."""
    shown: list[Message] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: shown.append(message))
    return shown


def posted(window) -> list[Message]:  # type: ignore[no-untyped-def]
    """Every message the window tells from now on."""
    seen: list[Message] = []
    window.messages.posted.connect(seen.append)
    return seen


def test_info_goes_to_the_status_bar_for_a_while(qtbot, make_window, dialogs_shown: list[Message]) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    seen = posted(window)
    window.tell("Sent 2 pages to the printer.")
    assert "Sent 2 pages to the printer." == window.statusBar().currentMessage()
    assert [Message(Level.INFO, "Sent 2 pages to the printer.", 5000, False)] == seen
    assert [] == dialogs_shown


def test_an_error_gets_a_dialog_and_the_log(
    qtbot, make_window, dialogs_shown: list[Message], caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    with caplog.at_level(logging.WARNING, logger="ketaref.gui.messages"):
        window.tell("The printer is not available.", Level.ERROR)
    assert ["The printer is not available."] == [message.text for message in dialogs_shown]
    assert "" == window.statusBar().currentMessage()
    assert [("ERROR", "The printer is not available.")] == [(r.levelname, r.getMessage()) for r in caplog.records]


def test_a_ketaref_error_raised_in_a_slot_is_told_as_an_error_and_the_window_carries_on(
    qtbot, make_window, dialogs_shown: list[Message], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def unreadable(**_kwargs: object) -> str:
        raise KetarefError("The release notes of this pack cannot be read.")

    monkeypatch.setattr(updates, "release_notes", unreadable)
    window = make_window()
    seen = posted(window)
    window.actions_[Act.ABOUT].trigger()
    assert [Level.ERROR] == [message.level for message in seen]
    assert ["The release notes of this pack cannot be read."] == [message.text for message in dialogs_shown]
    assert window.isVisible()
    window.open_card("dose-iv-ketamine")
    assert "dose-iv-ketamine" == window.card_view.card.id


def test_a_bug_in_a_slot_is_not_dressed_up_as_a_message(
    qtbot, make_window, dialogs_shown: list[Message], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(**_kwargs: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(updates, "release_notes", broken)
    window = make_window()
    seen = posted(window)
    with qtbot.captureExceptions() as raised:
        window.actions_[Act.ABOUT].trigger()
    assert [RuntimeError] == [kind for kind, _exc, _tb in raised]  # left to the exception hook, which logs it
    assert [] == seen
    assert [] == dialogs_shown


def test_a_missing_card_is_a_warning_in_the_status_bar(qtbot, make_window, dialogs_shown: list[Message]) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    seen = posted(window)
    assert not window.open_card("no-such-card")
    assert [Level.WARNING] == [message.level for message in seen]
    assert "no-such-card" in window.statusBar().currentMessage()
    assert [] == dialogs_shown
