"""Parse and validate card source files (TOML front matter + Markdown body)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem
from .model import AUDIENCES, CARD_URL_RE, CATEGORIES, LANGS, WIKI_LINK_RE, Card, Source, body_digest, translation_id
from .schema import MAX_BODY_BYTES
from .source_folder import card_files

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Identifier formats, so a typo cannot become a dead link on the card: (pattern, what it should be).
IDENTIFIERS = {
    "pmid": (re.compile(r"[0-9]{1,9}"), "a PubMed id (digits only)"),
    "pmcid": (re.compile(r"PMC[0-9]+"), "a PubMed Central id (PMC and digits)"),
    "doi": (re.compile(r"10\.[0-9]{4,9}/\S+"), "a DOI (10.xxxx/..., without https://doi.org/)"),
    "url": (re.compile(r"https?://\S+"), "a web address (http:// or https://)"),
}
REQUIRED = ("id", "title", "category", "audience", "summary", "reviewed", "sources")
OPTIONAL = ("keywords", "related", "lang", "translation_of", "translation_of_sha256")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
SOURCE_FIELDS = ("cite", "pmid", "pmcid", "doi", "url")
FENCE = "+++"


@dataclass
class CardSource:
    """A parsed card file: the card and where its parts sit, for error messages."""

    card: Card
    path: str
    body_line: int  # line number of the body's first line
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of a front-matter key, or the file's first line."""
        return self.key_lines.get(key, 1)


@dataclass(frozen=True)
class CardLinks:
    """The cards a file links to, kept even when the file has other problems, so all are reported at once."""

    path: str
    related: tuple[str, ...]
    related_line: int
    body: str
    body_line: int


def body_links(body: str) -> list[tuple[str, int]]:
    """Card ids the body links to, each with its line offset inside the body (0-based)."""
    found = []
    for lineno, text in enumerate(body.splitlines()):
        if "[[" not in text and "](card:" not in text:  # most lines: skip the two searches
            continue
        for m in WIKI_LINK_RE.finditer(text):
            found.append((m.group(1).strip(), lineno))
        for m in CARD_URL_RE.finditer(text):
            found.append((m.group(1).strip(), lineno))
    return found


def _key_lines(front: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for offset, text in enumerate(front.splitlines()):
        m = re.match(r"\s*(\[\[)?\s*([A-Za-z0-9_-]+)", text)
        if m and m.group(2) not in lines:
            lines[m.group(2)] = first_line + offset
    return lines


def _check_str(meta: dict[str, Any], key: str, problems: list[str]) -> str:
    value = meta.get(key)
    if not isinstance(value, str):
        problems.append(f"'{key}' must be a string, not {type(value).__name__}")
        return ""
    if not value.strip():
        problems.append(f"'{key}' is empty")
    return value.strip()


def _check_str_list(meta: dict[str, Any], key: str, problems: list[str]) -> tuple[str, ...]:
    value = meta.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"'{key}' must be a list of strings")
        return ()
    return tuple(v.strip() for v in value if v.strip())


def parse_card(path: Path, rel: str | None = None) -> tuple[CardSource | None, list[Problem]]:
    """Parse one card file; return it (or None) and every problem found in it."""
    src, _links, problems = _parse_card(path, rel)
    return src, problems


def _parse_file(path: Path) -> tuple[CardSource | None, CardLinks | None, list[Problem]]:
    """_parse_card, naming the file as the user sees it."""
    return _parse_card(path, display_path(path))


