"""Hostile packs (issue 20, points 3-5): each attack of the reliability report, made here from the fixture pack.

Every pack is the good fixture pack with a few rows or schema entries changed with sqlite3, as anyone who can
write to the shared updates folder could. What must hold: the update review lists every change, stored HTML is
cleaned again and loads nothing, and no pack hangs, crashes or pins a workstation; the CLI says one line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from ketaref import pack_guard, store
from ketaref.errors import CardError, PackError
from ketaref.store import open_pack
from ketaref.updates import find_update, install_update

CARD = "dose-iv-ketamine"
KETAREF = Path(sys.executable).parent / "ketaref"


def hostile(good: Path, out: Path, *sql: str, version: str | None = "1.1", writable_schema: bool = False) -> Path:
    """A copy of the good pack at out with these SQL statements run on it (and this content version)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(good, out)
    conn = sqlite3.connect(out)
    if writable_schema:
        conn.execute("PRAGMA writable_schema = ON")
    for statement in sql:
        conn.execute(statement)
    if version is not None:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'content_version'", (version,))
    conn.commit()
    conn.close()
    return out


def cli(pack: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real `ketaref --pack PACK ...` (a traceback would show on its stderr)."""
    return subprocess.run(
        [str(KETAREF), "--pack", str(pack), *args], capture_output=True, text=True, timeout=timeout, env=os.environ
    )


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The CLI failed with exit 1 and one plain line on stderr holding these words; that line."""
    assert 1 == result.returncode, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert 1 == len(lines), result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def update_folder(tmp_path: Path, packs: Iterable[Path]) -> Path:
    folder = tmp_path / "updates"
    folder.mkdir(exist_ok=True)
    for pack in packs:
        shutil.move(pack, folder / pack.name)
    return folder


# ------------------------------------------------------------------ 3. what is reviewed is what is shown

CHANGES = {
    "title": f"UPDATE cards SET title = 'IV ketamine dosing (changed)' WHERE id = '{CARD}'",
    "summary": f"UPDATE cards SET summary = 'Racemic ketamine 5 mg/kg IV.' WHERE id = '{CARD}'",
    "body": f"UPDATE cards SET body = replace(body, '0.5 mg/kg', '5 mg/kg') WHERE id = '{CARD}'",
    "body_html": f"UPDATE cards SET body_html = replace(body_html, '0.5 mg/kg', '5 mg/kg') WHERE id = '{CARD}'",
    "body_text": f"UPDATE cards SET body_text = replace(body_text, '0.5 mg/kg', '5 mg/kg') WHERE id = '{CARD}'",
    "keywords": f"UPDATE cards SET keywords = 'infusion, Ketalar' WHERE id = '{CARD}'",
    "reviewed": f"UPDATE cards SET reviewed = '2026-12-01' WHERE id = '{CARD}'",
    "sources": f"UPDATE sources SET cite = 'Someone else. 2001.' WHERE card_id = '{CARD}'",
    "links": f"DELETE FROM links WHERE from_id = '{CARD}'",
}


@pytest.mark.parametrize("column", sorted(CHANGES))
def test_a_change_in_any_shown_column_lists_the_card_as_changed(pack_path: Path, tmp_path: Path, column: str) -> None:
    changed = hostile(pack_path, tmp_path / "made" / "u.sqlite", CHANGES[column])
    update = find_update(update_folder(tmp_path, [changed]), pack_path)
    assert update is not None
    assert (CARD,) == update.changes.changed
    assert "Changed: none" not in update.changes.text()


def test_a_dose_changed_only_in_the_html_is_reviewed_as_changed_and_shown_as_reviewed(
    pack_path: Path, tmp_path: Path
) -> None:
    sql = f"UPDATE cards SET body_html = replace(body_html, '0.5 mg/kg', '50 mg/kg') WHERE id = '{CARD}'"
    update = find_update(
        update_folder(tmp_path, [hostile(pack_path, tmp_path / "m" / "htmlonly.sqlite", sql)]), pack_path
    )
    assert update is not None and (CARD,) == update.changes.changed
    with open_pack(install_update(update, tmp_path / "data")) as installed:
        assert "50 mg/kg" in installed.card(CARD).body_html  # the change the review listed is the one installed


def _wal_pack(good: Path, made: Path) -> Path:
    """A WAL-mode pack whose main file has the dose changed and whose -wal beside it puts the good text back."""
    work = made / "work.sqlite"
    shutil.copyfile(good, work)
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("UPDATE meta SET value = '1.1' WHERE key = 'content_version'")
    original = conn.execute("SELECT body_html FROM cards WHERE id = ?", (CARD,)).fetchone()[0]
    conn.execute("UPDATE cards SET body_html = replace(body_html, '0.5 mg/kg', '50 mg/kg') WHERE id = ?", (CARD,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the dose change is in the main file
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE cards SET body_html = ? WHERE id = ?", (original, CARD))
    conn.commit()  # the good text only in the -wal
    shutil.copyfile(work, made / "walhide.sqlite")
    shutil.copyfile(f"{work}-wal", made / "walhide.sqlite-wal")
    conn.close()
    return made / "walhide.sqlite"


def test_a_wal_beside_an_update_is_neither_read_nor_made_and_the_review_shows_what_is_installed(
    pack_path: Path, tmp_path: Path
) -> None:
    made = tmp_path / "made"
    made.mkdir()
    wal_pack = _wal_pack(pack_path, made)
    folder = tmp_path / "updates"
    folder.mkdir()
    shutil.move(wal_pack, folder / "walhide.sqlite")
    shutil.move(f"{wal_pack}-wal", folder / "walhide.sqlite-wal")
    wal_before = (folder / "walhide.sqlite-wal").read_bytes()
    update = find_update(folder, pack_path)
    assert update is not None
    assert (CARD,) == update.changes.changed  # the main file's change, not the -wal's "no change"
    assert not (folder / "walhide.sqlite-shm").exists()  # nothing written into the shared folder
    assert wal_before == (folder / "walhide.sqlite-wal").read_bytes()
    with open_pack(folder / "walhide.sqlite") as direct:  # the window, the CLI: the main file only
        assert "50 mg/kg" in direct.card(CARD).body_html
    with open_pack(install_update(update, tmp_path / "data")) as installed:
        assert "50 mg/kg" in installed.card(CARD).body_html
    assert not (folder / "walhide.sqlite-shm").exists()


def test_an_update_replaced_after_its_review_is_not_installed(pack_path: Path, tmp_path: Path) -> None:
    sql = CHANGES["summary"]
    folder = update_folder(tmp_path, [hostile(pack_path, tmp_path / "m" / "u.sqlite", sql)])
    update = find_update(folder, pack_path)
    assert update is not None
    hostile(pack_path, folder / "u.sqlite", CHANGES["body_html"])  # swapped after the review
    from ketaref.errors import UpdateError

    with pytest.raises(UpdateError, match="changed after it was reviewed"):
        install_update(update, tmp_path / "data")


# ------------------------------------------------------------------ 4. stored HTML is never trusted

PAYLOAD = (
    '<img src="/dev/zero"><img src="file:///etc/hostname"><img width="20000" height="20000" src="x.png">'
    '<p style="color:#fff;background:#fff">WHITE-ON-WHITE 560 mg</p><style>p { display: none }</style>'
    '<p><span class="meta due">muted</span> <a href="http://127.0.0.1:8799/phish">https://www.spravato.com/rems</a></p>'
    '<p><a href="javascript:alert(1)">JS-LINK</a> <a href="file:///etc/passwd">FILE-LINK</a></p>'
    '<script>alert("x")</script><iframe src="http://127.0.0.1:8799/frame"></iframe><b onclick="steal()">bold</b>'
    '<table><tr><td colspan="100000">wide</td></tr></table>'
)


@pytest.fixture
def html_pack(pack_path: Path, tmp_path: Path) -> Path:
    """The fixture pack with hostile HTML in one card's body_html and a javascript: source address."""
    return hostile(
        pack_path,
        tmp_path / "hostile" / "html.sqlite",
        f"UPDATE cards SET body_html = body_html || '{PAYLOAD}' WHERE id = '{CARD}'",
        f"UPDATE sources SET url = 'javascript:alert(2)' WHERE card_id = '{CARD}'",
    )


def assert_clean(html_text: str) -> None:
    """No image, style, script, frame, handler, hidden class or non-web link; the phishing link shows its target."""
    lowered = html_text.lower()
    for bad in (
        "<img",
        "style=",
        "<style",
        "<script",
        "<iframe",
        "onclick",
        'href="javascript',
        'href="file',
        '<span class="meta',
    ):
        assert bad not in lowered, bad
    assert "100000" not in html_text
    assert ">https://www.spravato.com/rems<" not in html_text  # the text no longer shows another address
    assert '<a href="http://127.0.0.1:8799/phish">http://127.0.0.1:8799/phish</a>' in html_text
    assert "WHITE-ON-WHITE 560 mg" in html_text  # the text itself stays, shown plainly


def test_stored_html_is_sanitised_when_read(html_pack: Path) -> None:
    with open_pack(html_pack) as pack:
        card = pack.card(CARD)
    assert_clean(card.body_html)
    assert "Give 0.5 mg/kg over 40 minutes." in card.body_html  # the good content is untouched


def test_show_html_prints_sanitised_html(html_pack: Path) -> None:
    result = cli(html_pack, "show", CARD, "--format", "html")
    assert 0 == result.returncode, result.stderr
    assert_clean(result.stdout)
    assert "javascript:alert(2)" in result.stdout  # the source address is shown as text...
    assert 'href="javascript' not in result.stdout  # ...never as a link


def test_the_pdf_has_only_web_links_and_no_blank_pages(html_pack: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "card.pdf"
    result = cli(html_pack, "handout", CARD, "--output", str(out))
    assert 0 == result.returncode, result.stderr
    reader = PdfReader(str(out))
    assert len(reader.pages) <= 3  # a 20000 px image made 29 pages
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    assert uris, "the web links stay links"
    assert all(uri.startswith(("http://", "https://")) for uri in uris), uris
    text = "".join(page.extract_text() for page in reader.pages)
    assert "JS-LINK" in text and "FILE-LINK" in text  # the words stay, without their links
    assert "WHITE-ON-WHITE" in text


def test_the_card_view_and_the_printer_load_no_resource(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    from ketaref.gui.card_view import CardView
    from ketaref.handout.offline import OfflineDocument

    image = tmp_path / "probe.png"
    picture = QImage(40, 30, QImage.Format.Format_RGB32)
    picture.fill(0)
    assert picture.save(str(image))
    view = CardView()
    qtbot.addWidget(view)
    printed = OfflineDocument()
    kind = QTextDocument.ResourceType.ImageResource.value
    for source in (image.as_uri(), str(image), "/dev/zero", "http://127.0.0.1:8799/beacon.png"):
        html_text = f'<p>before</p><img src="{source}"><p>after</p>'
        view.browser.setHtml(html_text)
        printed.setHtml(html_text)
        for document in (view.browser.document(), printed):
            loaded = document.resource(kind, QUrl(source))
            assert not isinstance(loaded, QImage) or loaded.isNull(), source  # a plain view would get 40x30
            assert "before" in document.toPlainText() and "after" in document.toPlainText()


def test_the_window_shows_the_hostile_card_cleaned(make_window, html_pack: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(html_pack)
    window.open_card(CARD)
    view = window.card_view
    assert view.card is not None and CARD == view.card.id
    shown = view.browser.toHtml()
    assert "<img" not in shown and 'href="javascript' not in shown and 'href="file' not in shown
    assert "WHITE-ON-WHITE 560 mg" in view.browser.toPlainText()


# ------------------------------------------------------------------ 5. a pack cannot hang or crash the app

ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT"


def test_an_endless_view_named_cards_is_refused_at_once(pack_path: Path, tmp_path: Path) -> None:
    columns = ", ".join(
        f"'x' || x AS {name}" for name in ("id", "title", "category", "audience", "summary", "body", "body_text",
                                            "body_html", "keywords", "reviewed", "related", "path")
    )  # fmt: skip
    made = hostile(
        pack_path,
        tmp_path / "view-infinite.sqlite",
        "ALTER TABLE cards RENAME TO cards_real",
        f"CREATE VIEW cards AS {ENDLESS} {columns}, x AS category_order FROM n",
    )
    started = time.monotonic()
    with pytest.raises(PackError, match="view"):
        open_pack(made)
    for args in (("info",), ("search", "dose"), ("show", CARD)):
        one_line_error(cli(made, *args, timeout=30), "refused")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "sql, word",
    [
        ("CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END", "trigger"),
        ("CREATE TABLE patients (name TEXT, dob TEXT)", "patients"),
        ("CREATE VIEW extra AS SELECT * FROM cards", "view"),
        ("CREATE INDEX odd ON cards(summary)", "index"),
        ("ALTER TABLE cards ADD COLUMN extra TEXT", "extra"),
    ],
)
def test_a_pack_with_more_than_a_packs_schema_is_refused(pack_path: Path, tmp_path: Path, sql: str, word: str) -> None:
    made = hostile(pack_path, tmp_path / "odd.sqlite", sql)
    with pytest.raises(PackError, match="refused") as caught:
        open_pack(made)
    assert word in str(caught.value) and "\n" not in str(caught.value)


def test_a_foreign_tokenizer_is_refused(pack_path: Path, tmp_path: Path) -> None:
    made = hostile(
        pack_path,
        tmp_path / "tokenizer.sqlite",
        "UPDATE sqlite_master SET sql = replace(sql, 'unicode61 remove_diacritics 2', 'evil_tokenizer') "
        "WHERE name = 'cards_fts'",
        writable_schema=True,
    )
    one_line_error(cli(made, "search", "dose"), "refused", "search index")


def test_a_slow_query_is_stopped_with_a_plain_error(pack_path: Path, tmp_path: Path) -> None:
    rows = (
        f"INSERT INTO cards (id, title, category, audience, summary, body, body_text, body_html, keywords, reviewed, "
        f"related, category_order, path) {ENDLESS} 'junk-' || x, 'Junk ' || x, 'dosing', 'clinician', 's', 'b', 'b', "
        f"'<p>b</p>', '', '2026-01-01', '[]', 2, '' FROM n LIMIT 300000"
    )
    made = hostile(pack_path, tmp_path / "slow.sqlite", rows)
    with open_pack(made) as pack:
        assert 300_004 == sum(pack.categories().values())  # the default limit lets a big pack be read
    with open_pack(made) as pack:
        pack.time_limit.limit = 0.01
        started = time.monotonic()
        with pytest.raises(PackError, match=r"took too long to read \(over 0.01 s\); it may be damaged or hostile"):
            pack.browse()
        assert time.monotonic() - started < 2
        assert "IV ketamine dosing for depression" == pack.card(CARD).title  # a quick query still works


BAD_ROWS = {
    "reviewed": "UPDATE cards SET reviewed = 'not-a-date' WHERE id = '{card}'",
    "related": "UPDATE cards SET related = '{{not json' WHERE id = '{card}'",
    "keywords": "UPDATE cards SET keywords = NULL WHERE id = '{card}'",
    "title": "UPDATE cards SET title = NULL WHERE id = '{card}'",
    "summary": "UPDATE cards SET summary = X'414243' WHERE id = '{card}'",
    "source cite": "UPDATE sources SET cite = NULL WHERE card_id = '{card}'",
}


@pytest.mark.parametrize("column", sorted(BAD_ROWS))
def test_a_bad_row_is_one_line_naming_the_card(pack_path: Path, tmp_path: Path, column: str) -> None:
    made = hostile(pack_path, tmp_path / "badrows.sqlite", BAD_ROWS[column].format(card=CARD))
    with open_pack(made) as pack:
        with pytest.raises(PackError, match=f"card '{CARD}' has a bad {column} value"):
            pack.card(CARD)
        assert "Racemic" not in pack.card("safety-blood-pressure").summary  # another card opens
    for args in (("show", CARD), ("show", CARD, "--format", "html"), ("handout", CARD, "--output", "x.pdf")):
        one_line_error(cli(made, *args), CARD, column)


def test_bad_rows_never_break_every_search(pack_path: Path, tmp_path: Path) -> None:
    made = hostile(
        pack_path,
        tmp_path / "nullsyn.sqlite",
        "UPDATE synonyms SET tokens = NULL WHERE rowid = (SELECT min(rowid) FROM synonyms)",
        f"UPDATE cards SET title = NULL, reviewed = 'not-a-date' WHERE id = '{CARD}'",
    )
    result = cli(made, "search", "blood pressure")
    assert 0 == result.returncode, result.stderr
    assert "Traceback" not in result.stderr
    assert "safety-blood-pressure" in result.stdout or "Blood pressure" in result.stdout
    result = cli(made, "search", "infusion")  # the damaged card is found and named as damaged
    assert 0 == result.returncode, result.stderr
    assert f"(damaged card {CARD})" in result.stdout


def test_a_huge_card_is_refused_at_build_and_at_open(pack_path: Path, source_dir: Path, tmp_path: Path) -> None:
    from ketaref.pack import build
    from ketaref.schema import MAX_BODY_BYTES

    card = source_dir / "cards" / "dosing" / f"{CARD}.md"
    card.write_text(card.read_text("utf-8") + "\n" + "Huge text. " * (MAX_BODY_BYTES // 11 + 10), "utf-8")
    with pytest.raises(CardError) as caught:
        build(source_dir, tmp_path / "huge-built.sqlite")
    assert any("larger than the limit" in p.message for p in caught.value.problems)
    assert not (tmp_path / "huge-built.sqlite").exists()
    big = f"replace(hex(zeroblob({MAX_BODY_BYTES // 2})), '0', 'a') || 'x'"  # one byte over the limit
    for column in ("body", "title", "summary"):
        made = hostile(
            pack_path, tmp_path / f"big-{column}.sqlite", f"UPDATE cards SET {column} = {big} WHERE id = '{CARD}'"
        )
        with pytest.raises(PackError, match=f"card '{CARD}' is larger than the limit of 1,000,000 bytes"):
            open_pack(made)
    one_line_error(cli(made, "search", "dose"), "larger than the limit")
    # 100 MB in one card (the report's bigbody): refused as soon as any query meets it, without reading it.
    huge = f"replace(hex(zeroblob({50 * MAX_BODY_BYTES})), '0', 'a')"
    made = hostile(pack_path, tmp_path / "bigbody.sqlite", f"UPDATE cards SET body_text = {huge} WHERE id = '{CARD}'")
    started = time.monotonic()
    with pytest.raises(PackError, match="larger than the limit"):
        open_pack(made)
    assert time.monotonic() - started < 5
    one_line_error(cli(made, "show", "safety-blood-pressure"), "larger than the limit")


def test_a_huge_card_in_a_big_pack_is_refused_when_read_and_at_verify(
    pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketaref.schema import MAX_BODY_BYTES

    big = f"replace(hex(zeroblob({MAX_BODY_BYTES // 2})), '0', 'a') || 'x'"
    made = hostile(pack_path, tmp_path / "big.sqlite", f"UPDATE cards SET body = {big} WHERE id = '{CARD}'")
    monkeypatch.setattr(pack_guard, "SIZE_SCAN_BYTES", 1000)  # as if the pack were a big one of many cards
    monkeypatch.setattr(pack_guard, "SCAN_BYTES_PER_CARD", 10**9)
    with open_pack(made) as pack:
        with pytest.raises(PackError, match="is larger than the limit"):
            pack.card(CARD)
        with pytest.raises(PackError, match="is larger than the limit"):
            pack.verify()
        assert pack.card("safety-blood-pressure").title


def test_a_content_version_far_in_the_future_is_refused_and_does_not_pin_updates(
    pack_path: Path, tmp_path: Path
) -> None:
    pin = hostile(pack_path, tmp_path / "made" / "foreign-2099.1.1.sqlite", version="2099.1.1")
    with pytest.raises(PackError, match="2099.1.1 is dated more than a year after today"):
        open_pack(pin)
    one_line_error(cli(pin, "info"), "2099.1.1")
    genuine = hostile(pack_path, tmp_path / "made" / "genuine.sqlite", CHANGES["summary"], version="2026.12.1")
    update = find_update(update_folder(tmp_path, [pin, genuine]), pack_path)
    assert update is not None and "2026.12.1" == update.content_version  # the pin is skipped, the genuine one offered


def test_a_content_version_within_a_year_is_accepted(pack_path: Path, tmp_path: Path, content_today) -> None:  # type: ignore[no-untyped-def]
    soon = f"{content_today.year + 1}.{content_today.month}.1"
    with open_pack(hostile(pack_path, tmp_path / "soon.sqlite", version=soon)) as pack:
        assert soon == pack.content_version


def test_the_pack_connection_is_hardened(pack: store.Pack) -> None:
    assert 0 == pack.conn.execute("PRAGMA trusted_schema").fetchone()[0]
    with pytest.raises(sqlite3.OperationalError):
        pack.conn.execute("CREATE TABLE x (y)")  # read-only
