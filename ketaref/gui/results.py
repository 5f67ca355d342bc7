"""The results list: a model of hits (grouped under category headers when browsing) and its delegate."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..model import CATEGORY_LABELS, Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2
BADGE_TEXT = "Patient handout"
SPANISH_BADGE = "Espa\u00f1ol"  # beside the handout badge of a Spanish handout
PAD = 6
SNIPPET_LINES = 2
TITLE_GAP = 3  # pixels between the title and the category line

Index = QModelIndex | QPersistentModelIndex


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """A colour between a and b (amount 0 gives a, 1 gives b), for tints that follow the palette."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def muted_colour(palette: QPalette, selected: bool) -> QColor:
    """The category line of a result: text eased towards its row's background (still 4.5:1 in both themes)."""
    if selected:
        return mix(palette.color(QPalette.ColorRole.HighlightedText), palette.color(QPalette.ColorRole.Highlight), 0.12)
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.3)


def mark_background(palette: QPalette, selected: bool) -> QColor:
    """Behind a matched word in a snippet: a tint of the highlight, or in a selected row a darker highlight (a
    lighter one would leave too little contrast with the row's light text)."""
    if selected:
        return mix(palette.color(QPalette.ColorRole.Highlight), QColor("#000000"), 0.35)
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.35)


@dataclass(frozen=True)
class Row:
    """A hit, or a category header (hit is None) when browsing."""

    hit: Hit | None
    label: str
    snippet_html: str = ""

    @property
    def plain(self) -> str:
        """What a screen reader says for this row."""
        if self.hit is None:
            return f"{self.label} (category)"
        badge = f", {BADGE_TEXT}" if self.hit.audience == "patient" else ""
        badge += f", {SPANISH_BADGE}" if self.hit.lang == "es" else ""
        snippet = html.unescape(re.sub(r"<[^>]+>", "", self.snippet_html))
        return f"{self.hit.title}, {CATEGORY_LABELS.get(self.hit.category, self.hit.category)}{badge}. {snippet}"


def search_rows(hits: list[Hit]) -> list[Row]:
    """Rows for search hits (their snippets are already HTML-escaped with <mark> around matches)."""
    return [Row(hit, hit.title, hit.snippet) for hit in hits]


def browse_rows(hits: list[Hit]) -> list[Row]:
    """Rows for browsing: a header before each category, the summary as the snippet."""
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.category] = counts.get(hit.category, 0) + 1
    rows: list[Row] = []
    category = None
    for hit in hits:
        if hit.category != category:
            category = hit.category
            rows.append(Row(None, f"{CATEGORY_LABELS.get(category, category)} ({counts[category]})"))
        rows.append(Row(hit, hit.title, hit.snippet))
    return rows


class ResultsModel(QAbstractListModel):
    """The rows of the results list, handed to the view a batch at a time as it scrolls (canFetchMore and
    fetchMore), so browsing a pack of 100,000 cards lays out only the rows on screen and the next batch."""

    BATCH = 400

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.loaded = 0  # rows handed to the view so far

    def set_rows(self, rows: list[Row]) -> None:
        """Replace every row (the view gets the first batch)."""
        self.beginResetModel()
        self.rows = rows
        self.loaded = min(len(rows), self.BATCH)
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.loaded < len(self.rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        self.load_to(self.loaded + self.BATCH - 1)

    def load_to(self, row: int) -> None:
        """Hand the view every row up to row (to select a row not loaded yet)."""
        end = min(len(self.rows), row + 1)
        if end > self.loaded:
            self.beginInsertRows(QModelIndex(), self.loaded, end - 1)
            self.loaded = end
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.loaded

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row.plain
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.hit.title if row.hit else None
        if role == HIT_ROLE:
            return row.hit
        if role == SNIPPET_ROLE:
            return row.snippet_html
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].hit is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def first_hit_row(self) -> int:
        """The row of the first hit, or -1."""
        return next((n for n, row in enumerate(self.rows) if row.hit is not None), -1)


