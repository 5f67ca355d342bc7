"""Search: any text in, ranked hits out; prefixes, synonyms, typos, filters and snippets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cardtext import write_card

from ketaref.pack import build
from ketaref.store import Pack, open_pack

HOSTILE = [
    '"',
    '"blood',
    'blood"',
    '"blood pressure',
    "*",
    "blood*",
    "(",
    ")",
    "(blood",
    "blood)",
    ":",
    "blood:",
    "^",
    "^blood",
    "-",
    "-blood",
    "+",
    "+blood",
    '" * ( ) : ^ - +',
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "blood AND",
    "OR pressure",
    "NOT NOT",
    "NEAR(blood pressure)",
    "blood NEAR/2 pressure",
    "title:foo",
    "title:blood",
    "body_text:blood",
    "cards_fts:blood",
    "{title summary}:blood",
    "\x00",
    "\x1b",
    "\x1b[31mred",
    "blood\x00pressure",
    "blood\npressure",
    "blood\tpressure",
    "\u0000\u001b\n\t",
    "\u041a\u0435\u0442\u0430\u043c\u0438\u043d",  # Cyrillic
    "\u03ba\u03b5\u03c4\u03b1\u03bc\u03af\u03bd\u03b7",  # Greek
    "\u6c2f\u80fa\u916e",  # CJK
    "\u0643\u064a\u062a\u0627\u0645\u064a\u0646",  # Arabic
    "\U0001f489\U0001fa78",  # emoji
    "blood \U0001f489",
    "\ud800",
    "x\udcff blood",
    "''''",
    "%_%",
    "'; DROP TABLE cards; --",
    "\\",
]


@pytest.fixture
def big_pack(source_dir: Path, tmp_path: Path) -> Iterator[Pack]:
    """The fixture cards plus cards that set up synonym, ranking and exact-match cases."""
    write_card(
        source_dir,
        "mon-vitals",
        "monitoring",
        title="Vital signs during a session",
        summary="What to record at each session.",
        body="Check BP every 15 minutes. Stop for any hemorrhage.",
    )
    write_card(
        source_dir,
        "pop-older",
        "populations",
        title="Older adults",
        summary="Age matters.",
        body="Watch the blood pressure closely.",
    )
    write_card(
        source_dir,
        "mon-sedation",
        "monitoring",
        title="Sedation",
        summary="Watch the patient.",
        body="Check alertness.",
    )
    write_card(
        source_dir,
        "mon-sedation-scale",
        "monitoring",
        title="Sedation scale",
        keywords=("sedation", "sedated"),
        summary="Sedation is scored with a sedation scale.",
        body="Sedation: score sedation every 15 minutes. Deep sedation needs a call.",
    )
    write_card(
        source_dir,
        "int-benzodiazepines",
        "interactions",
        title="Benzodiazepines",
        keywords=("alprazolam", "clonazepam", "diazepam", "lorazepam"),
        summary="Sedatives.",
        body="Few data.",
    )
    # The body cards say the word three times: only the column weights put the title and keyword cards first.
    body = "{0} may blunt the response. Hold {1} the night before. Restart {1} after."
    write_card(
        source_dir,
        "int-sedatives",
        "interactions",
        title="Sedatives",
        summary="Other sedatives.",
        body=body.format("Lorazepam", "lorazepam"),
    )
    write_card(
        source_dir,
        "int-lamotrigine",
        "interactions",
        title="Lamotrigine and other anticonvulsant drugs",
        summary="An anticonvulsant.",
        body="Few data.",
    )
    write_card(
        source_dir,
        "int-anticonvulsants",
        "interactions",
        title="Anticonvulsants",
        summary="Seizure drugs.",
        body=body.format("Lamotrigine", "lamotrigine"),
    )
    build(source_dir, tmp_path / "big.sqlite")
    with open_pack(tmp_path / "big.sqlite") as opened:
        yield opened


def ids(pack: Pack, query: str, **filters: str) -> list[str]:
    return [h.id for h in pack.search(query, **filters).results]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_text_never_raises(pack: Pack, query: str) -> None:
    found = pack.search(query)
    assert all(h.id for h in found.results)


def test_a_5000_word_query_never_raises(pack: Pack) -> None:
    words = " ".join(["blood", "pressure", '"', "NEAR", "(", "title:x", "*"] * 715)
    assert 5005 == len(words.split())
    assert "safety-blood-pressure" == pack.search(words).results[0].id


@pytest.mark.parametrize(
    "query",
    [
        '"blood',
        "blood*",
        "(blood)",
        "blood:",
        "^blood",
        "-blood",
        "+blood",
        "blood AND pressure",
        "NEAR(blood pressure)",
    ],
)
def test_syntax_characters_around_a_word_still_find_it(pack: Pack, query: str) -> None:
    assert "safety-blood-pressure" == ids(pack, query)[0]


@pytest.mark.parametrize("query", ["blood\x00pressure", "blood\x1bpressure", "blood\npressure", "blood\tpressure"])
def test_control_characters_separate_words(pack: Pack, query: str) -> None:
    assert "safety-blood-pressure" == ids(pack, query)[0]


def test_an_undecodable_command_line_byte_does_not_stop_the_search(pack: Pack) -> None:
    assert "safety-blood-pressure" == ids(pack, "\udcff blood")[0]


@pytest.mark.parametrize("query", ["", " ", "   \t\n  "])
def test_empty_and_whitespace_queries_give_no_results(pack: Pack, query: str) -> None:
    found = pack.search(query)
    assert ([], None) == (found.results, found.corrected_query)


def test_non_latin_text_that_matches_nothing_gives_no_results(pack: Pack) -> None:
    assert [] == ids(pack, "\u6c2f\u80fa\u916e")


def test_prefix_while_typing(pack: Pack) -> None:
    assert ["safety-blood-pressure"] == ids(pack, "dissoc")
    assert "contra-absolute" == ids(pack, "contra")[0]
    assert "dose-iv-ketamine" == ids(pack, "infus")[0]


def test_other_word_forms_match(pack: Pack) -> None:
    assert "dose-iv-ketamine" == ids(pack, "infusions")[0]


def test_abbreviation_finds_the_written_out_term(big_pack: Pack) -> None:
    # pop-older says only "blood pressure", mon-vitals only "BP".
    assert {"safety-blood-pressure", "mon-vitals", "pop-older"} == set(ids(big_pack, "BP"))


def test_written_out_term_finds_the_abbreviation(big_pack: Pack) -> None:
    assert {"safety-blood-pressure", "mon-vitals", "pop-older"} == set(ids(big_pack, "blood pressure"))


def test_spelling_variants_both_ways(big_pack: Pack) -> None:
    # contra-absolute says "haemorrhage", mon-vitals says "hemorrhage".
    assert {"contra-absolute", "mon-vitals"} == set(ids(big_pack, "hemorrhage"))
    assert {"contra-absolute", "mon-vitals"} == set(ids(big_pack, "haemorrhage"))


def test_lowercase_common_word_is_not_taken_for_an_abbreviation(pack: Pack) -> None:
    # "IN" (intranasal) expands only in capitals: "in" stays an ordinary prefix.
    assert [] == ids(pack, "IN")
    assert "dose-iv-ketamine" in ids(pack, "in")


def test_typo_is_corrected_and_says_so(pack: Pack) -> None:
    found = pack.search("dissociaton")
    assert "dissociation" == found.corrected_query
    assert ["safety-blood-pressure"] == [h.id for h in found.results]


def test_a_correction_names_only_the_words_that_matched_nothing(pack: Pack) -> None:
    found = pack.search("bloood pressure")
    assert "blood pressure" == found.corrected_query
    assert "bloood" == found.replaced  # "pressure" did match: the notice must not say it did not


def test_known_words_are_not_corrected(pack: Pack) -> None:
    assert None is pack.search("dissociation").corrected_query


def test_exact_title_ranks_first(big_pack: Pack) -> None:
    # mon-sedation-scale says "sedation" far more often, so bm25 alone puts it first.
    assert ["mon-sedation", "mon-sedation-scale"] == ids(big_pack, "Sedation")[:2]
    assert "mon-sedation-scale" == ids(big_pack, "Sedation scale")[0]


def test_exact_id_ranks_first(big_pack: Pack) -> None:
    assert "mon-sedation" == ids(big_pack, "mon-sedation")[0]


def test_exact_id_of_words_not_in_any_text_finds_the_card(pack: Pack) -> None:
    # "safety" is in no card's text; the id still names the card exactly, so there is nothing to correct.
    found = pack.search("safety-blood-pressure")
    assert (["safety-blood-pressure"], None) == ([h.id for h in found.results][:1], found.corrected_query)


@pytest.mark.parametrize(
    ("query", "title_card", "body_card"),
    [("lamotrigine", "int-lamotrigine", "int-anticonvulsants"), ("lorazepam", "int-benzodiazepines", "int-sedatives")],
)
def test_title_and_keywords_outrank_body(big_pack: Pack, query: str, title_card: str, body_card: str) -> None:
    assert [title_card, body_card] == ids(big_pack, query)


def test_snippet_marks_the_matched_words(pack: Pack) -> None:
    hit = pack.search("dissociation").results[0]
    assert "<mark>Dissociation</mark>" in hit.snippet


def test_a_summary_shown_as_the_snippet_marks_the_synonyms_that_matched(source_dir: Path, tmp_path: Path) -> None:
    write_card(
        source_dir, "mon-cuff", "monitoring", keywords=("BP",), summary="Blood pressure goes up.", body="Use a cuff."
    )
    build(source_dir, tmp_path / "cuff.sqlite")
    with open_pack(tmp_path / "cuff.sqlite") as opened:
        snippets = {h.id: h.snippet for h in opened.search("BP").results}
    assert "<mark>Blood</mark> <mark>pressure</mark> goes up." == snippets["mon-cuff"]


def test_snippet_marks_summary_when_only_title_matched(big_pack: Pack) -> None:
    hit = big_pack.search("lorazepam").results[0]
    assert "int-benzodiazepines" == hit.id
    assert "Sedatives." == hit.snippet


def test_snippet_is_html_escaped(source_dir: Path, tmp_path: Path) -> None:
    write_card(source_dir, "safety-escape", "safety", body="Heart rate <b>x</b> & tachycardia > 120.")
    build(source_dir, tmp_path / "p.sqlite")
    with open_pack(tmp_path / "p.sqlite") as opened:
        snippet = opened.search("tachycardia").results[0].snippet
    assert "<mark>tachycardia</mark> &gt; 120" in snippet
    assert "<b>" not in snippet


def test_category_filter(pack: Pack) -> None:
    assert ["dose-iv-ketamine"] == ids(pack, "minutes", category="dosing")
    assert ["safety-blood-pressure"] == ids(pack, "minutes", category="safety")
    assert 2 == len(ids(pack, "minutes"))


def test_audience_filter(pack: Pack) -> None:
    assert ["handout-after-treatment"] == ids(pack, "not", audience="patient")
    assert "handout-after-treatment" not in ids(pack, "not", audience="clinician")


def test_exact_match_respects_the_filters(pack: Pack) -> None:
    assert [] == ids(pack, "Blood pressure rise", category="handouts")


def test_dose_with_units_finds_the_dosing_card(pack: Pack) -> None:
    assert "dose-iv-ketamine" == ids(pack, "0.5 mg/kg")[0]


def test_trial_name_with_a_dash_finds_the_dosing_card(pack: Pack) -> None:
    assert "dose-iv-ketamine" == ids(pack, "ELEKT-D")[0]


def test_limit(pack: Pack) -> None:
    assert 1 == len(pack.search("not", limit=1).results)
    assert 2 == len(pack.search("not", limit=20).results)


def test_words_not_all_in_one_card_still_give_results(pack: Pack) -> None:
    assert {"safety-blood-pressure", "handout-after-treatment"} <= set(ids(pack, "dissociation driving"))


def test_a_corrected_word_is_expanded_with_its_synonyms(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    corrected = shipped_pack.search("pregnat", limit=50)
    assert "pregnant" == corrected.corrected_query
    assert {h.id for h in shipped_pack.search("pregnant", limit=50).results} == {h.id for h in corrected.results}


@pytest.mark.parametrize(
    ("typed", "shown", "expected"),
    [
        ("84mg", "84 mg", "dose-esketamine"),
        ("0.5mg/kg", "0.5 mg/kg", "dose-iv-ketamine"),
        ("blackbox", "black box", "safety-boxed-warnings"),
        ("bloodpressure", "blood pressure", "safety-blood-pressure"),
    ],
)
def test_words_run_together_are_split_and_said(shipped_pack, typed: str, shown: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = shipped_pack.search(typed)
    assert shown == found.corrected_query
    assert expected in [h.id for h in found.results[:3]]


@pytest.fixture
def handout_pack(source_dir: Path, tmp_path: Path) -> Iterator[Pack]:
    """The fixture cards plus a clinician card that mentions a handout and a handout that never says the word."""
    write_card(
        source_dir,
        "dose-driving",
        "dosing",
        title="Driving after a dose",
        summary="No driving until the next day.",
        body="Give the patient the driving handout. Driving is unsafe until the next day.",
    )
    write_card(
        source_dir,
        "handout-going-home",
        "handouts",
        audience="patient",
        title="Going home after your dose",
        summary="How to get home safely.",
        body="Do not drive until the next day. Ask someone to take you home.",
    )
    build(source_dir, tmp_path / "handouts.sqlite")
    with open_pack(tmp_path / "handouts.sqlite") as opened:
        yield opened


@pytest.mark.parametrize("query", ["driving handout", "handout driving", "drive leaflet", "patient handout driving"])
def test_a_topic_with_handout_puts_the_handouts_on_it_first(handout_pack: Pack, query: str) -> None:
    found = ids(handout_pack, query)
    # both handouts are about driving, though only the clinician card says "handout"; it still follows them
    assert {"handout-after-treatment", "handout-going-home"} == set(found[:2]), found
    assert "dose-driving" == found[2], found


@pytest.mark.parametrize("query", ["handout", "Handouts", "patient handouts", "leaflets", "patient information"])
def test_handout_alone_lists_every_handout(handout_pack: Pack, query: str) -> None:
    result = handout_pack.search(query)
    assert ["handout-after-treatment", "handout-going-home"] == sorted(h.id for h in result.results)
    assert all(h.snippet for h in result.results)  # the summary stands in for a snippet
    assert result.corrected_query is None


def test_a_misspelt_handout_word_is_corrected_and_still_asks_for_handouts(handout_pack: Pack) -> None:
    result = handout_pack.search("drivng handuot")
    assert "driving handout" == result.corrected_query
    assert ["handout-after-treatment", "handout-going-home", "dose-driving"] == sorted(
        h.id for h in result.results[:2]
    ) + [result.results[2].id]


def test_handout_is_an_ordinary_word_for_clinician_cards(handout_pack: Pack) -> None:
    assert ["dose-driving"] == ids(handout_pack, "handout", audience="clinician")
    # no handout in the category: the word is searched for as typed
    assert ["dose-driving"] == ids(handout_pack, "handout", category="dosing")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("side effects handout", "handout-side-effects"),
        ("spray handout", "handout-esketamine-spray"),
        ("handout for driving", "handout-after-treatment"),
        ("infusion leaflet", "handout-infusion-day"),
        ("is it right for me handout", "handout-is-it-right"),
    ],
)
def test_asking_for_a_handout_on_the_shipped_pack_gives_it_first(shipped_pack, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert expected == shipped_pack.search(query).results[0].id


@pytest.mark.parametrize(
    "typed",
    [
        "NNT",  # an abbreviation the pack does not hold: not "not"
        "clozapine",  # three edits from "cocaine": one drug name must never turn into another
        "propofol",  # two edits from "protocol": too many for an 8-letter word
        "weel",  # four letters: only a swap is a typo ("week" and "well" are other words)
        "GERD",  # an abbreviation the pack does not hold (COPD, once the example here, is now in the cards)
    ],
)
def test_a_word_far_from_any_indexed_word_is_not_corrected(shipped_pack, typed: str) -> None:  # type: ignore[no-untyped-def]
    found = shipped_pack.search(typed)
    assert found.corrected_query is None
    assert [] == found.results


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("ketamnie", "ketamine"),
        ("hypertenison", "hypertension"),
        ("contraindicatoins", "contraindications"),
        ("dsoe", "dose"),
    ],
)
def test_two_letters_typed_the_wrong_way_round_are_corrected(shipped_pack, typed: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    assert shown == shipped_pack.search(typed).corrected_query


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("under the tongue", {"dose-other-routes"}),  # a synonym phrase holding a stopword: sublingual
        ("nil by mouth", {"dose-esketamine", "dose-iv-ketamine"}),  # both dosing cards give the fasting times
        # a phrase of its own: not the prefix "fast" of "fast-acting" or "fast heart rate"
        ("fasting", {"dose-esketamine", "dose-iv-ketamine"}),
    ],
)
def test_synonym_phrases_find_their_card_first(shipped_pack, typed: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert shipped_pack.search(typed).results[0].id in expected


def test_among_title_matches_clinician_cards_come_before_handouts(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    # "Spravato" is in the titles of clinician cards and of handouts: a clinician at the workstation wants the former
    top = shipped_pack.search("Spravato").results[0]
    assert "clinician" == top.audience, top.id


def test_a_title_with_the_words_as_typed_beats_one_with_a_synonym(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    # "nasal spray" is in the spray handout's title; the other-routes card's title only has its synonym "intranasal"
    found = [h for h in shipped_pack.search("nasal spray").results]
    assert "nasal spray" in found[0].title.lower(), found[0].id
    order = [h.id for h in found]
    assert order.index("handout-esketamine-spray") < order.index("dose-other-routes"), order


def test_one_slip_is_looked_up_without_reading_the_vocabulary(shipped_pack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ketaref.search.correct as core

    def no_reading(*_args: object) -> None:
        raise AssertionError("read the whole vocabulary for one slip")

    monkeypatch.setattr(core, "_vocabulary", no_reading)
    assert "dissociation" == shipped_pack.search("dissociaton").corrected_query  # a letter dropped
    assert "hypertension" == shipped_pack.search("hypertenion").corrected_query
    assert "pregnancy" == shipped_pack.search("pregnancey").corrected_query  # one added (10 letters)
    assert "seizure" == shipped_pack.search("siezure").corrected_query  # two swapped


def test_two_slips_are_found_by_reading_and_the_reading_stops_when_time_is_up(shipped_pack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ketaref.search.correct as core

    assert "hypertension" == shipped_pack.search("hipertenshon").corrected_query  # two letters changed
    monkeypatch.setattr(core, "CORRECTION_BUDGET", -1.0)  # no time at all: the reading stops at once
    read: list[str] = []
    vocabulary = core._vocabulary

    def counted(*args):  # type: ignore[no-untyped-def]
        for row in vocabulary(*args):
            read.append(row[0])
            yield row

    monkeypatch.setattr(core, "_vocabulary", counted)
    found = shipped_pack.search("hipertenshon")
    assert found.corrected_query is None and len(read) <= 2 * core._BUDGET_CHECK  # no word read past the deadline


def test_what_a_card_marks_is_each_phrase_as_searched_not_its_short_words(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    # "fasting" is searched as its synonym phrases ("no food", "nil by mouth", NPO): a card opened from it marks
    # those, not every "not", "nose" or "none", nor the "fast" of "fast-acting".
    import re

    from ketaref.search.text import mark_pattern

    terms = shipped_pack.search("fasting").terms
    text = "Do not prime it; the nose; none; fast-acting. Fasting: no food for 2 hours, NPO, nil by mouth."
    marked = [m.group(0) for m in re.finditer(mark_pattern(terms), text, re.IGNORECASE)]
    assert ["Fasting", "no food", "NPO", "nil by mouth"] == marked
    si = shipped_pack.search("SI").terms  # a short abbreviation matches whole, as the search finds it
    assert ["SI"] == [m.group(0) for m in re.finditer(mark_pattern(si), "SI, side, sign", re.IGNORECASE)]
