"""Back/forward, recently viewed and bookmarks in the window, kept across a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ketaref.gui.actions import Act
from ketaref.gui.results import HIT_ROLE


def test_back_and_forward_with_alt_arrows(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for card_id in ("dose-iv-ketamine", "safety-blood-pressure", "contra-absolute"):
        window.open_card(card_id)
    edit = window.search_panel.edit
    qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert "safety-blood-pressure" == window.card_view.card.id
    qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert "dose-iv-ketamine" == window.card_view.card.id
    assert not window.actions_[Act.BACK].isEnabled()
    qtbot.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert "safety-blood-pressure" == window.card_view.card.id
    window.open_card("handout-after-treatment")
    assert not window.actions_[Act.FORWARD].isEnabled()


def test_the_results_list_follows_the_card_on_show(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    window.open_card("dose-iv-ketamine")
    window.open_card("safety-blood-pressure")
    assert "safety-blood-pressure" == panel.list.currentIndex().data(HIT_ROLE).id  # browsing lists every card
    window.back()
    assert "dose-iv-ketamine" == panel.list.currentIndex().data(HIT_ROLE).id
    panel.edit.setText("haemorrhage")
    qtbot.waitUntil(lambda: panel.up_to_date)
    window.open_card("safety-blood-pressure")  # not among the results: none is marked
    assert [] == panel.list.selectionModel().selectedIndexes()


def test_a_message_about_one_card_goes_when_another_opens(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    window.toggle_bookmark()
    assert window.statusBar().currentMessage().startswith("Bookmarked")
    window.open_card("safety-blood-pressure")
    assert "" == window.statusBar().currentMessage()


def test_a_card_link_adds_to_the_history(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("safety-blood-pressure")
    window.card_view.card_link.emit("dose-iv-ketamine")
    assert "dose-iv-ketamine" == window.card_view.card.id
    window.back()
    assert "safety-blood-pressure" == window.card_view.card.id


def test_bookmarks_persist_across_a_restart(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("contra-absolute")
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.actions_[Act.TOGGLE_BOOKMARK].isChecked()
    window.open_card("dose-iv-ketamine")
    window.close()

    again = make_window()
    assert ["contra-absolute"] == again.nav.bookmarks
    assert "dose-iv-ketamine" == again.card_view.card.id
    again.bookmarks_menu.aboutToShow.emit()
    assert "Absolute contraindications" in [a.text() for a in again.bookmarks_menu.actions()]


def test_ctrl_d_twice_removes_the_bookmark(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("contra-absolute")
    window.toggle_bookmark()
    window.toggle_bookmark()
    assert [] == window.nav.bookmarks
    assert not window.actions_[Act.TOGGLE_BOOKMARK].isChecked()


def test_recently_viewed_lists_newest_first_after_a_restart(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for card_id in ("dose-iv-ketamine", "safety-blood-pressure", "dose-iv-ketamine"):
        window.open_card(card_id)
    window.close()
    again = make_window()
    assert ["dose-iv-ketamine", "safety-blood-pressure"] == again.nav.recent
    again.back()
    assert "safety-blood-pressure" == again.card_view.card.id


def _top_line(window) -> str:  # type: ignore[no-untyped-def]
    """The text of the paragraph at the top of the card view."""
    from PySide6.QtCore import QPoint

    return window.card_view.browser.cursorForPosition(QPoint(0, 0)).block().text()


def _read_down(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    """Scroll the card about halfway down, as a reader would; the paragraph now at the top."""
    bar = window.card_view.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    line = _top_line(window)
    assert line and line != window.card_view.card.title
    return line


def test_back_and_forward_return_to_where_the_card_was_left(qtbot, make_window, shipped_pack_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(shipped_pack_path)
    window.resize(900, 500)
    window.open_card("dose-esketamine")
    left_at = _read_down(qtbot, window)
    window.open_card("contra-absolute")
    assert 0 == window.card_view.browser.verticalScrollBar().value()  # a card opened afresh starts at its top
    later = _read_down(qtbot, window)
    window.back()
    assert left_at == _top_line(window)
    window.forward()
    assert later == _top_line(window)
    window.open_card("dose-esketamine")  # from a link or the results: from the top
    assert 0 == window.card_view.browser.verticalScrollBar().value()


def test_zooming_keeps_the_same_text_at_the_top(qtbot, make_window, shipped_pack_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(shipped_pack_path)
    window.resize(900, 500)
    window.open_card("safety-blood-pressure")
    reading = _read_down(qtbot, window)
    for key in (Qt.Key.Key_Equal, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
        qtbot.keyClick(window.search_panel.edit, key, Qt.KeyboardModifier.ControlModifier)
        assert reading == _top_line(window)
