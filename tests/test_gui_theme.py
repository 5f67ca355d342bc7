"""Both themes legible: every text and background pair the window paints is at least 4.5:1 (WCAG AA)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ketaref.gui import theme
from ketaref.gui.results import mark_background, muted_colour

AA = 4.5
Role = QPalette.ColorRole


@pytest.fixture
def system_theme_after():  # type: ignore[no-untyped-def]
    """The theme is the application's: put the system one back for the tests that follow."""
    yield
    theme.apply(theme.Theme.SYSTEM)


def css_colour(css: str, selector: str, prop: str) -> QColor:
    """A colour the card's stylesheet gives a selector."""
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert block is not None, selector
    value = re.search(re.escape(prop) + r":\s*(#[0-9a-fA-F]{6})", block.group(1))
    assert value is not None, (selector, prop)
    return QColor(value.group(1))


def pairs(qtbot, make_window, chosen: theme.Theme) -> dict[str, tuple[QColor, QColor]]:  # type: ignore[no-untyped-def]
    """(text, background) of everything a clinician reads in the window, in a theme, as the window paints it."""
    theme.apply(chosen)
    window = make_window()
    palette = QApplication.palette()
    qtbot.waitUntil(lambda: window.card_view.browser.palette().color(Role.Base) == palette.color(Role.Base))
    window.open_card("safety-blood-pressure")
    colour = palette.color
    css = window.card_view.browser.document().defaultStyleSheet()
    view = window.card_view
    view.find_text("pressure", 0)
    found = view.browser.extraSelections()
    current = next(s for s in found if s.format.fontUnderline())
    other = next(s for s in found if not s.format.fontUnderline())
    banner = window.banner.grab().toImage()
    return {
        "body text": (colour(Role.Text), colour(Role.Base)),
        "labels": (colour(Role.WindowText), colour(Role.Window)),
        "buttons": (colour(Role.ButtonText), colour(Role.Button)),
        "links": (colour(Role.Link), colour(Role.Base)),
        "visited links": (colour(Role.LinkVisited), colour(Role.Base)),
        "placeholder": (colour(Role.PlaceholderText), colour(Role.Base)),
        "selected result, badge": (colour(Role.HighlightedText), colour(Role.Highlight)),
        "card category and review line": (css_colour(css, "p.meta", "color"), colour(Role.Base)),
        "card summary": (colour(Role.Text), css_colour(css, "table.summary", "background-color")),
        "table header": (colour(Role.Text), css_colour(css, "th", "background-color")),
        "result category line": (muted_colour(palette, False), colour(Role.Base)),
        "selected result category line": (muted_colour(palette, True), colour(Role.Highlight)),
        "matched word": (colour(Role.Text), mark_background(palette, False)),
        "matched word, selected result": (colour(Role.HighlightedText), mark_background(palette, True)),
        "find: current match": (current.format.foreground().color(), current.format.background().color()),
        "find: other matches": (other.format.foreground().color(), other.format.background().color()),
        "disclaimer and message strips": (colour(Role.WindowText), banner.pixelColor(2, 2)),
        "tooltips": (colour(Role.ToolTipText), colour(Role.ToolTipBase)),
    }


@pytest.mark.parametrize("chosen", [theme.Theme.LIGHT, theme.Theme.DARK])
def test_every_text_is_at_least_4_5_to_1_on_its_background(
    qtbot, make_window, system_theme_after, chosen: theme.Theme
) -> None:  # type: ignore[no-untyped-def]
    ratios = {name: theme.contrast(*pair) for name, pair in pairs(qtbot, make_window, chosen).items()}
    assert {} == {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < AA}


def test_the_dark_theme_is_dark_and_the_light_one_light() -> None:
    light, dark = theme.palette(theme.Theme.LIGHT), theme.palette(theme.Theme.DARK)
    assert theme.relative_luminance(light.color(Role.Base)) > 0.9
    assert theme.relative_luminance(dark.color(Role.Base)) < 0.02
    assert theme.relative_luminance(dark.color(Role.Text)) > 0.7


def test_contrast_ratio_matches_wcag() -> None:
    assert 21.0 == pytest.approx(theme.contrast(QColor("#000000"), QColor("#ffffff")))
    assert 4.48 == pytest.approx(theme.contrast(QColor("#777777"), QColor("#ffffff")), abs=0.01)
    assert 1.0 == theme.contrast(QColor("#336699"), QColor("#336699"))


def test_an_unknown_stored_theme_is_the_system_one() -> None:
    assert theme.Theme.SYSTEM == theme.parse("solarized")
    assert theme.Theme.DARK == theme.parse("dark")
