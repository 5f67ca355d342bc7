"""Today's date, read in one place so that tests can set it (the review-age checks depend on it)."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    """The local date now."""
    return dt.date.today()
