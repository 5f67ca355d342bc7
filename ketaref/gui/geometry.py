"""Windows that fit their screen: the first window's size, every dialog and preview, and a restored geometry."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# The first window takes this share of the screen's free area, up to PREFERRED (logical pixels).
PREFERRED = QSize(1200, 800)
SHARE = 0.9
# What a window manager's title bar and borders may add around a window not shown yet.
FRAME_ALLOWANCE = QSize(16, 48)


def fit_rect(frame: QRect, available: QRect) -> QRect:
    """frame shrunk to fit within available and moved onto it (the same rect when it already fits)."""
    width, height = min(frame.width(), available.width()), min(frame.height(), available.height())
    left = min(max(frame.left(), available.left()), available.right() + 1 - width)
    top = min(max(frame.top(), available.top()), available.bottom() + 1 - height)
    return QRect(left, top, width, height)


def first_size(available: QRect) -> QSize:
    """The size of a window opened for the first time: PREFERRED, or SHARE of a smaller screen's free area."""
    return QSize(
        min(PREFERRED.width(), round(available.width() * SHARE)),
        min(PREFERRED.height(), round(available.height() * SHARE)),
    )


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen a widget is on (its parent's for a dialog not shown yet), or the primary screen."""
    parent = widget.parentWidget()
    for candidate in (widget, parent.window() if parent is not None else None):
        if candidate is None:
            continue
        centre = candidate.frameGeometry().center()
        screen = QGuiApplication.screenAt(centre)
        if screen is not None:
            return screen
    return QGuiApplication.primaryScreen()


def _frame_margins(widget: QWidget) -> tuple[int, int]:
    """The width and height the window manager's frame adds to the widget (FRAME_ALLOWANCE before it is shown)."""
    if not widget.isVisible():
        return FRAME_ALLOWANCE.width(), FRAME_ALLOWANCE.height()
    frame, inner = widget.frameGeometry(), widget.geometry()
    return max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height())


def fit_to_screen(widget: QWidget) -> None:
    """Shrink and move a top-level window (frame included) so that all of it is within its screen's free area."""
    screen = screen_of(widget)
    if screen is None:
        return
    available = screen.availableGeometry()
    extra_w, extra_h = _frame_margins(widget)
    frame = widget.frameGeometry()
    wanted = QRect(frame.topLeft(), QSize(widget.width() + extra_w, widget.height() + extra_h))
    fitted = fit_rect(wanted, available)
    minimum = widget.minimumSize()
    size = QSize(max(minimum.width(), fitted.width() - extra_w), max(minimum.height(), fitted.height() - extra_h))
    if size != widget.size():
        widget.resize(size)
    if fitted.topLeft() != frame.topLeft():
        widget.move(fitted.topLeft())


def centre_on(widget: QWidget, available: QRect) -> None:
    """Put a window in the middle of an area."""
    widget.move(available.center() - QPoint(widget.width() // 2, widget.height() // 2))


def clamp_onto_screen(widget: QWidget) -> None:
    """A restored geometry that is partly or wholly off every screen (a monitor unplugged, a smaller screen)
    comes back onto the nearest screen, shrunk to its free area."""
    extra_w, extra_h = _frame_margins(widget)
    frame = QRect(widget.frameGeometry().topLeft(), QSize(widget.width() + extra_w, widget.height() + extra_h))
    screens = QGuiApplication.screens()
    if not screens:
        return
    target = QGuiApplication.screenAt(frame.center())
    if target is None:
        target = min(screens, key=lambda s: (s.geometry().center() - frame.center()).manhattanLength())
    available = target.availableGeometry()
    if available.contains(frame):
        return
    if not available.intersects(frame):
        widget.resize(fit_rect(QRect(QPoint(0, 0), widget.size()), available).size())
        centre_on(widget, available)
    fit_to_screen(widget)


def fit_dialog(dialog: QWidget) -> None:
    """Before a dialog or preview is first shown: no bigger than its screen's free area less a frame (Qt then
    places it over its parent and within the screen)."""
    screen = screen_of(dialog)
    if screen is None:
        return
    room = screen.availableGeometry().size() - FRAME_ALLOWANCE
    size = dialog.size().boundedTo(room).expandedTo(dialog.minimumSize())
    if size != dialog.size():
        dialog.resize(size)