def _parse_card(path: Path, rel: str | None) -> tuple[CardSource | None, CardLinks | None, list[Problem]]:
    name = rel or str(path)
    problems: list[Problem] = []

    def add(line: int, message: str) -> None:
        problems.append(Problem(name, line, message))

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        add(line, "the file is not UTF-8 text; save it as UTF-8")
        return None, None, problems
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        add(1, "the file must start with a '+++' line (TOML front matter)")
        return None, None, problems
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        add(1, "the front matter has no closing '+++' line")
        return None, None, problems
    front = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :]).strip("\n")
    body_line = end + 2
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = int(m.group(1)) + 1 if m else 2
        reason = re.sub(r" \(at line.*", "", str(exc))
        add(line, f"bad TOML: {reason}")
        return None, None, problems
    key_lines = _key_lines(front, 2)

    def line_of(key: str) -> int:
        return key_lines.get(key, 1)

    for key in meta:
        if key not in REQUIRED + OPTIONAL:
            add(line_of(key), f"unknown field '{key}'")
    for key in REQUIRED:
        if key not in meta:
            add(1, f"missing field '{key}'")

    local: list[tuple[str, str]] = []

    def check(key: str, fn: Any) -> Any:
        found: list[str] = []
        value = fn(meta, key, found)
        local.extend((key, f) for f in found)
        return value

    card_id = check("id", _check_str) if "id" in meta else ""
    if card_id and not ID_RE.match(card_id):
        local.append(("id", f"id '{card_id}' must be lowercase letters, digits and dashes"))
    title = check("title", _check_str) if "title" in meta else ""
    summary = check("summary", _check_str) if "summary" in meta else ""
    category = check("category", _check_str) if "category" in meta else ""
    if category and category not in CATEGORIES:
        local.append(("category", f"unknown category '{category}' (one of: {', '.join(CATEGORIES)})"))
    audience = check("audience", _check_str) if "audience" in meta else ""
    if audience and audience not in AUDIENCES:
        local.append(("audience", f"unknown audience '{audience}' (clinician or patient)"))
    keywords = check("keywords", _check_str_list)
    related = check("related", _check_str_list)
    lang = check("lang", _check_str) if "lang" in meta else "en"
    if lang and lang not in LANGS:
        local.append(("lang", f"unknown lang '{lang}' (one of: {', '.join(LANGS)})"))
    translation_of = check("translation_of", _check_str) if "translation_of" in meta else ""
    digest = check("translation_of_sha256", _check_str).lower() if "translation_of_sha256" in meta else ""
    if lang == "en" and translation_of:
        local.append(("translation_of", "an English card is no translation: 'translation_of' needs lang = \"es\""))
    if lang in LANGS and lang != "en":
        if not translation_of:
            local.append(("lang", f"a card in lang '{lang}' needs 'translation_of' = \"<english id>\""))
        elif card_id and card_id != translation_id(translation_of, lang):
            local.append(
                ("id", f"a translation of '{translation_of}' must have the id '{translation_id(translation_of, lang)}'")
            )
    if translation_of and not digest:
        local.append(
            (
                "translation_of",
                "a translation needs 'translation_of_sha256': the digest of the English body it was translated from",
            )
        )
    if digest and not SHA256_RE.fullmatch(digest):
        local.append(("translation_of_sha256", "'translation_of_sha256' must be 64 hexadecimal digits (sha256)"))
    if digest and not translation_of:
        local.append(("translation_of_sha256", "'translation_of_sha256' is only for a translation (translation_of)"))
    reviewed = meta.get("reviewed")
    if "reviewed" in meta and (not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime)):
        local.append(("reviewed", "'reviewed' must be a date written as YYYY-MM-DD, without quotes"))
        reviewed = None

    sources: list[Source] = []
    raw_sources = meta.get("sources")
    # Each [[sources]] table's line, so a problem in source 5 names source 5's line.
    source_lines = [i + 2 for i, line in enumerate(front.split("\n")) if line.strip() == "[[sources]]"]
    if "sources" in meta:
        if not isinstance(raw_sources, list) or not raw_sources:
            local.append(("sources", "no sources: add at least one [[sources]] entry with 'cite'"))
        else:
            for n, entry in enumerate(raw_sources, 1):
                at = source_lines[n - 1] if n <= len(source_lines) else line_of("sources")
                if not isinstance(entry, dict):
                    add(at, f"source {n} must be a [[sources]] table")
                    continue
                for key in entry:
                    if key not in SOURCE_FIELDS:
                        add(at, f"source {n}: unknown field '{key}'")
                bad = [k for k in SOURCE_FIELDS if k in entry and not isinstance(entry[k], str)]
                for key in bad:
                    add(at, f"source {n}: '{key}' must be a string")
                for key, value in entry.items():
                    if key in IDENTIFIERS and key not in bad and not IDENTIFIERS[key][0].fullmatch(value.strip()):
                        add(at, f"source {n}: {key} '{value}' is not {IDENTIFIERS[key][1]}")
                        bad.append(key)
                cite = entry.get("cite")
                if not isinstance(cite, str) or not cite.strip():
                    add(at, f"source {n} has no 'cite'")
                    continue
                sources.append(
                    Source(**{k: str(entry[k]).strip() for k in SOURCE_FIELDS if k in entry and k not in bad})
                )
    for key, message in local:
        add(line_of(key), message)

    if not body.strip():
        add(body_line - 1, "the body is empty: write the card's text after the closing '+++'")
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        add(body_line, f"the body is larger than the limit of {MAX_BODY_BYTES:,} bytes: split the card")
    if card_id and ID_RE.match(card_id) and card_id != path.stem:
        add(line_of("id"), f"id '{card_id}' does not match the file name '{path.name}'")
    if category in CATEGORIES and path.parent.name != category:
        add(line_of("category"), f"category '{category}' does not match the folder '{path.parent.name}'")

    links = CardLinks(name, related, line_of("related"), body, body_line)
    if any(not p.warning for p in problems):
        return None, links, problems
    assert isinstance(reviewed, dt.date)
    card = Card(
        id=card_id,
        title=title,
        category=category,
        audience=audience,
        summary=summary,
        body=body,
        reviewed=reviewed,
        keywords=keywords,
        related=related,
        sources=tuple(sources),
        path=name,
        lang=lang,
        translation_of=translation_of,
        translation_of_sha256=digest,
    )
    return CardSource(card, name, body_line, key_lines), links, problems


