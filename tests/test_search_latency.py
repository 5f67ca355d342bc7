"""Typing never waits for a superseded query, and the first keystrokes on a big pack take the title index."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketaref.gui.search_worker import Answer, Request, SearchWorker
from ketaref.store import Pack

# A query that runs for minutes unless SQLite is told to stop.
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_a_newer_query_stops_the_one_running(qtbot, pack_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    answer = SearchWorker._answer
    started: list[int] = []

    def slow_first(pack: Pack, request: Request) -> Answer:
        if request.text == "slow":
            started.append(request.seq)
            pack.conn.execute(ENDLESS).fetchone()
        return answer(pack, request)

    monkeypatch.setattr(SearchWorker, "_answer", staticmethod(slow_first))
    worker = SearchWorker(pack_path)
    answers: list[Answer] = []
    worker.answered.connect(answers.append)
    try:
        worker.submit(Request(1, "slow"))
        qtbot.waitUntil(lambda: started == [1])
        worker.submit(Request(2, "blood pressure"))
        qtbot.waitUntil(lambda: any(a.request.seq == 2 for a in answers), timeout=5000)
    finally:
        worker.stop()
    assert [2] == [a.request.seq for a in answers]  # the stale one was dropped, not shown late
    assert answers[0].result is not None
    assert "Blood pressure rise" == answers[0].result.results[0].title


def test_one_or_two_letters_list_the_titles_that_start_with_them(pack: Pack) -> None:
    found = pack.search("bl", limit=1)
    assert ["Blood pressure rise"] == [hit.title for hit in found.results]
    assert ("bl",) == found.terms
    assert [] == [h for h in pack.search("a", limit=1, category="dosing").results if h.category != "dosing"]


def test_an_abbreviation_of_two_letters_still_finds_what_it_stands_for(pack: Pack) -> None:
    assert "safety-blood-pressure" in [hit.id for hit in pack.search("BP", limit=1).results]
