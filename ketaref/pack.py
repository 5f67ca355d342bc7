"""Build a pack (one SQLite file) from card sources with sqlite-utils, atomically and deterministically."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .atomic import atomic_path
from .cards import CardSource, body_links, display_path, load_cards
from .errors import CardError, KetarefError, Problem
from .model import CATEGORIES, Card
from .search import tokens
from .sources import SCHEMA_VERSION, builder_version, source_digest

log = logging.getLogger(__name__)

TOKENIZE = "unicode61 remove_diacritics 2"
# bm25 weights for the FTS columns: title, keywords, summary, body_text.
RANK = "bm25(10.0, 8.0, 3.0, 1.0)"
FTS_COLUMNS = ["title", "keywords", "summary", "body_text"]

Progress = Callable[[int, int], None]
Check = Callable[[list[CardSource], dict[str, Card]], list[Problem]]


def load_synonyms(path: Path) -> tuple[list[list[str]], list[Problem]]:
    """Synonym groups from synonyms.toml, with every problem found."""
    name = display_path(path)
    if not path.is_file():
        return [], []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except UnicodeDecodeError:
        return [], [Problem(name, 1, "the file is not UTF-8 text; save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        return [], [Problem(name, int(m.group(1)) if m else 1, f"bad TOML: {exc}")]
    lines = [i + 1 for i, text in enumerate(path.read_text("utf-8").splitlines()) if text.strip() == "[[group]]"]
    groups: list[list[str]] = []
    problems: list[Problem] = []
    unknown = set(data) - {"group"}
    for key in sorted(unknown):
        problems.append(Problem(name, 1, f"unknown field '{key}' (only [[group]] tables)"))
    seen: dict[str, int] = {}
    for n, group in enumerate(data.get("group", [])):
        line = lines[n] if n < len(lines) else 1
        terms = group.get("terms") if isinstance(group, dict) else None
        if not isinstance(terms, list) or len(terms) < 2 or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(Problem(name, line, "a group needs 'terms' with at least two non-empty strings"))
            continue
        for term in terms:
            key = term.strip().lower()
            if key in seen and seen[key] != n:
                problems.append(Problem(name, line, f"'{term}' is already in another group"))
            seen[key] = n
        groups.append([t.strip() for t in terms])
    return groups, problems


def content_version(source: Path) -> str:
    """The maintainer's content version from pack.toml (a dotted number, e.g. 2026.11.1)."""
    path = source / "pack.toml"
    if not path.is_file():
        return "0"
    try:
        value = tomllib.loads(path.read_text("utf-8")).get("content_version", "0")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KetarefError(f"{display_path(path)}: cannot read content_version ({exc})") from exc
    return str(value)


def validate(source: Path) -> tuple[list[Card], list[list[str]], list[Problem]]:
    """Parse and validate a source folder: cards, synonym groups and every problem."""
    parsed, groups, problems = validate_sources(source)
    return [p.card for p in parsed], groups, problems