def check_links(links: Iterable[CardLinks], known: set[str]) -> list[Problem]:
    """Problems for related ids and body links that name no card."""
    problems = []
    for src in links:
        for target in src.related:
            if target not in known:
                problems.append(Problem(src.path, src.related_line, f"related card '{target}' does not exist"))
        for target, offset in body_links(src.body):
            if target not in known:
                problems.append(Problem(src.path, src.body_line + offset, f"link to unknown card '{target}'"))
    return problems


def check_translations(parsed: Iterable[CardSource], by_id: dict[str, CardSource]) -> list[Problem]:
    """Problems of translations: an English card that does not exist or is itself a translation, another category
    or audience than the English card's; and a warning, naming both files, when the English body changed since
    the translation was made (its digest is not the recorded translation_of_sha256)."""
    problems = []
    for src in parsed:
        card = src.card
        if not card.translation_of:
            continue
        english = by_id.get(card.translation_of)
        if english is None:
            problems.append(
                Problem(
                    src.path,
                    src.line_of("translation_of"),
                    f"translation_of names no card: '{card.translation_of}' does not exist",
                )
            )
            continue
        if english.card.lang != "en":
            problems.append(
                Problem(
                    src.path,
                    src.line_of("translation_of"),
                    f"'{card.translation_of}' is not an English card (lang '{english.card.lang}')",
                )
            )
            continue
        for key in ("category", "audience"):
            if getattr(card, key) != getattr(english.card, key):
                problems.append(
                    Problem(
                        src.path,
                        src.line_of(key),
                        f"{key} '{getattr(card, key)}' differs from "
                        f"the English card's ('{getattr(english.card, key)}' in {english.path})",
                    )
                )
        current = body_digest(english.card.body)
        if card.translation_of_sha256 != current:
            problems.append(
                Problem(
                    src.path,
                    src.line_of("translation_of_sha256"),
                    f"the English card {english.path} changed after this translation was made: update "
                    f'{src.path} to match it, then set translation_of_sha256 = "{current}"',
                    True,
                )
            )
    return problems


def display_path(path: Path) -> str:
    """A path as the user should see it in a message: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def load_cards(cards_dir: Path, run: Callable[..., Iterable[Any]] = map) -> tuple[list[CardSource], list[Problem]]:
    """Parse and validate every card under a folder; return the cards and all problems.

    run maps the parsing of each file (lint.check_source passes one over every core for a large folder).
    """
    parsed: list[CardSource] = []
    links: list[CardLinks] = []
    problems: list[Problem] = []
    files = card_files(cards_dir)
    if not files:
        problems.append(Problem(str(cards_dir), 1, "no card files (*.md) found"))
    for src, refs, found in run(_parse_file, files):
        problems.extend(found)
        if src:
            parsed.append(src)
        if refs:
            links.append(refs)
    seen: dict[str, CardSource] = {}
    for src in parsed:
        first = seen.setdefault(src.card.id, src)
        if first is not src:
            problems.append(
                Problem(src.path, src.line_of("id"), f"duplicate id '{src.card.id}' (also in {first.path})")
            )
    problems.extend(check_translations(parsed, seen))
    # A card file with problems of its own still exists: links to it are not reported as broken too.
    problems.extend(check_links(links, set(seen) | {path.stem for path in files}))
    return parsed, problems