class ResultDelegate(QStyledItemDelegate):
    """Paints a hit as title, category with a text badge for handouts, and the snippet with matches marked."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        return bold, small

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        bold, small = self._fonts(option)
        line = QFontMetrics(option.font).lineSpacing()
        if index.data(HIT_ROLE) is None:
            return QSize(200, QFontMetrics(bold).lineSpacing() + 2 * PAD + 4)
        height = QFontMetrics(bold).lineSpacing() + TITLE_GAP + QFontMetrics(small).lineSpacing() + SNIPPET_LINES * line
        return QSize(200, height + 2 * PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: Hit | None = index.data(HIT_ROLE)
        bold, small = self._fonts(option)
        palette = option.palette
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        painter.save()
        if hit is None:
            painter.setFont(bold)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            text_rect = QRect(rect.left(), rect.top() + 4, rect.width(), rect.height() - 4)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, index.data())
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
            painter.restore()
            return
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = palette.color(text_role)
        muted = muted_colour(palette, selected)
        y = rect.top()
        painter.setFont(bold)
        painter.setPen(text)
        metrics = QFontMetrics(bold)
        title = metrics.elidedText(hit.title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), y, rect.width(), metrics.lineSpacing()), Qt.AlignmentFlag.AlignLeft, title)
        y += metrics.lineSpacing() + TITLE_GAP  # the badge's frame stays clear of the title's descenders
        painter.setFont(small)
        small_metrics = QFontMetrics(small)
        # A handout's badge says what its category would ("Patient handouts"): it stands alone there.
        handout_badge_only = hit.audience == "patient" and hit.category == "handouts"
        label = "" if handout_badge_only else CATEGORY_LABELS.get(hit.category, hit.category)
        painter.setPen(muted)
        line_rect = QRect(rect.left(), y, rect.width(), small_metrics.lineSpacing())
        painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft, label)
        if hit.audience == "patient":
            x = rect.left() + (small_metrics.horizontalAdvance(label) + 8 if label else 0)
            badge = QRect(x, y, small_metrics.horizontalAdvance(BADGE_TEXT) + 12, small_metrics.height() + 1)
            painter.setPen(text)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(badge.adjusted(0, 0, -1, -1), 2, 2)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, BADGE_TEXT)
            if hit.lang == "es":  # a second badge: this handout is the Spanish translation
                width = small_metrics.horizontalAdvance(SPANISH_BADGE) + 12
                spanish = QRect(badge.right() + 6, y, width, badge.height())
                painter.drawRoundedRect(spanish.adjusted(0, 0, -1, -1), 2, 2)
                painter.drawText(spanish, Qt.AlignmentFlag.AlignCenter, SPANISH_BADGE)
        y += small_metrics.lineSpacing()
        self._paint_snippet(
            painter,
            option,
            index.data(SNIPPET_ROLE),
            QRect(rect.left(), y, rect.width(), rect.bottom() - y),
            text,
            selected,
        )
        painter.restore()

    def _paint_snippet(
        self, painter: QPainter, option: QStyleOptionViewItem, snippet: str, rect: QRect, text: QColor, selected: bool
    ) -> None:
        palette = option.palette
        mark_bg = mark_background(palette, selected)
        body = snippet.replace("<mark>", f'<span style="font-weight:bold; background-color:{mark_bg.name()}">').replace(
            "</mark>", "</span>"
        )
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        doc.setHtml(body)
        doc.setTextWidth(rect.width())
        lines = QFontMetrics(option.font).lineSpacing() * SNIPPET_LINES
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text)
        context.clip = QRectF(0, 0, rect.width(), min(rect.height(), lines))
        painter.translate(rect.topLeft())
        painter.setClipRect(context.clip)
        doc.documentLayout().draw(painter, context)


class ResultsView(QListView):
    """A list whose keyboard moves skip category headers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setItemDelegate(ResultDelegate(self))

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        model = self.model()
        if index.isValid() and model is not None and index.data(HIT_ROLE) is None:
            step = (
                -1
                if action in (QAbstractItemView.CursorAction.MoveUp, QAbstractItemView.CursorAction.MovePageUp)
                else 1
            )
            row = index.row()
            while 0 <= row < model.rowCount() and model.index(row, 0).data(HIT_ROLE) is None:
                row += step
            if 0 <= row < model.rowCount():
                return model.index(row, 0)
            return self.currentIndex() if self.currentIndex().isValid() else index
        return index

    def step(self, delta: int) -> None:
        """Move the current hit by delta rows, skipping headers (for Up/Down in the search box)."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        row = self.currentIndex().row() if self.currentIndex().isValid() else (-1 if delta > 0 else model.rowCount())
        row += delta
        while row >= model.rowCount() and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())  # past the rows loaded so far: the next batch
        while 0 <= row < model.rowCount() and model.index(row, 0).data(HIT_ROLE) is None:
            row += 1 if delta > 0 else -1
        if 0 <= row < model.rowCount():
            self.setCurrentIndex(model.index(row, 0))
            self.scrollTo(model.index(row, 0))
