"""Browsing a big pack: the list hands the view a batch of rows at a time, and every card can still be reached."""

from __future__ import annotations

from pathlib import Path

from cardtext import card_text
from PySide6.QtCore import Qt

from ketaref.gui.results import HIT_ROLE, ResultsModel
from ketaref.pack import build

CARDS = 1000


def big_pack(source_dir: Path, tmp_path: Path, count: int) -> Path:
    """A pack of the fixture cards and count generated dosing cards."""
    for n in range(count):
        (source_dir / "cards" / "dosing" / f"gen-{n:04d}.md").write_text(
            card_text(f"gen-{n:04d}", "dosing", title=f"Generated dosing card {n:04d}"), "utf-8"
        )
    path = tmp_path / "big.sqlite"
    build(source_dir, path)
    return path


def test_browsing_a_big_pack_loads_the_list_in_batches(qtbot, make_window, source_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(big_pack(source_dir, tmp_path, CARDS))
    panel = window.search_panel
    model = panel.model
    total = len(model.rows)
    assert total > CARDS  # every card and the category headers are known ...
    assert ResultsModel.BATCH == model.rowCount()  # ... but the view holds one batch

    panel.list.setFocus()

    def scrolled_to_the_end() -> bool:  # scrolling to the foot of the list loads the next batch
        panel.list.scrollToBottom()
        qtbot.keyClick(panel.list, Qt.Key.Key_End)
        return not model.canFetchMore()

    qtbot.waitUntil(scrolled_to_the_end, timeout=20_000)
    assert total == model.rowCount()

    def end_reaches_the_last_card() -> bool:  # once the batched layout has caught up with the rows loaded
        qtbot.keyClick(panel.list, Qt.Key.Key_End)
        return panel.list.currentIndex().row() == total - 1

    qtbot.waitUntil(end_reaches_the_last_card)
    last = panel.list.currentIndex().data(Qt.ItemDataRole.DisplayRole)
    assert last == model.rows[-1].label

    window.open_card("gen-0999")  # a card far down the list is marked as the one shown
    assert "gen-0999" == panel.list.currentIndex().data(HIT_ROLE).id


def test_down_from_the_search_box_walks_past_the_first_batch(  # type: ignore[no-untyped-def]
    qtbot, make_window, source_dir: Path, tmp_path: Path
) -> None:
    window = make_window(big_pack(source_dir, tmp_path, ResultsModel.BATCH + 20))
    panel = window.search_panel
    for _ in range(ResultsModel.BATCH + 5):
        panel.step(1)
    assert panel.list.currentIndex().row() >= ResultsModel.BATCH
    assert panel.model.rowCount() > ResultsModel.BATCH
