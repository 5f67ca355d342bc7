"""View > Theme: the system's look, or KetaRef's own light or dark palette (both legible at WCAG AA)."""

from __future__ import annotations

import logging
from enum import Enum

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

Role = QPalette.ColorRole


class Theme(Enum):
    """The choices of View > Theme, by the value kept in the settings."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


# Chosen for contrast: body text, links, placeholder text and selected text are at least 4.5:1 against
# their backgrounds (tests/test_gui_theme.py measures every pair the window paints).
LIGHT = {
    Role.Window: "#f0f0f0", Role.WindowText: "#1b1b1b", Role.Base: "#ffffff", Role.AlternateBase: "#f4f6f9",
    Role.Text: "#1b1b1b", Role.Button: "#e6e6e6", Role.ButtonText: "#1b1b1b", Role.BrightText: "#ffffff",
    Role.Highlight: "#1d5aa6", Role.HighlightedText: "#ffffff", Role.Link: "#0a54ad", Role.LinkVisited: "#6a2c9e",
    Role.ToolTipBase: "#ffffe1", Role.ToolTipText: "#1b1b1b", Role.PlaceholderText: "#666666",
    Role.Light: "#ffffff", Role.Midlight: "#e3e3e3", Role.Mid: "#a0a0a0", Role.Dark: "#8a8a8a",
    Role.Shadow: "#5a5a5a",
}  # fmt: skip
DARK = {
    Role.Window: "#232427", Role.WindowText: "#e8e8e8", Role.Base: "#18191b", Role.AlternateBase: "#202226",
    Role.Text: "#e6e6e6", Role.Button: "#2e3034", Role.ButtonText: "#e8e8e8", Role.BrightText: "#ffffff",
    Role.Highlight: "#2c62b4", Role.HighlightedText: "#ffffff", Role.Link: "#8ab4f8", Role.LinkVisited: "#c9a2f5",
    Role.ToolTipBase: "#2e3034", Role.ToolTipText: "#e8e8e8", Role.PlaceholderText: "#a0a0a0",
    Role.Light: "#404246", Role.Midlight: "#35373b", Role.Mid: "#55585d", Role.Dark: "#111214",
    Role.Shadow: "#000000",
}  # fmt: skip
PALETTES = {Theme.LIGHT: LIGHT, Theme.DARK: DARK}
DISABLED_MIX = 0.45  # disabled text: this far from the text colour towards the background


def parse(value: str) -> Theme:
    """A stored theme name as a Theme (anything unknown is the system's)."""
    try:
        return Theme(value)
    except ValueError:
        return Theme.SYSTEM


def palette(theme: Theme) -> QPalette:
    """KetaRef's palette for the light or dark theme."""
    colours = PALETTES[theme]
    result = QPalette()
    for role, name in colours.items():
        result.setColor(role, QColor(name))
    for role, background in ((Role.Text, Role.Base), (Role.WindowText, Role.Window), (Role.ButtonText, Role.Button)):
        text, back = QColor(colours[role]), QColor(colours[background])
        disabled = QColor(
            round(text.red() + (back.red() - text.red()) * DISABLED_MIX),
            round(text.green() + (back.green() - text.green()) * DISABLED_MIX),
            round(text.blue() + (back.blue() - text.blue()) * DISABLED_MIX),
        )
        result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


class _System:
    """The style and palette the application started with, kept the first time a theme is applied."""

    style: str | None = None
    palette: QPalette | None = None


def apply(theme: Theme, app: QApplication | None = None) -> None:
    """Switch the whole application to a theme now (every widget repaints; the card re-renders its colours)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return
    if _System.style is None:
        _System.style = app.style().name()
        _System.palette = QPalette(app.palette())
    if theme is Theme.SYSTEM:
        if app.style().name() != _System.style:
            app.setStyle(_System.style)
        app.setPalette(app.style().standardPalette() if _System.palette is None else _System.palette)
    else:
        if app.style().name().lower() != "fusion":  # the one style that paints every palette role as given
            app.setStyle("Fusion")
        app.setPalette(palette(theme))
    log.info("Theme: %s", theme.value)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
