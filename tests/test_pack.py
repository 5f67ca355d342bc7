"""Building a pack: fixed table names, meta, atomic and deterministic output, rendered bodies."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from cardtext import write_card

from ketaref.errors import CardError, KetarefError
from ketaref.pack import build
from ketaref.store import Pack, open_pack

HOSTILE_BODY = """\
## Hostile

<script>alert("x")</script>
<iframe src="https://example.org/frame"></iframe>
<a href="https://example.org" onclick="steal()">a link</a>
[run me](javascript:alert(1)) and [a file](file:///etc/passwd)
![tracker](https://example.org/pixel.png)
<img src="https://example.org/pixel2.png">
See [[dose-iv-ketamine]] and [the BP card](card:safety-blood-pressure).
"""


@pytest.fixture
def db(pack_path: Path) -> Iterator[sqlite_utils.Database]:
    """The fixture pack, opened with sqlite-utils as Datasette and outside checks do."""
    with closing(sqlite_utils.Database(pack_path)) as opened:
        yield opened


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return set(db[table].columns_dict)


def test_table_names(db: sqlite_utils.Database) -> None:
    tables = set(db.table_names())
    assert {"cards", "cards_fts", "sources", "links", "synonyms", "meta"} <= tables


def test_cards_columns(db: sqlite_utils.Database) -> None:
    expected = {
        "id",
        "title",
        "category",
        "audience",
        "summary",
        "body",
        "body_text",
        "body_html",
        "keywords",
        "reviewed",
    }
    assert expected <= columns(db, "cards")
    assert ["id"] == db["cards"].pks


def test_sources_links_meta_columns(db: sqlite_utils.Database) -> None:
    assert {"card_id", "n", "cite", "pmid", "pmcid", "doi", "url"} <= columns(db, "sources")
    assert {"from_id", "to_id"} <= columns(db, "links")
    assert {"key", "value"} == columns(db, "meta")


def test_full_text_index_is_made_the_sqlite_utils_way(db: sqlite_utils.Database) -> None:
    assert "cards_fts" == db["cards"].detect_fts()
    assert ["safety-blood-pressure"] == [row["id"] for row in db["cards"].search("systolic")]


def test_meta_keys(source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(source_dir, tmp_path / "p.sqlite")
    meta = dict(query(tmp_path / "p.sqlite", "SELECT key, value FROM meta"))
    assert {"schema_version", "content_version", "built_at", "content_sha256"} <= set(meta)
    assert "1" == meta["schema_version"]
    assert "1.0" == meta["content_version"]
    assert re.fullmatch(r"[0-9a-f]{64}", meta["content_sha256"])
    built = dt.datetime.fromisoformat(meta["built_at"])
    assert abs(dt.datetime.now(dt.UTC) - built) < dt.timedelta(minutes=5)


def test_schema_version_is_also_user_version(pack_path: Path) -> None:
    assert [(1,)] == query(pack_path, "PRAGMA user_version")


def test_built_at_follows_source_date_epoch(source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    meta = build(source_dir, tmp_path / "p.sqlite")
    assert "2026-01-01T00:00:00+00:00" == meta["built_at"]


def test_pack_is_readable_by_every_user(source_dir: Path, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        build(source_dir, tmp_path / "p.sqlite")
    finally:
        os.umask(old)
    assert 0o644 == stat.S_IMODE((tmp_path / "p.sqlite").stat().st_mode)


def test_build_leaves_no_temporary_files(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "p.sqlite"
    build(source_dir, out)
    assert ["p.sqlite"] == [p.name for p in out.parent.iterdir()]


def test_same_sources_give_the_same_content_sha256(source_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "source"
    shutil.copytree(source_dir, copy)
    first = build(source_dir, tmp_path / "a.sqlite")["content_sha256"]
    assert first == build(source_dir, tmp_path / "b.sqlite")["content_sha256"]
    assert first == build(copy, tmp_path / "c.sqlite")["content_sha256"]


def test_a_changed_card_changes_the_content_sha256(source_dir: Path, tmp_path: Path) -> None:
    before = build(source_dir, tmp_path / "a.sqlite")["content_sha256"]
    card = source_dir / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace("40 minutes", "45 minutes"), "utf-8")
    assert before != build(source_dir, tmp_path / "b.sqlite")["content_sha256"]


def test_a_changed_synonym_file_changes_the_content_sha256(source_dir: Path, tmp_path: Path) -> None:
    before = build(source_dir, tmp_path / "a.sqlite")["content_sha256"]
    with (source_dir / "synonyms.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[group]]\nterms = ["SI", "suicidal ideation"]\n')
    assert before != build(source_dir, tmp_path / "b.sqlite")["content_sha256"]


def test_sources_and_links_are_stored(db: sqlite_utils.Database) -> None:
    source = next(db["sources"].rows_where("card_id = ?", ["dose-iv-ketamine"]))
    assert ("Berman RM, et al. Biol Psychiatry. 2000;47(4):351-354.", "10686270", 1) == (
        source["cite"],
        source["pmid"],
        source["n"],
    )
    links = {(r["from_id"], r["to_id"]) for r in db["links"].rows}
    assert ("dose-iv-ketamine", "safety-blood-pressure") in links
    assert ("safety-blood-pressure", "dose-iv-ketamine") in links


def test_synonyms_are_stored(db: sqlite_utils.Database) -> None:
    terms = {r["term"] for r in db["synonyms"].rows}
    assert {"BP", "blood pressure", "haemorrhage", "hemorrhage"} <= terms


def body_html_of(source_dir: Path, tmp_path: Path, body: str) -> str:
    write_card(source_dir, "safety-hostile", "safety", body=body)
    build(source_dir, tmp_path / "p.sqlite")
    return str(query(tmp_path / "p.sqlite", "SELECT body_html FROM cards WHERE id = 'safety-hostile'")[0][0])


@pytest.mark.parametrize("banned", ["<script", "alert", "<iframe", "onclick", "javascript:", "file:", "<img", "pixel"])
def test_body_html_is_sanitised(source_dir: Path, tmp_path: Path, banned: str) -> None:
    assert banned not in body_html_of(source_dir, tmp_path, HOSTILE_BODY).lower()


def test_body_html_keeps_safe_links_and_makes_card_links(source_dir: Path, tmp_path: Path) -> None:
    body_html = body_html_of(source_dir, tmp_path, HOSTILE_BODY)
    assert '<a href="https://example.org">a link</a>' in body_html
    assert re.search(r'<a href="card:dose-iv-ketamine"[^>]*>IV ketamine dosing for depression</a>', body_html)
    assert '<a href="card:safety-blood-pressure">the BP card</a>' in body_html


def test_body_text_ends_headings_and_list_items_as_sentences(pack: Pack) -> None:
    card = pack.card("handout-after-treatment")
    expected = (
        "What to do.\n"
        "Do not drive until the next day.\n"
        "Have someone take you home.\n"
        "Sleep well tonight.\n"
        "Call us if you feel unwell."
    )
    assert expected == card.body_text


def test_body_text_has_no_markup(pack: Pack) -> None:
    text = pack.card("dose-iv-ketamine").body_text
    assert "Give 0.5 mg/kg over 40 minutes." in text
    assert "The ELEKT-D trial used twice-weekly infusions." in text
    assert not re.search(r"[<>\[\]|#*]|card:", text)


def test_diacritics_are_removed_for_search(source_dir: Path, tmp_path: Path) -> None:
    write_card(
        source_dir, "populations-cafe", "populations", title="Coffee", body="Avoid the caf\u00e9 before a session."
    )
    build(source_dir, tmp_path / "p.sqlite")
    with open_pack(tmp_path / "p.sqlite") as pack:
        assert ["populations-cafe"] == [h.id for h in pack.search("cafe").results]
        assert ["populations-cafe"] == [h.id for h in pack.search("caf\u00e9").results]


def test_a_failed_build_leaves_the_old_pack_untouched(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.sqlite"
    build(source_dir, out)
    before = out.read_bytes()
    card = source_dir / "cards" / "dosing" / "dose-iv-ketamine.md"
    card.write_text(card.read_text("utf-8").replace('audience = "clinician"', 'audience = "doctor"'), "utf-8")
    with pytest.raises(CardError) as raised:
        build(source_dir, out)
    assert ["unknown audience 'doctor' (clinician or patient)"] == [p.message for p in raised.value.problems]
    assert before == out.read_bytes()
    assert ["p.sqlite", "source"] == sorted(p.name for p in tmp_path.iterdir())


def test_a_folder_as_output_is_refused(source_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    with pytest.raises(KetarefError, match="is a folder"):
        build(source_dir, tmp_path / "here")


def test_a_source_without_cards_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KetarefError, match="has no cards/ folder"):
        build(tmp_path, tmp_path / "p.sqlite")


def test_bad_synonyms_file_fails_the_build(source_dir: Path, tmp_path: Path) -> None:
    (source_dir / "synonyms.toml").write_text('[[group]]\nterms = ["BP"]\n', "utf-8")
    with pytest.raises(CardError) as raised:
        build(source_dir, tmp_path / "p.sqlite")
    assert [1] == [p.line for p in raised.value.problems]
    assert ["a group needs 'terms' with at least two non-empty strings"] == [p.message for p in raised.value.problems]


def test_a_pack_with_no_links_and_no_synonyms_opens(source_dir: Path, tmp_path: Path) -> None:
    from ketaref.store import open_pack

    (source_dir / "synonyms.toml").unlink()
    for card in (source_dir / "cards").rglob("*.md"):
        text = card.read_text("utf-8")
        text = re.sub(r"related = \[.*\]\n", "", text)
        text = re.sub(r"\[\[(?!sources)([a-z-]+)\]\]|\]\(card:[a-z-]+\)", "", text)
        card.write_text(text, "utf-8")
    out = tmp_path / "bare.sqlite"
    build(source_dir, out)
    with open_pack(out) as pack:
        assert 4 == pack.info()["cards"]
        assert pack.search("blood").results


HARD_HANDOUT = (
    "Pharmacokinetic considerations necessitate comprehensive individualised evaluation of hepatic "
    "metabolism, particularly regarding concomitant administration of cytochrome inhibitors."
)


def test_every_build_refuses_a_hard_handout_the_same_way(
    source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from ketaref.cli import main
    from ketaref.packchoice import default_pack
    from ketaref.paths import cached_pack

    monkeypatch.chdir(source_dir)
    write_card(source_dir, "handout-hard", "handouts", audience="patient", body=HARD_HANDOUT)
    out = tmp_path / "p.sqlite"
    with pytest.raises(CardError) as raised:
        build(source_dir, out)
    expected = [str(p) for p in raised.value.problems if not p.warning]
    assert 1 == len(expected) and expected[0].startswith("cards/handouts/handout-hard.md:1: reading grade ")

    def refused(args: list[str]) -> list[str]:
        result = CliRunner().invoke(main, args)
        assert 1 == result.exit_code, result.output
        return [line for line in result.stderr.splitlines() if line in expected]

    assert expected == refused(["pack", "--source", ".", "--output", str(out)])
    assert expected == refused(["lint", "--source", "."])
    # The first run's default pack, built from resources with the same handout, is refused alike.
    monkeypatch.setenv("KETAREF_RESOURCES", str(source_dir))
    with pytest.raises(CardError) as first_run:
        default_pack()
    assert expected == [str(p) for p in first_run.value.problems if not p.warning]
    assert expected == refused(["info"])
    assert not out.exists()
    assert not cached_pack().exists()


def test_a_build_on_every_core_writes_the_same_pack(
    source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ketaref.pack
    from ketaref.grades import GRADES_FILE
    from ketaref.paths import user_dir

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_card(source_dir, "handout-rest", "handouts", audience="patient", body="Rest at home. Drink water.")
    build(source_dir, tmp_path / "one.sqlite")
    started: list[tuple[int, bool]] = []
    real_start = ketaref.pack.Workers._start

    def start(self: ketaref.pack.Workers, items: int, least: int) -> bool:
        started.append((items, real_start(self, items, least)))
        return started[-1][1]

    monkeypatch.setattr(ketaref.pack, "FORK_FROM", 1)
    monkeypatch.setattr(ketaref.pack, "SPAWN_FROM", 1)
    monkeypatch.setattr(ketaref.pack.Workers, "count", staticmethod(lambda: 2))
    monkeypatch.setattr(ketaref.pack.Workers, "_start", start)
    (user_dir("cache") / GRADES_FILE).unlink()  # the grades are computed again too
    build(source_dir, tmp_path / "many.sqlite")
    # Parsing 5 files, rendering 5 cards and grading 2 handouts' body and summary, each on the workers ...
    assert [(5, True), (5, True), (4, True)] == started
    with closing(sqlite3.connect(tmp_path / "one.sqlite")) as one:
        with closing(sqlite3.connect(tmp_path / "many.sqlite")) as many:
            assert list(one.iterdump()) == list(many.iterdump())  # ... with the same pack as on one process
