"""Opening packs: read-only, verified, and a plain message for every bad or foreign file."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from ketaref.errors import NotFoundError, PackError
from ketaref.model import Source
from ketaref.store import Pack, open_pack


def assert_plain(message: str) -> None:
    """One sentence on one line, with no traceback or Python internals in it."""
    assert "\n" not in message
    assert "Traceback" not in message and 'File "' not in message and "Error(" not in message
    assert message.endswith(".")
    assert not re.search(r"[.!?] [A-Z]", message), message


def pack_error(path: Path) -> str:
    with pytest.raises(PackError) as raised:
        open_pack(path)
    message = str(raised.value)
    assert_plain(message)
    return message


def test_open_reads_the_meta(pack: Pack) -> None:
    info = pack.info()
    assert (1, "1.0", 4) == (info["schema_version"], info["content_version"], info["cards"])
    assert "1.0" == pack.content_version


def test_categories_follow_the_mission_order(pack: Pack) -> None:
    assert {"dosing": 1, "safety": 1, "contraindications": 1, "handouts": 1} == pack.categories()
    assert ["dosing", "safety", "contraindications", "handouts"] == list(pack.categories())


def test_card_is_read_back_whole(pack: Pack) -> None:
    card = pack.card("dose-iv-ketamine")
    assert "IV ketamine dosing for depression" == card.title
    assert ("dosing", "clinician") == (card.category, card.audience)
    assert "Racemic ketamine 0.5 mg/kg IV over 40 minutes is the studied dose." == card.summary
    assert dt.date(2026, 11, 20) == card.reviewed
    assert ("infusion", "mg/kg", "Ketalar") == card.keywords
    assert ("safety-blood-pressure",) == card.related
    assert (Source("Berman RM, et al. Biol Psychiatry. 2000;47(4):351-354.", pmid="10686270"),) == card.sources
    assert "https://pubmed.ncbi.nlm.nih.gov/10686270/" == card.sources[0].link()
    assert "<table>" in card.body_html


def test_an_unknown_id_suggests_the_nearest_and_case_does_not_matter(pack: Pack) -> None:
    with pytest.raises(NotFoundError, match="Did you mean dose-iv-ketamine"):
        pack.card("dose-iv-ketamin")
    assert "dose-iv-ketamine" == pack.card("DOSE-IV-Ketamine ").id


def test_unknown_card_id_names_the_id(pack: Pack) -> None:
    with pytest.raises(NotFoundError) as raised:
        pack.card("no-such-card")
    assert "no-such-card" in str(raised.value)
    assert_plain(str(raised.value))


def test_browse_lists_cards_in_category_order(pack: Pack) -> None:
    assert ["dose-iv-ketamine", "safety-blood-pressure", "contra-absolute", "handout-after-treatment"] == [
        h.id for h in pack.browse()
    ]
    assert ["handout-after-treatment"] == [h.id for h in pack.browse(audience="patient")]


def test_every_snippet_is_escaped_html(source_dir: Path, tmp_path: Path) -> None:
    from cardtext import write_card

    from ketaref.pack import build

    summary = "Keep systolic BP < 180 & diastolic < 110 before a session."
    write_card(source_dir, "safety-bp-limits", "safety", title="BP limits", summary=summary, body="Recheck at 40 min.")
    build(source_dir, tmp_path / "p.sqlite")
    escaped = "Keep systolic BP &lt; 180 &amp; diastolic &lt; 110 before a session."
    with open_pack(tmp_path / "p.sqlite") as pack:
        assert escaped == next(h.snippet for h in pack.browse() if h.id == "safety-bp-limits")
        marked = next(h.snippet for h in pack.search("systolic").results if h.id == "safety-bp-limits")
        assert "Keep <mark>systolic</mark> BP &lt; 180 &amp; diastolic &lt; 110" in marked


def test_opening_and_searching_does_not_change_the_file(pack_path: Path) -> None:
    before = pack_path.read_bytes()
    with open_pack(pack_path) as opened:
        opened.search("blood pressure")
        opened.card("dose-iv-ketamine")
        opened.verify()
    assert before == pack_path.read_bytes()
    assert [pack_path.name] == [p.name for p in pack_path.parent.iterdir() if p.name.startswith(pack_path.name)]


def test_the_pack_is_opened_read_only(pack: Pack) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        pack.conn.execute("DELETE FROM cards")


def test_missing_file(tmp_path: Path) -> None:
    assert f"No pack file at {tmp_path / 'none.sqlite'}." == pack_error(tmp_path / "none.sqlite")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert "is a folder" in pack_error(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    assert "empty" in pack_error(path)


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.sqlite"
    path.write_bytes(random.Random(1).randbytes(8192))
    assert "not a KetaRef pack" in pack_error(path)


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("These are not the cards you are looking for.\n" * 10, "utf-8")
    assert "not a KetaRef pack" in pack_error(path)


def test_truncated_file(pack_path: Path, tmp_path: Path) -> None:
    data = pack_path.read_bytes()
    path = tmp_path / "half.sqlite"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated" in pack_error(path)


def test_foreign_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE patients (name TEXT)")
    conn.commit()
    conn.close()
    assert "not a KetaRef pack" in pack_error(path)


def test_foreign_database_with_a_meta_table(tmp_path: Path) -> None:
    path = tmp_path / "other-app.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("CREATE TABLE cards (id TEXT)")
    conn.commit()
    conn.close()
    pack_error(path)


def copy_with(pack_path: Path, tmp_path: Path, *statements: str) -> Path:
    path = tmp_path / "changed.sqlite"
    shutil.copy(pack_path, path)
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


def test_newer_schema(pack_path: Path, tmp_path: Path) -> None:
    path = copy_with(
        pack_path, tmp_path, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", "PRAGMA user_version = 99"
    )
    assert "newer KetaRef" in pack_error(path)


def test_pack_missing_a_table(pack_path: Path, tmp_path: Path) -> None:
    assert "sources" in pack_error(copy_with(pack_path, tmp_path, "DROP TABLE sources"))


def test_schema_version_and_user_version_disagree(pack_path: Path, tmp_path: Path) -> None:
    pack_error(copy_with(pack_path, tmp_path, "PRAGMA user_version = 0"))


@pytest.mark.parametrize("where", [0.3, 0.5, 0.7])
def test_a_damaged_page_read_later_is_a_plain_error_not_a_crash(
    shipped_pack_path: Path, tmp_path: Path, where: float
) -> None:
    # A disk or copy fault inside the file: the pack still opens, but some cards cannot be read. SQLite's message
    # for a damaged text quotes the text, many lines of it: the error stays one short line.
    damaged = tmp_path / "damaged.sqlite"
    shutil.copy(shipped_pack_path, damaged)
    ids = list(open_pack(shipped_pack_path).titles())
    with damaged.open("r+b") as handle:
        handle.seek(int(damaged.stat().st_size * where) // 4096 * 4096)
        handle.write(b"\xff" * 4096)
    failures = []
    with open_pack(damaged) as pack:
        for card_id in ids:
            try:
                pack.card(card_id)
            except PackError as exc:
                failures.append(str(exc))
    assert failures, "the damage should reach at least one card"
    for message in failures:
        assert message.endswith("copy or build it again.") and "\n" not in message and len(message) < 300, message


def test_a_failed_integrity_check_is_reported_in_one_line(shipped_pack_path: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "zeroed.sqlite"
    shutil.copy(shipped_pack_path, damaged)
    with damaged.open("r+b") as handle:
        handle.seek(4 * 4096)  # page 5: an index page SQLite only reads when checking every page
        handle.write(b"\0" * 4096)
    with pytest.raises(PackError) as caught:
        open_pack(damaged).verify()
    message = str(caught.value)
    assert "\n" not in message and "***" not in message, message
    assert message.endswith("copy or build it again.")
