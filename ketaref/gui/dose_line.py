"""The line above the results for a query with a weight ("ketamine dose 80 kg"): the dose and a calculator link.

Kept light for start-up: the search panel builds it with the window, and ketaref.dosing loads only when a query
holds a number with a weight unit.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from ..dosing import QueryDose

_MAYBE_WEIGHT = re.compile(r"\d\s*(kg|kilo|lb|pound)", re.I)


class DoseLine(QLabel):
    """The dose in mg with its working and a link that opens the calculator filled in; hidden for other queries."""

    open_requested = Signal(object)  # the dosing.QueryDose to fill the calculator with

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dose_line")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setAccessibleName("Dose for this weight")
        self.setStyleSheet("QLabel#dose_line { border: 1px solid palette(mid); padding: 4px; }")
        self.found: QueryDose | None = None
        self.linkActivated.connect(lambda _link: self.open_calculator())
        self.hide()

    def show_for(self, query: str) -> None:
        """Show the dose when the query asks for one by weight, else hide."""
        self.found = None
        if _MAYBE_WEIGHT.search(query):
            from ..dosing import dose_in_query

            self.found = dose_in_query(query)
        if self.found is None:
            self.clear()
            self.hide()
            return
        link = '<a href="ketaref-dose:">Open the dose calculator</a> for the volume and pump rate'
        self.setText(f"{html.escape(self.found.line)}<br/>{link}")
        self.show()

    def open_calculator(self) -> None:
        """Ask the window to open the calculator filled in with this weight."""
        if self.found is not None:
            self.open_requested.emit(self.found)
