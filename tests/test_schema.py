"""The schema module: the pack holds exactly its tables and columns, and a card comes back from its row whole."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from ketaref import schema
from ketaref.store import Pack


def test_the_pack_has_the_schemas_tables_and_columns(pack_path: Path) -> None:
    with closing(sqlite3.connect(pack_path)) as conn:
        for table in schema.TABLES:
            assert list(table.columns) == [row[1] for row in conn.execute(f"PRAGMA table_info([{table.name}])")]
        fts = [row[1] for row in conn.execute(f"PRAGMA table_info([{schema.FTS_TABLE}])")]
        assert list(schema.FTS_COLUMNS) == fts
        assert (schema.SCHEMA_VERSION,) == conn.execute("PRAGMA user_version").fetchone()


def test_the_snippet_column_is_the_body_text() -> None:
    assert "body_text" == schema.FTS_COLUMNS[schema.SNIPPET_COLUMN]


def test_a_card_row_reads_back_as_the_same_card(pack: Pack) -> None:
    card = pack.card("dose-iv-ketamine")
    assert card == schema.card_from_row(schema.card_row(card), card.sources)
    rows = list(schema.source_rows(card))
    assert [1] == [row["n"] for row in rows]
    assert card.sources == tuple(schema.source_from_row(row) for row in rows)
