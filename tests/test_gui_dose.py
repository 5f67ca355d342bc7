"""Tools > Dose calculator: typing into it gives the dose with its working; bad input says why; Copy and Print."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ketaref.gui.dose_dialog import DoseDialog
from ketaref.handout import PrintOptions, write_pdf
from ketaref.model import Card

REVIEWED = dt.date(2026, 12, 2)


def _dialog(qtbot, printed: list[list[Card]] | None = None) -> DoseDialog:  # type: ignore[no-untyped-def]
    sink = printed if printed is not None else []
    dialog = DoseDialog(None, print_cards=sink.append, reviewed=REVIEWED)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_typing_a_weight_and_choosing_the_strength_shows_the_dose_and_its_working(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    assert "never assumed" in dialog.result_text() or "number" in dialog.result_text()
    qtbot.keyClicks(dialog.weight, "70")
    assert "vial concentration is never assumed" in dialog.result_text()  # no strength chosen yet: no number
    assert not dialog.copy_button.isEnabled() and not dialog.print_button.isEnabled()
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(10))
    dialog.final_ml.setCurrentText("100")
    qtbot.waitUntil(lambda: "150.0 mL/h" in dialog.result_text())
    assert (
        "70 kg x 0.5 mg/kg = 35.0 mg; 35.0 mg / 10 mg/mL = 3.50 mL; made up to 100 mL over 40 min = 150.0 mL/h"
        in dialog.result_text()
    )
    assert "actual body weight" in dialog.result_text()
    assert dialog.copy_button.isEnabled() and dialog.print_button.isEnabled()


def test_pounds_show_the_weight_in_kg(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    dialog.unit.setCurrentText("lb")
    qtbot.keyClicks(dialog.weight, "154")
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(50))
    assert "154 lb = 69.9 kg" in dialog.result_text()
    assert "69.9 kg x 0.5 mg/kg = 35.0 mg; 35.0 mg / 50 mg/mL = 0.70 mL" in dialog.result_text()


def test_a_bad_input_shows_one_plain_sentence_and_no_number(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(10))
    qtbot.keyClicks(dialog.weight, "700")
    text = dialog.result_text()
    assert "30 to 250 kg" in text and "mg;" not in text and len(text.splitlines()) == 1
    assert not dialog.copy_button.isEnabled()
    dialog.weight.clear()
    qtbot.keyClicks(dialog.weight, "70")
    dialog.mg_per_kg.clear()
    qtbot.keyClicks(dialog.mg_per_kg, "5")
    assert "0.1 to 1.0 mg/kg" in dialog.result_text()


def test_copy_puts_the_result_on_the_clipboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    qtbot.keyClicks(dialog.weight, "80")
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(10))
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QApplication.clipboard()
    assert clipboard is not None
    assert "80 kg x 0.5 mg/kg = 40.0 mg; 40.0 mg / 10 mg/mL = 4.00 mL" in clipboard.text()


def test_print_sends_a_one_page_worksheet_with_a_second_checker_line(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed: list[list[Card]] = []
    dialog = _dialog(qtbot, printed)
    qtbot.keyClicks(dialog.weight, "150")
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(100))
    dialog.final_ml.setCurrentText("100")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert len(printed) == 1 and len(printed[0]) == 1
    card = printed[0][0]
    out = tmp_path / "worksheet.pdf"
    for paper in ("letter", "a4"):
        assert write_pdf([card], out, PrintOptions(paper=paper), {}) == 1
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", PdfReader(str(out)).pages[0].extract_text()))
        for field in (
            "Patient:",
            "75.0 mg",
            "0.75 mL",
            "150.0 mL/h",
            "must be diluted",
            "Second checker:",
            "Signature:",
        ):
            assert field in text, (paper, field)


def test_the_spray_tab_counts_devices(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    dialog.tabs.setCurrentIndex(1)
    assert "28, 56 or 84 mg" in dialog.result_text()
    dialog.spray.setCurrentIndex(dialog.spray.findData(84))
    assert "3 devices" in dialog.result_text() and "6 sprays" in dialog.result_text()
    assert not dialog.print_button.isEnabled()  # the worksheet is for the IV dose
    assert dialog.copy_button.isEnabled()


def test_fill_opens_on_the_iv_tab_with_the_weight_and_waits_for_the_strength(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    dialog.tabs.setCurrentIndex(1)
    dialog.fill("176", "lb", "0.75")
    assert dialog.tabs.currentIndex() == 0
    assert (dialog.weight.text(), dialog.unit.currentText(), dialog.mg_per_kg.text()) == ("176", "lb", "0.75")
    assert "never assumed" in dialog.result_text()
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(10))
    assert "79.8 kg x 0.75 mg/kg = 59.9 mg" in dialog.result_text()


def test_the_dose_line_shows_the_dose_for_a_query_with_a_weight_and_asks_for_the_calculator(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.dose_line import DoseLine

    line = DoseLine()
    qtbot.addWidget(line)
    line.show_for("ketamine dose 80 kg")
    assert line.isVisibleTo(None) or not line.isHidden()
    assert "80 kg x 0.5 mg/kg = 40.0 mg" in line.text() and "Open the dose calculator" in line.text()
    with qtbot.waitSignal(line.open_requested) as asked:
        line.linkActivated.emit("ketaref-dose:")
    assert asked.args[0].weight == "80" and asked.args[0].unit == "kg"
    line.show_for("ketamine bladder")
    assert line.isHidden()
    line.show_for("ketamine 500 kg")
    assert "30 to 250 kg" in line.text() and not line.isHidden()


def test_the_calculators_alt_letters_are_unique(qtbot) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from PySide6.QtWidgets import QAbstractButton, QLabel

    dialog = _dialog(qtbot)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    texts += [button.text() for button in dialog.findChildren(QAbstractButton)]
    texts += [dialog.tabs.tabText(n) for n in range(dialog.tabs.count())]
    letters = Counter(m.group(1).lower() for text in texts for m in re.finditer(r"(?<!&)&([^&\s])", text))
    assert len(letters) >= 8
    assert [letter for letter, n in letters.items() if n > 1] == []


def _calculators(window):  # type: ignore[no-untyped-def]
    return [w for w in window.findChildren(DoseDialog) if w.isVisible()]


def test_tools_dose_calculator_opens_from_the_menu_and_its_shortcut(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.actions import ACTIONS, TOOLS, Act

    window = make_window()
    titles = [action.text() for action in window.menuBar().actions()]
    assert TOOLS in titles
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == TOOLS)
    assert window.actions_[Act.DOSE_CALCULATOR] in tools.actions()
    assert ACTIONS[Act.DOSE_CALCULATOR].keys  # a shortcut in the actions table
    qtbot.keyClicks(window.search_panel.edit, "x")  # focus in the search box: the shortcut still works
    qtbot.keySequence(window, window.actions_[Act.DOSE_CALCULATOR].shortcut())
    qtbot.waitUntil(lambda: len(_calculators(window)) == 1)
    dialog = _calculators(window)[0]
    qtbot.keyClicks(dialog.weight, "100")
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(50))
    dialog.final_ml.setCurrentText("250")
    assert "100 kg x 0.5 mg/kg = 50.0 mg; 50.0 mg / 50 mg/mL = 1.00 mL; made up to 250 mL over 40 min = 375.0 mL/h" in (
        dialog.result_text()
    )
    window.actions_[Act.DOSE_CALCULATOR].trigger()  # a second time: the same calculator comes forward
    assert _calculators(window) == [dialog]


def test_a_query_with_a_weight_shows_the_dose_above_the_results_and_opens_the_calculator_filled_in(
    qtbot, make_window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    line = window.search_panel.dose_line
    assert line.isHidden()
    qtbot.keyClicks(window.search_panel.edit, "ketamine dose 80 kg")
    qtbot.waitUntil(lambda: line.isVisible())
    assert "80 kg x 0.5 mg/kg = 40.0 mg" in line.text()
    line.linkActivated.emit("ketaref-dose:")
    qtbot.waitUntil(lambda: len(_calculators(window)) == 1)
    dialog = _calculators(window)[0]
    assert dialog.weight.text() == "80" and dialog.unit.currentText() == "kg"
    assert "never assumed" in dialog.result_text()  # the vial strength is still the user's to choose
    dialog.concentration.setCurrentIndex(dialog.concentration.findData(10))
    assert "40.0 mg / 10 mg/mL = 4.00 mL" in dialog.result_text()
    printed = []
    monkeypatch.setattr(window.printing, "print_", lambda cards, *a, **k: printed.append(cards))
    dialog.print_worksheet()
    assert [card.title for card in printed[0]] == ["IV ketamine dose worksheet"]
    window.search_panel.edit.clear()
    qtbot.keyClicks(window.search_panel.edit, "ketamine bladder")
    qtbot.waitUntil(lambda: line.isHidden())
