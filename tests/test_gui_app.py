"""Application set-up: a bug is logged with its traceback and the window stays up."""

from __future__ import annotations

import logging
import sys

import pytest

from ketaref.gui import app


def test_an_unexpected_error_is_logged_and_shown_in_the_status_bar(
    qtbot, make_window, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        kind, exc, tb = sys.exc_info()
    with caplog.at_level(logging.CRITICAL, logger="ketaref.gui.app"):
        app._excepthook(kind, exc, tb)  # type: ignore[arg-type]
    assert "boom" in caplog.text
    assert "Traceback" in caplog.text
    assert "RuntimeError" in window.statusBar().currentMessage()
    assert window.isVisible()
