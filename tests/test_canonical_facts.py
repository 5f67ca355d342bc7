"""Shared facts read the same on every card: each card states the canonical form, and no card states a retired one.

The table is tests/data/canonical-facts.tsv (one row per fact). A row names the cards that must state the fact
(`require`, regexes that must all match) and a known contradicting variant (`forbid`) that no card of the pack may
contain, so a later edit to one card cannot silently contradict another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketaref.paths import resources_dir

TABLE = Path(__file__).parent / "data" / "canonical-facts.tsv"
COLUMNS = ["fact", "cards", "require", "forbid", "forbid_unless", "bad_example", "wording"]


@dataclass(frozen=True)
class Fact:
    """One row of the canonical-facts table."""

    fact: str
    cards: tuple[str, ...]
    require: tuple[str, ...]
    forbid: str
    forbid_unless: str
    bad_example: str
    wording: str


def read_facts() -> list[Fact]:
    """The rows of the table, comment lines and the header left out."""
    facts = []
    for number, line in enumerate(TABLE.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == len(COLUMNS), f"{TABLE.name}:{number}: {len(fields)} columns, expected {len(COLUMNS)}"
        if fields == COLUMNS:
            continue
        fact, cards, require, forbid, unless, bad, wording = fields
        facts.append(
            Fact(
                fact=fact,
                cards=tuple(c.strip() for c in cards.split(",") if c.strip()),
                require=tuple(r.strip() for r in require.split(" && ") if r.strip()),
                forbid=forbid,
                forbid_unless=unless,
                bad_example=bad,
                wording=wording,
            )
        )
    return facts


def normalise(text: str) -> str:
    """Lower case, markup and dash variants removed, spaces collapsed (newlines kept)."""
    text = text.replace("**", "").replace("__", "").replace("`", "")
    for dash in ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"):
        text = text.replace(dash, "-")
    text = text.replace("\u2264", "<=").replace("\u2265", ">=").replace("\u00a0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return text.lower()


def chunks(text: str) -> list[str]:
    """The units a forbidden variant is judged in: each [[sources]] block whole, and every other line."""
    parts = re.split(r"(?m)^\[\[sources\]\]$", text)
    out = parts[0].splitlines()
    for block in parts[1:]:
        head, sep, rest = block.partition("\n+++")
        out.append(head)
        if sep:
            out.extend(rest.splitlines())
    return [line for line in out if line.strip()]


def read_cards() -> dict[str, str]:
    """Every shipped card's whole file (front matter and body), normalised, by card id (the file name)."""
    cards = {}
    for path in sorted((resources_dir() / "cards").glob("*/*.md")):
        cards[path.stem] = normalise(path.read_text("utf-8"))
    return cards


FACTS = read_facts()
CARDS = read_cards()


def test_the_table_is_well_formed_and_names_only_cards_that_exist() -> None:
    names = [f.fact for f in FACTS]
    assert len(names) == len(set(names)), "duplicate fact names"
    assert len(FACTS) >= 30
    for fact in FACTS:
        assert fact.wording, fact.fact
        assert fact.require or fact.forbid, f"{fact.fact}: neither requires nor forbids anything"
        assert bool(fact.cards) == bool(fact.require), f"{fact.fact}: cards and require go together"
        for card_id in fact.cards:
            assert card_id in CARDS, f"{fact.fact}: no card {card_id!r} in resources/cards"
        for pattern in (*fact.require, fact.forbid, fact.forbid_unless):
            if pattern:
                re.compile(pattern)


@pytest.mark.parametrize("fact", [f for f in FACTS if f.forbid], ids=lambda f: f.fact)
def test_each_forbidden_variant_catches_its_bad_example(fact: Fact) -> None:
    """A forbid that catches nothing would let a contradiction through unseen."""
    assert fact.bad_example, f"{fact.fact}: a forbid needs a bad example"
    bad = normalise(fact.bad_example)
    assert re.search(fact.forbid, bad), f"{fact.fact}: forbid {fact.forbid!r} misses {fact.bad_example!r}"
    if fact.forbid_unless:
        assert not re.search(fact.forbid_unless, bad), f"{fact.fact}: the bad example is exempt"
    for pattern in fact.require:
        assert not re.search(pattern, bad), f"{fact.fact}: the bad example also passes /{pattern}/"


@pytest.mark.parametrize("fact", [f for f in FACTS if f.require], ids=lambda f: f.fact)
def test_every_card_that_must_state_a_fact_states_it_in_the_canonical_form(fact: Fact) -> None:
    missing = [
        f"{card_id}: does not state {fact.fact} (/{pattern}/); canonical wording: {fact.wording}"
        for card_id in fact.cards
        for pattern in fact.require
        if not re.search(pattern, CARDS[card_id])
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("fact", [f for f in FACTS if f.forbid], ids=lambda f: f.fact)
def test_no_card_states_a_contradicting_variant(fact: Fact) -> None:
    found = []
    for card_id, text in CARDS.items():
        for chunk in chunks(text):
            hit = re.search(fact.forbid, chunk)
            if hit and not (fact.forbid_unless and re.search(fact.forbid_unless, chunk)):
                found.append(f"{card_id}: {fact.fact}: states {hit.group(0)!r}; canonical wording: {fact.wording}")
    assert not found, "\n".join(found)


def test_normalising_makes_typographic_variants_equal() -> None:
    assert normalise("**61\u2013 84%**") == normalise("61- 84%") == "61- 84%"
    assert re.search(r"\b61 ?- ?84 ?%", normalise("61\u201384%"))
