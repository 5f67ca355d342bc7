"""Queries run on a worker thread with its own read-only connection, so typing never waits for search."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..errors import KetarefError
from ..model import Hit, SearchResult
from ..store import Pack, open_pack

log = logging.getLogger(__name__)

RESULT_LIMIT = 50


@dataclass(frozen=True)
class Request:
    """One query: its sequence number (to drop stale answers), the text and the category filter."""

    seq: int
    text: str
    category: str | None = None


@dataclass(frozen=True)
class Answer:
    """A search result, or the browse list when the query is empty."""

    request: Request
    result: SearchResult | None = None
    browse: list[Hit] = field(default_factory=list)
    error: str = ""


class SearchWorker(QObject):
    """Runs only the latest request: requests made while one runs replace each other, and interrupt it."""

    answered = Signal(object)  # Answer

    def __init__(self, pack_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pack_path = pack_path
        self._pending: Request | None = None
        self._running: Pack | None = None  # the pack a query is running on, to interrupt when a newer one comes
        self._interrupted = False
        self._stopping = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="ketaref-search", daemon=True)
        self._thread.start()

    def submit(self, request: Request) -> None:
        """Ask for a query; any request not started yet is dropped, and one running is stopped (its answer is
        stale: the next keystroke must not wait for it)."""
        with self._wake:
            self._pending = request
            if self._running is not None and not self._interrupted:
                self._interrupted = True
                self._running.conn.interrupt()  # SQLite allows this from another thread
            self._wake.notify()

    def stop(self) -> None:
        """End the thread (waits for a running query to finish)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        pack: Pack | None = None
        try:
            while True:
                with self._wake:
                    while self._pending is None and not self._stopping:
                        self._wake.wait()
                    if self._stopping:
                        return
                    request, self._pending = self._pending, None
                if request is None:
                    continue
                try:
                    if pack is None:
                        pack = open_pack(self.pack_path)
                    with self._wake:
                        self._running, self._interrupted = pack, False
                    answer = self._answer(pack, request)
                except KetarefError as exc:
                    answer = Answer(request, error=str(exc))
                except Exception:  # a bug: keep the thread alive for the next keystroke
                    log.exception("Search failed for %r", request.text)
                    answer = Answer(request, error="Search failed unexpectedly; the details are in the log.")
                with self._wake:
                    self._running = None
                    if self._interrupted:
                        continue  # superseded, and stopped half way: the newer request is pending
                self.answered.emit(answer)
        finally:
            if pack is not None:
                pack.close()

    @staticmethod
    def _answer(pack: Pack, request: Request) -> Answer:
        if request.text.strip():
            return Answer(request, result=pack.search(request.text, RESULT_LIMIT, request.category))
        return Answer(request, browse=pack.browse(request.category))