def check_pack_toml(source: Path) -> list[Problem]:
    """pack.toml's content_version: a dotted number, or workstations never take the pack as an update."""
    path = source / "pack.toml"
    name = display_path(path)
    if not path.is_file():
        return [
            Problem(
                name,
                1,
                "no pack.toml: the pack gets content version 0 and is never offered as an update; add "
                'content_version = "2026.11.1" (year.month.release)',
                True,
            )
        ]
    version = content_version(source)
    if re.fullmatch(r"[0-9]+(\.[0-9]+)*", version):
        return []
    lines = path.read_text("utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if text.strip().startswith("content_version")), 1)
    return [
        Problem(
            name,
            line,
            f"content_version {version!r} is not a dotted number such as 2026.11.2: workstations compare versions "
            "as numbers and would never take this pack as an update",
        )
    ]


def validate_sources(source: Path) -> tuple[list[CardSource], list[list[str]], list[Problem]]:
    """validate(), keeping where each card's parts sit in its file (for messages that name a line)."""
    if not (source / "cards").is_dir():
        raise KetarefError(f"{source} has no cards/ folder: is it a KetaRef source folder?")
    parsed, problems = load_cards(source / "cards")
    groups, syn_problems = load_synonyms(source / "synonyms.toml")
    return parsed, groups, problems + syn_problems + check_pack_toml(source)


def render_cards(
    cards: list[Card], progress: Progress | None = None, titles: dict[str, str] | None = None
) -> list[Card]:
    """Cards with body_html and body_text filled in from their Markdown (links titled from titles, else cards)."""
    from .render import html_to_text, markdown_to_html

    titles = titles if titles is not None else {c.id: c.title for c in cards}
    done = []
    for n, card in enumerate(cards, 1):
        body_html = markdown_to_html(card.body, titles.get)
        done.append(replace(card, body_html=body_html, body_text=html_to_text(body_html)))
        if progress and (n % 200 == 0 or n == len(cards)):
            progress(n, len(cards))
    return done


def _write(db_path: Path, cards: list[Card], groups: list[list[str]], meta: dict[str, str]) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    # Every table is created up front, so a pack with no links or no synonyms still has them.
    db.table("cards").create(
        {
            "id": str, "title": str, "category": str, "audience": str, "summary": str, "body": str,
            "body_text": str, "body_html": str, "keywords": str, "reviewed": str, "related": str,
            "category_order": int, "path": str,
        },
        pk="id",
    )  # fmt: skip
    db.table("sources").create(
        {"card_id": str, "n": int, "cite": str, "pmid": str, "pmcid": str, "doi": str, "url": str},
        pk=("card_id", "n"),
        foreign_keys=[("card_id", "cards", "id")],
    )
    db.table("links").create(
        {"from_id": str, "to_id": str, "kind": str},
        pk=("from_id", "to_id", "kind"),
        foreign_keys=[("from_id", "cards", "id"), ("to_id", "cards", "id")],
    )
    db.table("synonyms").create({"group_id": int, "term": str, "tokens": str}, pk=("group_id", "term"))
    db.table("meta").create({"key": str, "value": str}, pk="key")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    db.table("cards").insert_all(
        (
            {
                "id": c.id,
                "title": c.title,
                "category": c.category,
                "audience": c.audience,
                "summary": c.summary,
                "body": c.body,
                "body_text": c.body_text,
                "body_html": c.body_html,
                "keywords": ", ".join(c.keywords),
                "reviewed": c.reviewed.isoformat(),
                "related": json.dumps(list(c.related)),
                "category_order": order[c.category],
                "path": c.path,
            }
            for c in cards
        ),
        batch_size=500,
    )
    db.table("sources").insert_all(
        {"card_id": c.id, "n": n, "cite": s.cite, "pmid": s.pmid, "pmcid": s.pmcid, "doi": s.doi, "url": s.url}
        for c in cards
        for n, s in enumerate(c.sources, 1)
    )
    links = sorted(
        {(c.id, r, "related") for c in cards for r in c.related}
        | {(c.id, target, "body") for c in cards for target, _ in body_links(c.body)}
    )
    db.table("links").insert_all({"from_id": a, "to_id": b, "kind": k} for a, b, k in links)
    db.table("synonyms").insert_all(
        {"group_id": g, "term": t, "tokens": " ".join(tokens(t))} for g, terms in enumerate(groups, 1) for t in terms
    )
    db.table("cards").create_index(["category_order", "title"])
    db.execute("CREATE INDEX cards_title_nocase ON cards(title COLLATE NOCASE)")
    db.table("cards").enable_fts(FTS_COLUMNS, tokenize=TOKENIZE)
    db.execute(f"INSERT INTO cards_fts(cards_fts, rank) VALUES('rank', '{RANK}')")
    db.execute("CREATE VIRTUAL TABLE temp.cards_vocab USING fts5vocab(main, 'cards_fts', 'row')")
    db.execute("CREATE TABLE terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO terms SELECT term, doc FROM temp.cards_vocab")
    db.table("meta").insert_all({"key": k, "value": v} for k, v in sorted(meta.items()))
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.conn.commit()
    db.execute("INSERT INTO cards_fts(cards_fts) VALUES('optimize')")
    db.conn.commit()
    db.execute("VACUUM")
    db.close()


def build(source: Path, output: Path, progress: Progress | None = None, check: Check | None = None) -> dict[str, str]:
    """Validate the source folder and write a pack to output atomically; return its meta.

    check, given the parsed sources and the rendered cards, adds content checks (`ketaref pack` passes lint's).
    Raises CardError with every problem when a card is invalid; the old output stays untouched.
    """
    parsed, groups, problems = validate_sources(source)
    if any(not p.warning for p in problems):
        raise CardError(problems)
    version = content_version(source)
    cards = render_cards(sorted((p.card for p in parsed), key=lambda c: c.id), progress)
    if check is not None:
        found = check(parsed, {card.id: card for card in cards})
        if any(not p.warning for p in found):
            raise CardError(found)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "content_version": version,
        "built_at": now.replace(microsecond=0).isoformat(),
        "content_sha256": source_digest(source),
        "builder_version": builder_version(),
        "cards": str(len(cards)),
    }
    output = output.resolve()
    if output.is_dir():
        raise KetarefError(f"{output} is a folder: give a file name for the pack, e.g. {output / 'pack.sqlite'}")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(output) as tmp:
            tmp.unlink()  # sqlite-utils creates the database itself
            _write(tmp, cards, groups, meta)
    except OSError as exc:
        raise KetarefError(f"cannot write the pack to {output}: {exc.strerror or exc}") from exc
    log.info("built %s: %d cards", output, len(cards))
    return meta
