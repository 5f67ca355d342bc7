"""Search as you type in the window: results, Enter, Esc, Up/Down, corrections, filters and browsing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ketaref.model import CATEGORIES, CATEGORY_LABELS


def hit_ids(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.hit.id for row in window.search_panel.model.rows if row.hit is not None]


def type_query(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    qtbot.keyClicks(panel.edit, text)
    qtbot.waitUntil(lambda: panel.up_to_date and panel.edit.text() == text)


def test_typing_finds_cards_and_enter_opens_the_first(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    type_query(qtbot, window, "blood pressure")
    assert "safety-blood-pressure" == hit_ids(window)[0]
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)
    assert "safety-blood-pressure" == window.card_view.card.id
    assert "Blood pressure rise" in window.card_view.browser.toPlainText()


def test_snippet_marks_the_matched_words(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    type_query(qtbot, window, "systolic")
    row = window.search_panel.model.rows[0]
    assert "<mark>" in row.snippet_html.lower()


def test_escape_clears_the_search_box_and_browses_again(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    type_query(qtbot, window, "haemorrhage")
    qtbot.keyClick(panel.edit, Qt.Key.Key_Escape)
    assert "" == panel.edit.text()
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert 4 == len(hit_ids(window))
    assert panel.edit.hasFocus()


def test_escape_in_the_category_box_clears_the_search_too(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    type_query(qtbot, window, "haemorrhage")
    panel.category.setFocus()
    qtbot.keyClick(panel.category, Qt.Key.Key_Escape)
    assert "" == panel.edit.text()
    assert panel.edit.hasFocus()


def test_down_and_up_move_through_results_while_typing(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    type_query(qtbot, window, "minutes")
    ids = hit_ids(window)
    assert 2 == len(ids)
    qtbot.keyClick(panel.edit, Qt.Key.Key_Down)
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert ids[1] == window.card_view.card.id
    qtbot.keyClick(panel.edit, Qt.Key.Key_Up)
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert ids[0] == window.card_view.card.id
    assert panel.edit.hasFocus()


def test_enter_typed_before_the_results_arrive_opens_the_final_querys_first(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    qtbot.keyClicks(panel.edit, "going home")
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.card_view.card is not None)
    assert "handout-after-treatment" == window.card_view.card.id


def test_a_typo_says_which_words_were_searched(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    type_query(qtbot, window, "dissociaton")
    assert "Showing results for" in window.search_panel.notice.text()
    assert "dissociation" in window.search_panel.notice.text()
    assert window.search_panel.notice.isVisible()


def test_category_filter_limits_results(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    type_query(qtbot, window, "minutes")
    assert 2 == len(hit_ids(window))
    panel.category.setCurrentIndex(panel.category.findData("dosing"))
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert ["dose-iv-ketamine"] == hit_ids(window)


def test_empty_box_lists_every_card_under_headers_in_mission_order(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    rows = window.search_panel.model.rows
    headers = [row.label.rsplit(" (", 1)[0] for row in rows if row.hit is None]
    expected = [CATEGORY_LABELS[c] for c in CATEGORIES if c in ("dosing", "safety", "contraindications", "handouts")]
    assert expected == headers
    assert "All 4 cards by category. Type to search." == window.search_panel.notice.text()


def test_browsing_with_arrows_skips_headers(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    panel.list.setFocus()
    seen = []
    for _ in range(5):
        seen.append(panel.list.currentIndex().row())
        qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert all(panel.model.rows[row].hit is not None for row in seen)


def test_handout_results_carry_a_text_badge(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    type_query(qtbot, window, "going home")
    index = window.search_panel.model.index(0, 0)
    assert "Patient handout" in index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_hostile_queries_keep_the_window_working(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for text in ('"(*', "NEAR(a b) AND", "\x00\x07", "x" * 3000):
        window.search_panel.edit.setText(text)
        qtbot.waitUntil(lambda: window.search_panel.up_to_date)
    window.search_panel.edit.clear()
    type_query(qtbot, window, "blood")
    assert "safety-blood-pressure" in hit_ids(window)


def test_a_failing_search_is_reported_and_the_next_keystroke_works(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ketaref.store import Pack

    real = Pack.search
    calls = []

    def flaky(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(query)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(Pack, "search", flaky)
    window = make_window()
    panel = window.search_panel
    panel.edit.setText("blood")
    qtbot.waitUntil(lambda: panel.up_to_date)
    assert "Search failed unexpectedly" in panel.notice.text()
    qtbot.keyClicks(panel.edit, " pressure")
    qtbot.waitUntil(lambda: panel.up_to_date and panel.edit.text() == "blood pressure")
    assert "safety-blood-pressure" in hit_ids(window)
    assert not panel.notice.isVisible()
