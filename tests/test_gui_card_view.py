"""The card view: content, outline, links, review flag, find in card and zoom."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from ketaref.gui import card_view


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Links handed to the system browser (recorded, never opened)."""
    urls: list[str] = []
    monkeypatch.setattr(card_view.QDesktopServices, "openUrl", lambda url: urls.append(url.toString()) or True)
    return urls


def test_card_shows_summary_body_sources_and_review_date(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    text = window.card_view.browser.toPlainText()
    expected = ["IV ketamine dosing for depression", "Dosing", "0.5 mg/kg IV over 40 minutes", "Twice weekly"]
    expected += ["Related cards", "Blood pressure rise", "Sources", "Berman RM", "Last reviewed 2026-11-20"]
    for part in expected:
        assert part in text
    assert "due for review" not in text


def test_outline_lists_sections_and_scrolls_to_them(qtbot, make_window, shipped_pack_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(shipped_pack_path)
    window.open_card("dose-esketamine")
    view = window.card_view
    tree = view.outline
    top = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    assert len(top) >= 4
    assert ["Related cards", "Sources"] == [item.text(0) for item in top[-2:]]
    bar = view.browser.verticalScrollBar()
    assert 0 == bar.value()
    tree.setFocus()
    tree.setCurrentItem(top[-1])
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert bar.value() > 0


def test_card_links_open_cards_and_web_links_open_only_when_clicked(qtbot, make_window, opened_urls) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("safety-blood-pressure")
    assert [] == opened_urls
    browser = window.card_view.browser
    browser.anchorClicked.emit(QUrl("card:contra-absolute"))
    assert "contra-absolute" == window.card_view.card.id
    browser.anchorClicked.emit(QUrl("https://pubmed.ncbi.nlm.nih.gov/10686270/"))
    assert ["https://pubmed.ncbi.nlm.nih.gov/10686270/"] == opened_urls
    for url in ("javascript:alert(1)", "file:///etc/passwd", "mailto:x@example.org", "ftp://example.org/a"):
        browser.anchorClicked.emit(QUrl(url))
    assert 1 == len(opened_urls)
    assert "contra-absolute" == window.card_view.card.id
    assert not browser.openLinks()


def test_an_old_review_is_flagged_due(qtbot, make_window, source_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ketaref.pack import build

    card = source_dir / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(re.sub(r"reviewed = \S+", "reviewed = 2020-01-15", card.read_text()))
    build(source_dir, tmp_path / "old.sqlite")
    window = make_window(tmp_path / "old.sqlite")
    window.open_card("dose-iv-ketamine")
    assert "Last reviewed 2020-01-15 (due for review)" in window.card_view.browser.toPlainText()


def test_find_in_card_counts_and_steps_through_matches(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("safety-blood-pressure")
    view = window.card_view
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.find_bar.isVisible()
    assert view.find_bar.edit.hasFocus()
    qtbot.keyClicks(view.find_bar.edit, "pressure")
    total = len(view.matches("pressure"))
    assert total >= 2
    assert f"1 of {total}" == view.find_bar.count.text()
    assert total == len(view.browser.extraSelections())
    qtbot.keyClick(view.find_bar.edit, Qt.Key.Key_F3)
    assert f"2 of {total}" == view.find_bar.count.text()
    # the current match differs from the others by more than colour
    assert [False, True] + [False] * (total - 2) == [s.format.fontUnderline() for s in view.browser.extraSelections()]
    qtbot.keyClick(view.find_bar.edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert f"1 of {total}" == view.find_bar.count.text()
    assert "pressure" == view.browser.textCursor().selectedText().lower()
    qtbot.keyClick(view.find_bar.edit, Qt.Key.Key_Escape)
    assert not view.find_bar.isVisible()
    assert [] == view.browser.extraSelections()


def test_find_reports_no_match(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("safety-blood-pressure")
    window.card_view.open_find()
    qtbot.keyClicks(window.card_view.find_bar.edit, "zzzq")
    assert "Not found" == window.card_view.find_bar.count.text()


def test_zoom_keys_change_the_text_size_and_it_is_remembered(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    normal = window.card_view.browser.document().defaultFont().pointSizeF()
    edit = window.search_panel.edit
    qtbot.keyClick(edit, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert 1 == window.card_view.zoom
    assert window.card_view.browser.document().defaultFont().pointSizeF() > normal
    window.close()
    again = make_window()
    assert 1 == again.card_view.zoom
    qtbot.keyClick(again.search_panel.edit, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert 0 == again.card_view.zoom
    assert normal == pytest.approx(again.card_view.browser.document().defaultFont().pointSizeF())
