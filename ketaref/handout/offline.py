"""Rich text that loads nothing: no image, stylesheet or file a card's HTML names is read from disk or network.

Stored HTML is sanitised (no <img> survives), and this is the second wall: the card view and the printed
document both answer every resource request with an empty image or text, so `<img src="/dev/zero">` or a
file:, http: or UNC address reads nothing. Imports Qt: only the window and the printer use it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

log = logging.getLogger(__name__)


def no_resource(kind: int, url: QUrl | str) -> QImage | str:
    """What any resource a card names loads as: an empty image, or an empty text (never a file or a download)."""
    log.info("Not loading %s named in a card", (url.toString() if isinstance(url, QUrl) else url)[:200])
    return QImage() if kind == QTextDocument.ResourceType.ImageResource.value else ""


class OfflineDocument(QTextDocument):
    """A QTextDocument that loads no resource (for printing and PDF)."""

    def loadResource(self, kind: int, name: QUrl | str, /) -> QImage | str:  # noqa: N802 (Qt's name)
        """Every resource loads as nothing."""
        return no_resource(kind, name)
