"""The card view: the rendered card, its section outline, zoom and links; find in card is in find_in_card.py."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRegularExpression,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QFont, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import LANG_LABELS, Card
from ..render import card_document
from .browser import OfflineBrowser, stylesheet
from .find_bar import FindBar
from .find_in_card import FindInCard
from .outline import outline
from .settings import ZOOM_RANGE

log = logging.getLogger(__name__)

EXTERNAL_SCHEMES = ("http", "https")
ZOOM_STEP = 0.1
WELCOME = (
    "<h1>KetaRef</h1><p>Type in the search box to find a card: a word, a drug or brand name, an abbreviation "
    "(TRD, BP, SI) or a lay word. Results follow each keystroke; <b>Down</b> and <b>Up</b> move through them "
    "and <b>Enter</b> opens one.</p><p>With an empty search box the list shows every card by category.</p>"
    "<p>Help &gt; Keyboard shortcuts lists every shortcut.</p>"
)


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped outline entries (a tree view does not wrap by itself)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        tree = self.parent()
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        assert isinstance(tree, _Outline)
        width = max(40, tree.viewport_width - depth * tree.indentation() - 8)
        text = str(index.data() or "")
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(width, bounds.height() + 4)


class _Outline(QTreeWidget):
    """The card's sections: h3 under their h2, long headings wrapped."""

    def __init__(self) -> None:
        super().__init__()
        # Kept from the viewport's resize events: asking viewport() for it makes PySide look up the Python
        # class of the plain QWidget it returns among every widget class, which costs milliseconds at start-up.
        self.viewport_width = 200
        self.setAccessibleName("Sections of this card")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(14)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setItemDelegate(_WrappingDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Wrap again at the new width (a scroll area's resize event is its viewport's)."""
        self.viewport_width = event.size().width()
        super().resizeEvent(event)
        self.doItemsLayout()


class CardView(FindInCard):
    """Shows one card; card: links ask the window to open a card, http(s) links open the browser on click."""

    card_link = Signal(str)  # a card id
    message = Signal(str)  # a status-bar message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card: Card | None = None
        self.versions: list[Card] = []  # the shown card in each language the pack holds (none: no translation)
        self._left_at: dict[str, int] = {}  # per card id, where it was left this session (for Back)
        self._titles: Mapping[str, str] = {}
        self._zoom = 0
        self._find_text = ""
        # The search's words marked in a card opened from the results: the find bar's text while they are marked,
        # and the expression that finds them (each word start, synonyms too).
        self._words_text = ""
        self._words = QRegularExpression()
        self.browser = OfflineBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName("Card")
        self.browser.anchorClicked.connect(self._link)
        self.browser.highlighted.connect(self._hover)
        self.outline = _Outline()
        self.outline.itemActivated.connect(self._jump)
        self.outline.itemClicked.connect(self._jump)
        outline_label = QLabel("On this &card")
        outline_label.setBuddy(self.outline)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 0, 0)
        side_layout.addWidget(outline_label)
        side_layout.addWidget(self.outline, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.find_bar.find_requested.connect(self.find_text)
        self.find_bar.closed.connect(self.close_find)
        # "English | Español" above a card that has a translation: printing and export follow the one shown.
        self.language_bar = QWidget()
        self.language_bar.setAccessibleName("Language")
        bar_layout = QHBoxLayout(self.language_bar)
        bar_layout.setContentsMargins(4, 0, 0, 2)
        self.language_buttons: dict[str, QToolButton] = {}
        for n, (lang, label) in enumerate(LANG_LABELS.items()):
            if n:
                bar_layout.addWidget(QLabel("|"))
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setAccessibleName(f"Show this card in {label}")
            button.clicked.connect(lambda _checked=False, lang=lang: self.show_language(lang))
            bar_layout.addWidget(button)
            self.language_buttons[lang] = button
        bar_layout.addStretch(1)
        self.language_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.addWidget(self.language_bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.find_bar)
        self._render()

    # -- content

    def show_card(
        self, card: Card, titles: Mapping[str, str], resume: bool = False, versions: list[Card] | None = None
    ) -> None:
        """Show a card from its top, or (resume, for Back and Forward) where it was left in this session;
        versions: the card in each language (translations.languages), for the English | Español switch."""
        if self.card is not None:
            self._left_at[self.card.id] = self.top_position()
        self._unmark_words()
        self.card = card
        self.versions = versions if versions and len(versions) > 1 else []
        self._update_language_bar()
        self._titles = titles
        self._render()
        if resume and card.id in self._left_at:
            self.scroll_to_position(self._left_at[card.id])
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self.find_text(self.find_bar.edit.text(), 0)

    def show_language(self, lang: str) -> None:
        """Show the shown card's version in another language (English or Español) in its place."""
        found = next((c for c in self.versions if c.lang == lang), None)
        if found is None or self.card is None or found.id == self.card.id:
            self._update_language_bar()
            return
        self._left_at[self.card.id] = self.top_position()
        self._unmark_words()
        self.card = found
        self._update_language_bar()
        self._render()
        self.message.emit(f"Showing {found.title}")

    def _update_language_bar(self) -> None:
        shown = {c.lang for c in self.versions}
        self.language_bar.setVisible(bool(self.versions))
        for lang, button in self.language_buttons.items():
            button.setVisible(lang in shown)
            button.setChecked(self.card is not None and self.card.lang == lang)

    def top_position(self) -> int:
        """Where the text at the top of the view starts (a position in the document)."""
        return self.browser.cursorForPosition(QPoint(0, 0)).position()

    def scroll_to_position(self, position: int) -> None:
        """Scroll so that the text at this position is at the top of the view."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(min(position, self.browser.document().characterCount() - 1))
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + self.browser.cursorRect(cursor).top())

    def clear(self) -> None:
        """Show the welcome page instead of a card."""
        self.card = None
        self.versions = []
        self._update_language_bar()
        self._render()

    def _render(self) -> None:
        document = self.browser.document()
        document.setDefaultStyleSheet(stylesheet(self.palette()))
        self._apply_zoom()
        if self.card is None:
            self.browser.setHtml(WELCOME)
            self._fill_outline("")
            return
        body = card_document(self.card, self._titles, review_due=self.card.review_due())
        self.browser.setHtml(body)
        self._fill_outline(body)

    def _fill_outline(self, body: str) -> None:
        self.outline.clear()
        parent: QTreeWidgetItem | None = None
        for section in outline(body):
            under = parent if section.level == 3 and parent is not None else None
            item = QTreeWidgetItem([section.text]) if under is None else QTreeWidgetItem(under, [section.text])
            item.setData(0, Qt.ItemDataRole.UserRole, section.anchor)
            item.setToolTip(0, section.text)
            if under is None:
                self.outline.addTopLevelItem(item)
                parent = item if section.level == 2 else None
        self.outline.expandAll()

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.browser.scrollToAnchor(item.data(0, Qt.ItemDataRole.UserRole))

    def changeEvent(self, event: QEvent) -> None:
        """Re-render with the new palette when the theme or the system switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            scroll = self.browser.verticalScrollBar().value()
            self._render()
            self.rehighlight()  # rendering again drops the marks of the search's words and of Find in card
            self.browser.verticalScrollBar().setValue(scroll)

    # -- links

    def _link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == "card":
            self.card_link.emit(url.path())
        elif scheme in EXTERNAL_SCHEMES:
            self.message.emit(f"Opening {url.toString()} in the web browser")
            QDesktopServices.openUrl(url)
        elif not scheme and url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())
        else:
            self.message.emit(f"Not followed: {url.toString()} (only web and card links open)")

    def _hover(self, url: QUrl) -> None:
        if url.scheme() == "card":
            self.message.emit(f"Open card: {self._titles.get(url.path(), url.path())}")
        else:
            self.message.emit(url.toString())

    # -- zoom

    @property
    def zoom(self) -> int:
        """Zoom steps from the normal size (each is 10%)."""
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        """Set the card text size in steps of 10%, within the allowed range."""
        self._zoom = max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], steps))
        reading = self.top_position()
        self._apply_zoom()
        self.scroll_to_position(reading)  # the same text stays at the top
        self.message.emit(f"Zoom {round(100 * (1 + ZOOM_STEP * self._zoom))}%")

    def _apply_zoom(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * (1 + ZOOM_STEP * self._zoom))
        self.browser.document().setDefaultFont(font)
