"""The shipped content: every card of the content map, sourced, linked, lint-clean and findable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketaref.cli import main
from ketaref.lint import lint
from ketaref.paths import resources_dir

DATA = Path(__file__).parent / "data"

# The content map's ids (../shared/content/CONTENT-MAP.md), by category.
CONTENT_MAP = {
    "mechanism": ["mech-nmda-antagonism", "mech-glutamate-surge", "mech-synaptogenesis",
                  "mech-metabolites-enantiomers", "mech-other-systems", "mech-pharmacokinetics",
                  "mech-misconceptions"],
    "indications": ["ind-trd", "ind-esketamine-approvals", "ind-suicidal-ideation", "ind-bipolar-depression",
                    "ind-other-uses", "ind-patient-selection"],
    "dosing": ["dose-iv-ketamine", "dose-esketamine", "dose-other-routes", "dose-rems"],
    "safety": ["safety-acute-effects", "safety-blood-pressure", "safety-dissociation-sedation",
               "safety-abuse-misuse", "safety-long-term", "safety-boxed-warnings", "safety-suicidality"],
    "contraindications": ["contra-absolute", "contra-relative", "contra-screening-checklist"],
    "monitoring": ["mon-session", "mon-outcomes"],
    "interactions": ["int-benzodiazepines", "int-cns-depressants", "int-stimulants-maoi", "int-lamotrigine-cyp"],
    "populations": ["pop-pregnancy-lactation", "pop-older-adults", "pop-adolescents", "pop-hepatic-renal"],
    "evidence": ["ev-landmark-ketamine", "ev-esketamine-trials", "ev-ketamine-vs-ect", "ev-future-directions"],
    "handouts": ["handout-about-ketamine", "handout-infusion-day", "handout-esketamine-spray",
                 "handout-after-treatment", "handout-side-effects", "handout-is-it-right"],
}  # fmt: skip
ALL_IDS = [card_id for ids in CONTENT_MAP.values() for card_id in ids]


def read_queries(name: str) -> list[tuple[str, list[str]]]:
    rows = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, expected = line.split("\t")
            rows.append((query, expected.split(",")))
    return rows


def test_every_card_of_the_content_map_is_in_the_pack_with_its_category(shipped_pack) -> None:
    for category, ids in CONTENT_MAP.items():
        for card_id in ids:
            card = shipped_pack.card(card_id)
            assert category == card.category, card_id
            assert ("patient" if category == "handouts" else "clinician") == card.audience, card_id


def test_every_card_has_a_source_related_cards_and_a_review_date(shipped_pack) -> None:
    titles = shipped_pack.titles()
    for card_id in titles:
        card = shipped_pack.card(card_id)
        assert card.sources, card_id
        assert len(card.related) >= 2, card_id
        assert all(r in titles for r in card.related), card_id
        assert card.summary and card.body_text, card_id


def test_cards_reporting_trials_cite_two_sources_or_more(shipped_pack) -> None:
    for card_id in CONTENT_MAP["evidence"]:
        assert len(shipped_pack.card(card_id).sources) >= 2, card_id


def test_no_link_in_any_body_points_nowhere(shipped_pack) -> None:
    titles = shipped_pack.titles()
    for card_id in titles:
        for target in re.findall(r'href="card:([^"]+)"', shipped_pack.card(card_id).body_html):
            assert target in titles, (card_id, target)


def test_identifiers_are_well_formed(shipped_pack) -> None:
    for card_id in shipped_pack.titles():
        for source in shipped_pack.card(card_id).sources:
            assert source.pmid is None or re.fullmatch(r"\d{6,9}", source.pmid), (card_id, source.pmid)
            assert source.pmcid is None or re.fullmatch(r"PMC\d+", source.pmcid), (card_id, source.pmcid)
            assert source.doi is None or source.doi.startswith("10."), (card_id, source.doi)


def test_lint_is_clean_on_the_shipped_resources() -> None:
    report = lint(resources_dir())
    assert [] == [str(p) for p in report.errors]
    assert sorted(CONTENT_MAP["handouts"]) == sorted(report.grades)
    assert all(grade <= 8 for _path, grade in report.grades.values())


def test_lint_command_prints_each_handout_grade() -> None:
    result = CliRunner().invoke(main, ["lint"])
    assert 0 == result.exit_code, result.output
    for card_id in CONTENT_MAP["handouts"]:
        assert re.search(rf"{card_id}\.md: reading grade \d+\.\d", result.output), card_id


@pytest.mark.parametrize(("query", "expected"), read_queries("dev-queries.tsv"))
def test_dev_query_finds_an_expected_card_in_the_top_3(shipped_pack, query: str, expected: list[str]) -> None:
    top = [hit.id for hit in shipped_pack.search(query, limit=20).results[:3]]
    assert set(expected) & set(top), (query, top)


@pytest.mark.parametrize(("query", "expected"), read_queries("more-queries.tsv"))
def test_more_queries_find_an_expected_card_in_the_top_3(shipped_pack, query: str, expected: list[str]) -> None:
    top = [hit.id for hit in shipped_pack.search(query, limit=20).results[:3]]
    assert set(expected) & set(top), (query, top)


def test_esketamine_doses_are_stated_with_units(shipped_pack) -> None:
    text = shipped_pack.card("dose-esketamine").body_text
    for fact in ("28 mg", "56 mg", "84 mg", "5 minutes"):
        assert fact in text, fact


def test_iv_dose_is_half_a_milligram_per_kilogram_over_40_minutes(shipped_pack) -> None:
    card = shipped_pack.card("dose-iv-ketamine")
    assert "0.5 mg/kg" in card.summary + card.body_text
    assert "40 minutes" in card.summary + card.body_text


def test_label_contraindications_are_all_listed(shipped_pack) -> None:
    text = shipped_pack.card("contra-absolute").body_text.lower()
    for item in ("aneurysmal vascular disease", "arteriovenous malformation", "intracerebral ha", "hypersensitivity"):
        assert item in text, item


def test_seed_article_topics_are_findable(shipped_pack) -> None:
    topics = ["NMDA", "glutamate", "excitotoxicity", "neurodegeneration", "serotonin", "dopamine",
              "treatment-resistant depression", "infusion therapy", "within hours", "anxiety", "well-being",
              "safety and efficacy", "delivery methods", "psychotherapy", "relapse prevention", "recreational",
              "anaesthetic", "depressant"]  # fmt: skip
    for topic in topics:
        assert shipped_pack.search(topic).results, topic
    misconceptions = shipped_pack.card("mech-misconceptions")
    text = (misconceptions.body_text + " " + " ".join(misconceptions.keywords)).lower()
    for topic in ("excitotoxicity", "depressant", "recreational", "balance"):
        assert topic in text, topic


def test_synonyms_cover_the_abbreviations_brands_spellings_and_lay_words_clinicians_type(shipped_pack) -> None:
    import tomllib

    groups = tomllib.loads((resources_dir() / "synonyms.toml").read_text("utf-8"))["group"]
    terms = {term.lower() for group in groups for term in group["terms"]}
    wanted = (
        "TRD MDD SI BP HR AVM ICH ECT MAOI SSRI SNRI REMS HNK NMDA AMPA BDNF mTOR CADSS MADRS PHQ-9 QIDS C-SSRS "
        "CYP IV IM IN PK Spravato Ketalar haemorrhage anaesthetic oedema paediatric bladder liver pregnant "
        "breastfeeding elderly teenager"
    ).split() + ["high blood pressure", "addiction", "black box", "side effects", "nasal spray"]
    assert len(groups) >= 60
    assert [] == [w for w in wanted if w.lower() not in terms]


def test_an_abbreviation_that_is_also_a_word_expands_only_in_capitals(shipped_pack) -> None:
    capitals = [h.id for h in shipped_pack.search("IN dosing").results[:5]]
    lower = [h.id for h in shipped_pack.search("in dosing").results]
    assert "dose-other-routes" in capitals or "dose-esketamine" in capitals
    assert [h.id for h in shipped_pack.search("dosing").results] == lower  # "in" is a plain word, dropped


def _cards_digest(source: Path) -> str:
    """SHA-256 over the card and synonym files (what a pack holds), leaving out pack.toml and its version."""
    import hashlib

    from ketaref.source_folder import source_files

    digest = hashlib.sha256()
    for path in source_files(source):
        if path.name != "pack.toml":
            data = path.read_bytes().replace(b"\r\n", b"\n")  # the same on a checkout with Windows line ends
            digest.update(f"{path.relative_to(source).as_posix()}\n".encode() + data)
    return digest.hexdigest()


def test_content_version_is_raised_whenever_the_cards_change() -> None:
    """Workstations take a pack as an update only when its content version is higher than theirs."""
    from ketaref.source_folder import content_version

    source = resources_dir()
    version, digest = content_version(source), _cards_digest(source)
    record = DATA / "content-versions.tsv"
    recorded = dict(
        line.split("\t") for line in record.read_text("utf-8").splitlines() if line and not line.startswith("#")
    )
    line = f"{version}\t{digest}"
    assert version in recorded, f"content version {version} is not recorded: add the line {line!r} to {record}"
    assert recorded[version] == digest, (
        f"the cards or synonyms changed since content version {version}: raise content_version in "
        f"resources/pack.toml and add its line to {record}, or, if {version} was never released, update its "
        f"digest there (the digest is {digest})"
    )
    newest = max(recorded, key=lambda v: tuple(int(part) for part in v.split(".")))
    assert version == newest, f"content version {version} is older than the recorded {newest}"
