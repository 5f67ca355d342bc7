"""Search as clinicians type: filler words, relaxation with unmatched words, ranking by topic, brand names,
numbers with units, corrections that only help (issue 17)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cardtext import write_card
from click.testing import CliRunner
from test_content import read_queries
from test_search import HOSTILE

from ketaref.cli import main
from ketaref.pack import build
from ketaref.paths import resources_dir
from ketaref.search import relaxed_notice
from ketaref.store import Pack, open_pack


def ids(pack: Pack, query: str, **filters: str) -> list[str]:
    return [h.id for h in pack.search(query, **filters).results]


@pytest.fixture
def ward_pack(source_dir: Path, tmp_path: Path) -> Iterator[Pack]:
    """The fixture cards, the shipped synonyms, and cards that set up each case of issue 17."""
    shutil.copy(resources_dir() / "synonyms.toml", source_dir / "synonyms.toml")
    # A handout whose plain language holds every filler word of a spoken question, and lorazepam in passing.
    write_card(
        source_dir,
        "handout-pills",
        "handouts",
        audience="patient",
        title="Your pills on the day",
        summary="What you can take.",
        body="Can he take his pills? He can take his usual pills, and his lorazepam only if we say so.",
    )
    write_card(
        source_dir,
        "int-benzodiazepines",
        "interactions",
        title="Benzodiazepines with ketamine or esketamine: sedation and possible blunting",
        keywords=("lorazepam", "alprazolam", "clonazepam", "sedation"),
        summary="Benzodiazepines may blunt the response.",
        body="Hold the evening dose before a session if the patient agrees.",
    )
    write_card(
        source_dir,
        "safety-sedation",
        "safety",
        title="Sedation and dissociation: recognise and manage",
        keywords=("sedation", "MOAA/S"),
        summary="Sedation peaks within the first hour.",
        body="After esketamine, check sedation every 15 minutes until it settles.",
    )
    # Every word of "ketamine sedation lorazepam" in passing, none in the title or keywords.
    write_card(
        source_dir,
        "ev-history",
        "evidence",
        title="Trial records",
        summary="How the trials were run.",
        body="Ketamine trials allowed lorazepam at night; sedation was rated. Ketamine, sedation, lorazepam.",
    )
    write_card(
        source_dir,
        "mon-outcomes",
        "monitoring",
        title="Measuring outcomes: MADRS response and remission",
        keywords=("MADRS", "remission"),
        summary="Remission is a MADRS score of 10 or less.",
        body="Response is a 50% fall in MADRS. Remission: MADRS 10 or less.",
    )
    write_card(
        source_dir,
        "mon-urine",
        "monitoring",
        title="Urine drug screens",
        keywords=("UDS",),
        summary="Confirm a positive screen.",
        body="The laboratory cut-off is 1.0 ng/mL for norketamine.",
    )
    write_card(
        source_dir,
        "ev-misc",
        "evidence",
        title="Trial notes",
        summary="Notes.",
        body="Maintenance cut relapse by half. MADRS fell. Most use was off-label.",
    )
    write_card(
        source_dir,
        "ev-response",
        "evidence",
        title="Response rates",
        summary="How many responded.",
        body="About 80% of patients on ketamine responded in the open-label series.",
    )
    write_card(
        source_dir,
        "int-ssri",
        "interactions",
        title="Oral antidepressants during a course",
        summary="Keep them.",
        body="Sertraline, escitalopram, venlafaxine and duloxetine continue at the usual dose. Bupropion too.",
    )
    write_card(
        source_dir,
        "int-others",
        "interactions",
        title="Other drugs",
        summary="Some others.",
        body="Alprazolam, clonazepam, lamotrigine, lisdexamfetamine, methylphenidate, amphetamine, buprenorphine, "
        "methadone, phenelzine, tranylcypromine, isocarboxazid, dextromethorphan-bupropion.",
    )
    # A title that is nothing but the drug's names, and the drug's one-screen summary.
    write_card(source_dir, "ind-esketamine", "indications", title="Esketamine (Spravato)", body="Esketamine.")
    write_card(
        source_dir,
        "spravato-at-a-glance",
        "dosing",
        title="Esketamine at a glance",
        summary="Dose, checks and stop rules on one page.",
        body="Esketamine dosing, contraindications, session checks.",
    )
    write_card(
        source_dir,
        "handout-sedation",
        "handouts",
        audience="patient",
        title="Sedation: feeling sleepy after your dose",
        keywords=("sedation", "sleepy"),
        summary="You may feel sleepy. It will pass.",
        body="Sedation is common. It will pass. Tell us if it does not. Sedation. Sedation.",
    )
    build(source_dir, tmp_path / "ward.sqlite")
    with open_pack(tmp_path / "ward.sqlite") as opened:
        yield opened


# ---------------------------------------------------------------- 1. filler words


def test_filler_words_need_not_match(ward_pack: Pack) -> None:
    # Only the handout holds "can", "he", "take" and "his": the benzodiazepine card answers the question.
    assert "int-benzodiazepines" == ids(ward_pack, "can he take his lorazepam")[0]


def test_a_query_of_filler_words_only_is_searched_as_typed(ward_pack: Pack) -> None:
    found = ward_pack.search("can he take his")
    assert "handout-pills" == found.results[0].id  # every word as typed (each also a word start)
    assert () == found.unmatched


# ---------------------------------------------------------------- 2. relaxation


def test_a_word_no_card_has_is_named_and_the_others_still_find_cards(ward_pack: Pack) -> None:
    found = ward_pack.search("sedation dementia")
    assert "safety-sedation" == found.results[0].id
    assert (("dementia",), "sedation", ("dementia",)) == (found.unmatched, found.matched_query, found.absent)
    assert "No card mentions 'dementia'; showing cards for 'sedation'" == relaxed_notice(found, "''")


def test_words_never_in_one_card_show_the_best_subset_first_and_say_so(ward_pack: Pack) -> None:
    found = ward_pack.search("remission norketamine")  # one card each, never together
    assert found.results[0].id in {"mon-outcomes", "mon-urine"}
    assert {found.results[0].id, found.results[1].id} == {"mon-outcomes", "mon-urine"}
    assert 1 == len(found.unmatched) and () == found.absent
    assert "together with" in relaxed_notice(found)


def test_every_word_matched_leaves_unmatched_empty(ward_pack: Pack) -> None:
    found = ward_pack.search("sedation esketamine")
    assert ((), None) == (found.unmatched, found.matched_query)
    assert "" == relaxed_notice(found)


def test_search_json_lists_the_unmatched_words(ward_pack: Pack) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--pack", str(ward_pack.path), "search", "--json", "sedation", "dementia"])
    assert 0 == result.exit_code, result.output
    payload = json.loads(result.stdout)
    assert ["dementia"] == payload["unmatched"]
    assert "safety-sedation" == payload["results"][0]["id"]
    every = json.loads(runner.invoke(main, ["--pack", str(ward_pack.path), "search", "--json", "sedation"]).stdout)
    assert [] == every["unmatched"]


def test_search_text_says_which_words_matched_nothing(ward_pack: Pack) -> None:
    result = CliRunner().invoke(main, ["--pack", str(ward_pack.path), "search", "sedation", "dementia"])
    assert 'No card mentions "dementia"; showing cards for "sedation".' == result.output.splitlines()[0]


# ---------------------------------------------------------------- 3. ranking by topic


def test_the_card_about_the_topic_beats_one_with_the_drug_in_its_title(ward_pack: Pack) -> None:
    # int-benzodiazepines has esketamine and sedation in its title, but it is about benzodiazepines.
    assert "safety-sedation" == ids(ward_pack, "esketamine sedation")[0]


def test_a_topic_card_beats_one_that_mentions_every_word_in_passing(ward_pack: Pack) -> None:
    found = ids(ward_pack, "ketamine sedation lorazepam")
    assert "ev-history" in found  # it holds every word, in its body only
    assert found.index("int-benzodiazepines") < found.index("ev-history")


def test_a_weight_never_pulls_a_dosing_query_onto_another_topic(ward_pack: Pack) -> None:
    # "80" is in the response-rate card ("80%"); the weight goes with the weight-based (mg/kg) dosing card.
    for query in ("ketamine 80 kg", "ketamine dose 80 kg", "ketamine dose 80kg"):
        found = ward_pack.search(query)
        assert "dose-iv-ketamine" == found.results[0].id, query
        assert "ev-response" not in [h.id for h in found.results], query
        assert () == found.unmatched, query


@pytest.mark.parametrize("query", ["ketamine dose", "ketamine dosing", "ketamine dose 80 kg", "Ketalar dose"])
def test_dose_queries_lead_with_the_dosing_card(shipped_pack: Pack, query: str) -> None:
    assert "dose-iv-ketamine" == ids(shipped_pack, query)[0]


@pytest.mark.parametrize("query", ["spravato dose", "esketamine dosing", "Spravato dosing"])
def test_spray_dose_queries_lead_with_the_spray_dosing_card(shipped_pack: Pack, query: str) -> None:
    assert "dose-esketamine" == ids(shipped_pack, query)[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("esketamine", "spravato-at-a-glance"),
        ("Spravato", "spravato-at-a-glance"),
        ("ketamine", "iv-ketamine-at-a-glance"),
        ("Ketalar", "iv-ketamine-at-a-glance"),
    ],
)
def test_a_bare_drug_name_opens_its_at_a_glance_card(shipped_pack: Pack, query: str, expected: str) -> None:
    assert expected == ids(shipped_pack, query)[0]


@pytest.mark.parametrize("query", ["esketamine", "Spravato", "what is spravato"])
def test_a_bare_drug_name_puts_its_at_a_glance_card_first(ward_pack: Pack, query: str) -> None:
    # "Esketamine (Spravato)" is more nearly all drug name, but the one-screen summary answers a bare name.
    found = ids(ward_pack, query)
    assert "spravato-at-a-glance" == found[0], found
    assert "ind-esketamine" in found
    assert "spravato-at-a-glance" != ids(ward_pack, "esketamine sedation")[0]


def test_clinician_cards_come_before_handouts_on_the_same_topic(ward_pack: Pack) -> None:
    # Both titles start with "Sedation"; the handout says it more often, so bm25 alone would put it first.
    found = ids(ward_pack, "sedation")
    assert found.index("safety-sedation") < found.index("handout-sedation"), found
    assert "handout-sedation" == ids(ward_pack, "sedation handout")[0]


# ---------------------------------------------------------------- 4. brand and generic names


@pytest.mark.parametrize(
    ("brand", "card"),
    [
        ("Xanax", "int-others"), ("Klonopin", "int-others"), ("Ativan", "int-benzodiazepines"),
        ("Adderall", "int-others"), ("Ritalin", "int-others"), ("Vyvanse", "int-others"),
        ("Lamictal", "int-others"), ("Suboxone", "int-others"), ("Dolophine", "int-others"),
        ("Auvelity", "int-others"), ("Nardil", "int-others"), ("Parnate", "int-others"), ("Marplan", "int-others"),
        ("Zoloft", "int-ssri"), ("Lexapro", "int-ssri"), ("Effexor", "int-ssri"), ("Cymbalta", "int-ssri"),
        ("Wellbutrin", "int-ssri"),
    ],
)  # fmt: skip
def test_a_brand_name_finds_the_card_that_names_only_the_generic(ward_pack: Pack, brand: str, card: str) -> None:
    found = ward_pack.search(brand)
    assert card in [h.id for h in found.results[:3]], (brand, [h.id for h in found.results])
    assert found.corrected_query is None


def test_a_brand_in_a_question_finds_the_generic(ward_pack: Pack) -> None:
    assert "int-ssri" == ids(ward_pack, "can she keep taking her zoloft")[0]


@pytest.mark.parametrize(("query", "shown"), [("84mg", "84 mg"), ("0.5mg/kg", "0.5 mg/kg")])
def test_a_number_run_into_its_unit_is_split_and_said(shipped_pack: Pack, query: str, shown: str) -> None:
    assert shown == shipped_pack.search(query).corrected_query


@pytest.mark.parametrize(("query", "expected"), [("0.5 mg/kg", "dose-iv-ketamine"), ("84 mg", "dose-esketamine")])
def test_a_number_with_its_unit_matches_as_a_unit(shipped_pack: Pack, query: str, expected: str) -> None:
    assert expected == ids(shipped_pack, query)[0]


# ---------------------------------------------------------------- 5. corrections that only help


def test_a_compound_the_cards_hyphenate_is_not_corrected(ward_pack: Pack) -> None:
    found = ward_pack.search("cutoff")
    assert (None, ["mon-urine"]) == (found.corrected_query, [h.id for h in found.results])
    assert "mon-urine" == ids(ward_pack, "cut-off")[0]


def test_madrs_cutoff_is_not_corrected_and_leads_with_the_outcomes_card(ward_pack: Pack) -> None:
    found = ward_pack.search("madrs cutoff")
    assert found.corrected_query is None
    assert "mon-outcomes" == found.results[0].id  # not "cut relapse ... off-label" in the trial notes
    assert ("cutoff",) == found.unmatched


def test_a_correction_is_dropped_when_it_finds_no_card_the_typed_words_do_not(ward_pack: Pack) -> None:
    # "norketamnie" is a swap from "norketamine", but no card has norketamine with MADRS, and the MADRS cards
    # (MADRS in their titles) come first either way: the correction finds nothing the typed words do not.
    found = ward_pack.search("madrs norketamnie")
    assert found.corrected_query is None
    assert ("norketamnie",) == found.unmatched
    assert "mon-outcomes" == found.results[0].id


def test_a_correction_that_finds_the_card_is_kept(ward_pack: Pack) -> None:
    found = ward_pack.search("madrs remision")
    assert ("madrs remission", "mon-outcomes") == (found.corrected_query, found.results[0].id)


def test_a_word_indexed_as_typed_is_never_corrected(shipped_pack: Pack) -> None:
    for query in ("madrs", "dementia", "cutoff", "weed", "cannabis"):
        assert shipped_pack.search(query).corrected_query is None, query


# ---------------------------------------------------------------- 7. measured


def test_question_queries_are_at_least_60() -> None:
    assert len(read_queries("question-queries.tsv")) >= 60


@pytest.mark.parametrize(("query", "expected"), read_queries("question-queries.tsv"))
def test_question_queries_find_an_answering_card_in_the_top_3(shipped_pack, query: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    top = [hit.id for hit in shipped_pack.search(query, limit=20).results[:3]]
    assert set(expected) & set(top), (query, top)


# ---------------------------------------------------------------- 8. hostile input


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_text_in_a_question_never_raises(shipped_pack, query: str) -> None:  # type: ignore[no-untyped-def]
    for text in (query, f"can he take {query} xanax", f"spravato {query} dementia", f"{query} 80 kg {query}"):
        found = shipped_pack.search(text)
        assert all(h.id for h in found.results)
        assert isinstance(found.unmatched, tuple)
        relaxed_notice(found)


def test_asking_for_fewer_results_gives_the_same_first_ones(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    """`ketaref search X --limit 3` and the command line's 10 show the first cards of 20, in the same order; the
    window's 50 opens the same first card."""
    queries = [
        q for name in ("dev-queries.tsv", "more-queries.tsv", "question-queries.tsv") for q, _ in read_queries(name)
    ]
    differ = []
    for query in queries:
        twenty = [hit.id for hit in shipped_pack.search(query, limit=20).results]
        for limit in (3, 10):
            if [hit.id for hit in shipped_pack.search(query, limit=limit).results] != twenty[:limit]:
                differ.append(f"{query} (limit {limit})")
        if [hit.id for hit in shipped_pack.search(query, limit=50).results][:1] != twenty[:1]:
            differ.append(f"{query} (the window's first card)")
    assert [] == differ
