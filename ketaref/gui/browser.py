"""The card's text browser, which loads nothing a card names, and the card's stylesheet, made from the palette."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser

from .. import stylesheets
from .results import mix


def stylesheet(palette: QPalette) -> str:
    """The card's CSS, with every colour taken from the palette so light and dark themes both read well."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    muted = mix(text, base, 0.35).name()
    rule = mix(text, base, 0.7).name()
    tint = mix(base, palette.color(QPalette.ColorRole.Highlight), 0.16).name()
    colours = {"text": text.name(), "muted": muted, "rule": rule, "tint": tint}
    return stylesheets.stylesheet("screen", lambda name, _factor: colours[name])  # resources/styles/screen.css


class OfflineBrowser(QTextBrowser):
    """A QTextBrowser that loads no resource a card names (no image, file or download; see handout.offline)."""

    def loadResource(self, kind: int, name: QUrl | str, /) -> object:  # noqa: N802 (Qt's name)
        """Every resource loads as nothing."""
        from ..handout.offline import no_resource  # not at start-up: sanitised cards name no resource

        return no_resource(kind, name)
