"""What the View menu and the keys do to the window: F10, zoom reaching the list and outline, preview on arrow,
the outline pane, the theme, and the card's heading line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from ketaref.gui import settings as S
from ketaref.gui import theme
from ketaref.gui import window as window_module
from ketaref.gui.actions import Act
from ketaref.gui.results import HIT_ROLE


@pytest.fixture
def system_theme_after():  # type: ignore[no-untyped-def]
    """The theme is the application's: put the system one back for the tests that follow."""
    yield
    theme.apply(theme.Theme.SYSTEM)


def meta_colour(window) -> QColor:  # type: ignore[no-untyped-def]
    """The colour of the card's category and review line, as its stylesheet gives it."""
    css = window.card_view.browser.document().defaultStyleSheet()
    return QColor(re.search(r"p\.meta \{ color: (#[0-9a-f]{6})", css).group(1))


def outline_pane(window):  # type: ignore[no-untyped-def]
    """The "On this card" pane beside the card."""
    return window.card_view.outline.parentWidget()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # the offscreen platform's
def test_f10_opens_the_first_menu(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    bar = window.menuBar()
    assert bar.activeAction() is None
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_F10)
    assert "&File" == bar.activeAction().text()
    qtbot.waitUntil(bar.activeAction().menu().isVisible)
    bar.activeAction().menu().close()


