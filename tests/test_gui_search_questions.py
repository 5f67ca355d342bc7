"""The window's side of issue 17: result count, Tab to the results, the category notice, words that matched
nothing, and the search's words marked in a card opened from the results."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ketaref.gui.actions import Act


def hit_ids(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.hit.id for row in window.search_panel.model.rows if row.hit is not None]


def type_query(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    qtbot.keyClicks(panel.edit, text)
    qtbot.waitUntil(lambda: panel.up_to_date and panel.edit.text() == text)


def test_the_result_count_is_shown(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    assert "4 cards" == panel.count.text()  # browsing: every card
    type_query(qtbot, window, "minutes")
    assert (2, "2 cards") == (len(hit_ids(window)), panel.count.text())
    panel.edit.clear()
    type_query(qtbot, window, "systolic")
    assert "1 card" == panel.count.text()
    panel.edit.clear()
    type_query(qtbot, window, "zzzzqqqq")
    assert "No cards" == panel.count.text()


def test_tab_from_the_search_box_goes_to_the_results(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    type_query(qtbot, window, "minutes")
    assert panel.edit.hasFocus()
    qtbot.keyClick(panel.edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(panel.list.hasFocus)
    assert not panel.category.hasFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Tab)
    qtbot.waitUntil(panel.category.hasFocus)


def test_no_result_in_a_category_names_it_and_offers_every_category(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    panel.category.setCurrentIndex(panel.category.findData("contraindications"))
    type_query(qtbot, window, "minutes")
    assert [] == hit_ids(window)
    assert "No cards in Contraindications match" in panel.notice.text()
    assert panel.all_categories.isVisible()
    qtbot.mouseClick(panel.all_categories, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert (None, 2) == (panel.category.currentData(), len(hit_ids(window)))
    assert not panel.all_categories.isVisible()
    assert panel.edit.hasFocus()


def test_without_a_filter_no_result_offers_no_other_categories(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    type_query(qtbot, window, "zzzzqqqq")
    assert "No cards match" in window.search_panel.notice.text()
    assert not window.search_panel.all_categories.isVisible()


def test_a_word_no_card_has_is_named_above_the_results(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    type_query(qtbot, window, "systolic dementia")
    assert ["safety-blood-pressure"] == hit_ids(window)
    assert "No card mentions “dementia”; showing cards for “systolic”." == panel.notice.text()
    assert panel.notice.isVisible()


def test_a_card_opened_from_the_results_marks_the_words_and_f3_moves_on(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    view = window.card_view
    type_query(qtbot, window, "minutes")
    first = hit_ids(window)[0]
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)
    assert first == view.card.id
    total = len(view.matches("minutes"))
    assert total >= 2
    assert view.find_bar.isVisible()
    assert ("minutes", f"1 of {total}") == (view.find_bar.edit.text(), view.find_bar.count.text())
    assert total == len(view.browser.extraSelections())
    assert "minutes" == view.browser.textCursor().selectedText().lower()
    window.actions_[Act.FIND_NEXT].trigger()  # F3
    assert f"2 of {total}" == view.find_bar.count.text()
    window.actions_[Act.FIND_PREVIOUS].trigger()  # Shift+F3
    assert f"1 of {total}" == view.find_bar.count.text()


def test_marks_cover_synonyms_and_end_with_another_card(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    view = window.card_view
    type_query(qtbot, window, "BP")  # the card says "blood pressure": that is what is marked, as one phrase
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)
    assert "safety-blood-pressure" == view.card.id
    marked = {s.cursor.selectedText().lower() for s in view.browser.extraSelections()}
    assert "blood pressure" in marked
    assert not marked & {"blood", "pressure"}  # not "blood" of "blood test", nor "pressure" alone
    window.open_card("contra-absolute")  # not from the results (a link, a bookmark): nothing marked
    assert not view.find_bar.isVisible()
    assert [] == view.browser.extraSelections()


def test_typing_in_the_find_bar_replaces_the_marked_words(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    view = window.card_view
    type_query(qtbot, window, "minutes")
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)
    assert "safety-blood-pressure" == view.card.id
    view.find_bar.edit.setFocus()
    view.find_bar.edit.selectAll()
    qtbot.keyClicks(view.find_bar.edit, "systolic")
    assert "1 of 1" == view.find_bar.count.text()
    assert 1 == len(view.browser.extraSelections())
    assert "systolic" == view.browser.textCursor().selectedText().lower()


def test_marks_find_a_spanish_card_s_words_with_their_accents(qtbot, make_window, shipped_pack_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(shipped_pack_path)
    view = window.card_view
    type_query(qtbot, window, "presion arterial")  # typed without the accent, as most keyboards make easy
    hits = [row.hit.id for row in window.search_panel.model.rows if row.hit]
    assert "handout-esketamine-spray-es" in hits
    window.search_panel.card_requested.emit("handout-esketamine-spray-es")  # as a click on the result does
    assert "handout-esketamine-spray-es" == view.card.id
    marked = {s.cursor.selectedText().lower() for s in view.browser.extraSelections()}
    assert {"presión", "arterial"} <= marked
