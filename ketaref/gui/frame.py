"""The window's frame, shown before the rest of the app is imported: its size and place, the search box, empty panes.

Opening the window is what clinicians do many times a day, and a bare Qt window opens in about a quarter of a
second. Everything else (the pack, the search thread, the menus' actions, the results list, the card view)
costs about as much again to import and build, so app.py shows this frame first, with the search box focused
and taking typing, and builds the window onto it just after the frame's first paint (MainWindow.build). What
was typed meanwhile is handed to the real search box, and searched as soon as the pack is open.

This module imports only Qt classes a bare window needs anyway, settings and geometry: keep it that way
(tests/test_gui_smoke.py checks what the frame imports).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QSplitter, QVBoxLayout, QWidget

from . import geometry
from . import settings as S

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent  # the class costs 2-8 ms to set up, for an annotation

# As the window's own search box (gui/search_panel.py).
PLACEHOLDER = "Search cards: word, drug, abbreviation..."
# Where the built window's panes start, below its menus, toolbar and strips, as last seen: the frame's panes start
# there too, so that the search box does not move when the window is built (0 the first time).
PANES_TOP = S.Setting("window/panes_top", 0)


class _Pane(QFrame):
    """An empty pane where the results or the card will be; the first one painted says so, once."""

    def __init__(self, painted: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # as the results list and the card will be
        self.setAutoFillBackground(True)
        self._painted = painted

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, then tell the frame (the window is built from the event loop after this frame)."""
        super().paintEvent(event)
        painted, self._painted = self._painted, None
        if painted is not None:
            painted()


class Frame:
    """The frame of the window, on a QMainWindow not built yet (app.Startup builds the window after its first paint)."""

    def __init__(self, window: QMainWindow, settings: S.Settings, painted: Callable[[], None]) -> None:
        self.window = window
        window.setWindowTitle("KetaRef")  # no menus yet: the menu bar takes 15-40 ms to build
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(PLACEHOLDER)  # no clear button: its icon takes 15-40 ms to load
        self.edit.setAccessibleName("Search cards")
        self.enter = False  # Enter pressed before the window was built: open the best result when it is
        self.edit.returnPressed.connect(self._enter)
        label = QLabel("&Search:")
        label.setBuddy(self.edit)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.edit, 1)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(6, 6, 0, 6)
        column.addLayout(top)
        column.addWidget(_Pane(painted), 1)
        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(_Pane())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        state = settings.get(S.SPLITTER)
        if not state or not splitter.restoreState(state):
            splitter.setSizes([460, 740])
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, max(0, min(settings.get(PANES_TOP), 400)), 0, 0)
        box.addWidget(splitter)
        window.setCentralWidget(central)
        self._place(settings)
        self._theme(settings)
        self.edit.setFocus()

    @staticmethod
    def _theme(settings: S.Settings) -> None:
        """A light or dark theme chosen in View > Theme from the first frame on (the system look needs nothing)."""
        if settings.get(S.THEME) in ("", "system"):
            return
        from . import theme

        chosen = theme.parse(settings.get(S.THEME))
        if chosen is not theme.Theme.SYSTEM:
            theme.apply(chosen)

    def _place(self, settings: S.Settings) -> None:
        """Where the window itself goes (MainWindow._restore does the same, and the rest of the layout)."""
        saved = settings.get(S.GEOMETRY)
        if saved and self.window.restoreGeometry(saved):
            geometry.clamp_onto_screen(self.window)
            return
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            self.window.resize(geometry.first_size(available))
            geometry.centre_on(self.window, available)

    def _enter(self) -> None:
        self.enter = True

    def hand_over(self, edit: QLineEdit) -> bool:
        """Give what was typed (and where the cursor was) to the window's search box, focused; True when Enter was
        pressed meanwhile."""
        typed, cursor = self.edit.text(), self.edit.cursorPosition()
        if typed:
            edit.setText(typed)
            edit.setCursorPosition(cursor)
        edit.setFocus()
        return self.enter