def test_zoom_scales_the_results_and_the_outline_with_the_card(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    results, outline = window.search_panel.list, window.card_view.outline
    row = window.search_panel.model.first_hit_row()
    before = (results.visualRect(results.model().index(row, 0)).height(), outline.font().pointSizeF())
    for _ in range(3):
        qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert 3 == window.card_view.zoom
    grown = (results.visualRect(results.model().index(row, 0)).height(), outline.font().pointSizeF())
    assert grown[0] > before[0] * 1.15
    assert pytest.approx(before[1] * 1.3) == grown[1]
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert before == (results.visualRect(results.model().index(row, 0)).height(), outline.font().pointSizeF())


def test_a_remembered_zoom_reaches_the_results_at_start(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    normal = window.search_panel.list.font().pointSizeF()
    window.zoom(4)
    window.close()
    assert pytest.approx(normal * 1.4) == make_window().search_panel.list.font().pointSizeF()


def test_arrowing_through_results_previews_each_card_and_keeps_the_focus(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel, view = window.search_panel, window.card_view
    assert view.card is None
    qtbot.keyClick(panel.edit, Qt.Key.Key_Down)
    first = panel.list.currentIndex().data(HIT_ROLE)
    qtbot.waitUntil(lambda: view.card is not None, timeout=3000)
    assert first.id == view.card.id
    assert panel.edit.hasFocus()
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    second = panel.list.currentIndex().data(HIT_ROLE)
    assert second.id != first.id
    qtbot.waitUntil(lambda: view.card.id == second.id, timeout=3000)
    assert panel.list.hasFocus()


def test_new_results_do_not_replace_the_card_and_preview_can_be_turned_off(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel, view = window.search_panel, window.card_view
    window.open_card("contra-absolute")
    qtbot.keyClicks(panel.edit, "blood")
    qtbot.waitUntil(lambda: panel.up_to_date and panel.edit.text() == "blood")
    assert panel.list.currentIndex().data(HIT_ROLE).id != "contra-absolute"  # the best match is selected ...
    qtbot.wait(3 * window_module.PREVIEW_MS)
    assert "contra-absolute" == view.card.id  # ... but the card being read stays

    window.actions_[Act.PREVIEW_ON_ARROW].trigger()
    assert not window.settings.get(S.PREVIEW_ON_ARROW)
    panel.edit.clear()
    qtbot.waitUntil(lambda: panel.up_to_date and panel.model.rows[0].hit is None)  # browsing, with headers
    qtbot.keyClick(panel.edit, Qt.Key.Key_Down)
    qtbot.wait(3 * window_module.PREVIEW_MS)
    assert "contra-absolute" == view.card.id
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert panel.list.currentIndex().data(HIT_ROLE).id == view.card.id  # Enter still opens it


def test_the_outline_is_hidden_when_empty_and_can_be_hidden(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert not outline_pane(window).isVisible()  # the welcome page has no sections
    window.open_card("dose-iv-ketamine")
    assert outline_pane(window).isVisible()
    window.actions_[Act.SHOW_OUTLINE].trigger()
    assert not outline_pane(window).isVisible()
    assert window.card_view.browser.width() > window.card_view.width() * 0.9  # the card takes the room
    window.close()
    again = make_window()
    again.open_card("dose-iv-ketamine")
    assert not outline_pane(again).isVisible()
    qtbot.keyClick(
        again.search_panel.edit, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert outline_pane(again).isVisible()


def test_view_theme_switches_light_and_dark_and_is_remembered(qtbot, make_window, system_theme_after) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    assert window.actions_[Act.THEME_SYSTEM].isChecked()
    window.actions_[Act.THEME_DARK].trigger()
    base = theme.DARK[theme.Role.Base]
    assert base == QApplication.palette().color(theme.Role.Base).name()
    qtbot.waitUntil(lambda: base == window.card_view.browser.palette().color(theme.Role.Base).name())
    qtbot.waitUntil(lambda: theme.relative_luminance(meta_colour(window)) > 0.3)  # the card re-rendered: light text
    assert "dark" == window.settings.get(S.THEME)
    assert [Act.THEME_DARK] == [act for act in (Act.THEME_SYSTEM, Act.THEME_LIGHT, Act.THEME_DARK)
                                if window.actions_[act].isChecked()]  # fmt: skip
    window.close()
    again = make_window()
    assert again.actions_[Act.THEME_DARK].isChecked()
    again.actions_[Act.THEME_LIGHT].trigger()
    assert theme.LIGHT[theme.Role.Base] == QApplication.palette().color(theme.Role.Base).name()
    text = theme.LIGHT[theme.Role.Text]
    qtbot.waitUntil(lambda: text == again.card_view.browser.palette().color(theme.Role.Text).name())
    again.open_card("dose-iv-ketamine")
    qtbot.waitUntil(lambda: theme.relative_luminance(meta_colour(again)) < 0.2)


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_a_theme_switch_keeps_the_words_marked_in_the_card(qtbot, make_window, system_theme_after) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    view = window.card_view
    window.search_panel.edit.setText("minutes")
    qtbot.waitUntil(lambda: window.search_panel.up_to_date and bool(window.search_panel.model.rows))
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)
    window.actions_[Act.FIND_NEXT].trigger()  # the second match is the current one
    before = view.browser.extraSelections()
    total = len(before)
    assert total >= 2 and f"2 of {total}" == view.find_bar.count.text()
    light = before[0].format.background().color().name()
    window.actions_[Act.THEME_DARK].trigger()
    qtbot.waitUntil(lambda: theme.relative_luminance(meta_colour(window)) > 0.3)  # the card rendered again
    marks = view.browser.extraSelections()
    assert total == len(marks) and f"2 of {total}" == view.find_bar.count.text()
    assert {"minutes"} == {mark.cursor.selectedText().lower() for mark in marks}
    assert [False, True] == [mark.format.fontUnderline() for mark in marks[:2]]
    assert light != marks[0].format.background().color().name()  # in the dark theme's colours


def test_the_card_says_category_audience_and_review_date_under_its_title(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    lines = [line for line in window.card_view.browser.toPlainText().splitlines() if line.strip()]
    assert "IV ketamine dosing for depression" == lines[0]
    assert "Dosing · For clinicians · Last reviewed 2026-11-20" == lines[1]
    window.open_card("handout-after-treatment")
    lines = [line for line in window.card_view.browser.toPlainText().splitlines() if line.strip()]
    assert re.fullmatch(r"Patient handouts · Patient handout · Last reviewed \d{4}-\d{2}-\d{2}", lines[1])


def test_the_window_has_the_app_icon(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert not window.windowIcon().isNull()
    assert not QApplication.windowIcon().isNull()
    assert 256 == window.windowIcon().pixmap(256, 256).width()


def test_tables_wrap_to_the_card_pane(qtbot, make_window, shipped_pack_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(shipped_pack_path)
    with_tables = [card_id for card_id in window.titles if "<table" in window.pack.card(card_id).body_html]
    assert len(with_tables) >= 10
    bar = window.card_view.browser.horizontalScrollBar()
    sideways = []
    for card_id in with_tables:
        window.open_card(card_id)
        try:  # the layout settles once the vertical scroll bar is in
            qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=500)
        except qtbot.TimeoutError:
            sideways.append((card_id, bar.maximum()))
    assert [] == sideways
    assert window.card_view.browser.viewport().width() < 500  # a narrow pane: tables had to wrap


def test_the_launcher_and_the_bundle_name_the_icon() -> None:
    from configparser import ConfigParser

    from ketaref.paths import app_resource

    desktop = ConfigParser(interpolation=None)
    desktop.read(app_resource("ketaref.desktop"), encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert ("Application", "ketaref", "ketaref", "false") == (
        entry["Type"], entry["Exec"], entry["Icon"], entry["Terminal"]
    )  # fmt: skip
    for name in ("ketaref.svg", "ketaref.png", "ketaref.ico"):
        assert app_resource(f"icons/{name}").stat().st_size > 300
    assert app_resource("icons/ketaref.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an icon file, for Windows
    spec = (Path(__file__).resolve().parents[1] / "build.spec").read_text("utf-8")  # the checkout, installed or not
    assert 'icon=str(RESOURCES / "icons" / "ketaref.ico")' in spec


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_launcher_passes_the_desktop_entry_check() -> None:
    # What desktop menus read: an unknown Version or two main categories and some menus skip or repeat it.
    from ketaref.paths import app_resource

    done = subprocess.run(
        ["desktop-file-validate", str(app_resource("ketaref.desktop"))], capture_output=True, text=True, timeout=30
    )
    assert (0, "") == (done.returncode, done.stdout + done.stderr)
