"""The card stylesheets, one per medium (screen, print), kept as resource files: resources/styles/<medium>.css."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .constants import STYLES_DIR
from .paths import app_resource

MEDIA = ("screen", "print")
# A field in a stylesheet: {name}, or {name*factor} for a size that is a multiple of a value given at run time.
_FIELD = re.compile(r"\{(\w+)(?:\*(\d+(?:\.\d+)?))?\}")


@functools.cache
def _template(medium: str) -> str:
    if medium not in MEDIA:
        raise ValueError(f"no stylesheet for the medium {medium!r}")
    return app_resource(f"{STYLES_DIR}/{medium}.css").read_text("utf-8")


def stylesheet(medium: str, value: Callable[[str, float], str]) -> str:
    """The medium's CSS with each {name} or {name*factor} field replaced by value(name, factor); factor is 1 for
    a bare {name}. A field that value does not know raises KeyError."""
    return _FIELD.sub(lambda m: value(m.group(1), float(m.group(2) or 1)), _template(medium))
