"""The Qt binding itself: a broken release must fail here, not abort a clinician's window at exit."""

from __future__ import annotations

import sys


def test_void_qt_calls_keep_the_reference_count_of_none(qapp) -> None:  # type: ignore[no-untyped-def]
    # PySide6 6.12.0 under Python 3.11 drops a reference to None on every call that returns nothing,
    # so a long session ends in "Fatal Python error: none_dealloc". pyproject.toml excludes it.
    from PySide6.QtGui import QFont

    before = sys.getrefcount(None)
    for _ in range(200):
        QFont().setFamilies(["DejaVu Sans"])
    assert abs(sys.getrefcount(None) - before) < 50
