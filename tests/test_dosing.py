"""The dose calculator: exact arithmetic with its working, every bad input refused, and the cards saying the same."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ketaref import dosing
from ketaref.dosing import DoseInputError, dose_in_query, iv_dose, spray_dose
from ketaref.errors import KetarefError

CARDS = Path(__file__).parent.parent / "resources" / "cards"


# --- IV arithmetic -------------------------------------------------------------------------------------------------


def test_the_standard_dose_shows_its_working_as_a_checker_reproduces_it() -> None:
    result = iv_dose(70, 10, final_ml=100)
    assert (result.dose_mg, result.drug_volume_ml, result.rate_ml_per_h) == (
        Decimal("35.0"),
        Decimal("3.50"),
        Decimal("150.0"),
    )
    assert (
        result.working
        == "70 kg x 0.5 mg/kg = 35.0 mg; 35.0 mg / 10 mg/mL = 3.50 mL; made up to 100 mL over 40 min = 150.0 mL/h"
    )
    # 10 mg/mL made up to a volume: the card's words on diluting that strength (ASHP), and nothing else
    assert result.warnings == (dosing.TEN_MG_MADE_UP,)
    assert "should not be diluted" in dosing.TEN_MG_MADE_UP
    assert not any("should not be diluted" in w for w in iv_dose(70, 10).warnings)  # as supplied by syringe pump
    assert not any("should not be diluted" in w for w in iv_dose(70, 50, final_ml=100).warnings)
    text = result.text()
    assert "actual body weight" in text and "obesity" in text  # the weight basis is stated, with the obesity note
    assert "0.1 mg" in text and "0.01 mL" in text and "0.1 mL/h" in text  # the rounding is stated


@pytest.mark.parametrize(
    ("kg", "dose", "v10", "v50", "v100"),
    [
        (50, "25.0", "2.50", "0.50", "0.25"),
        (70, "35.0", "3.50", "0.70", "0.35"),
        (100, "50.0", "5.00", "1.00", "0.50"),
        (150, "75.0", "7.50", "1.50", "0.75"),
    ],
)
def test_the_worked_examples_of_the_preparation_card(kg: int, dose: str, v10: str, v50: str, v100: str) -> None:
    for strength, volume in ((10, v10), (50, v50), (100, v100)):
        result = iv_dose(kg, strength, final_ml=100)
        assert (str(result.dose_mg), str(result.drug_volume_ml), str(result.rate_ml_per_h)) == (dose, volume, "150.0")
    assert str(iv_dose(kg, 10, final_ml=50).rate_ml_per_h) == "75.0"


@pytest.mark.parametrize(
    ("weight", "mg_per_kg", "minutes", "dose", "rate_100"),
    [
        ("30", "0.1", 10, "3.0", "600.0"),  # every lower bound
        ("250", "1.0", 120, "250.0", "50.0"),  # every upper bound
        ("30", "1.0", 40, "30.0", "150.0"),
        ("250", "0.1", 40, "25.0", "150.0"),
        ("70", "0.75", 40, "52.5", "150.0"),
        ("73.3", "0.5", 40, "36.7", "150.0"),  # 36.65 rounds half up, in Decimal (a float would give 36.6)
        ("70.25", "0.5", 45, "35.2", "133.3"),  # weight rounds to 70.3 kg first; 100 x 60 / 45 = 133.33...
    ],
)
def test_arithmetic_at_the_boundaries(weight: str, mg_per_kg: str, minutes: int, dose: str, rate_100: str) -> None:
    result = iv_dose(weight, 10, mg_per_kg=mg_per_kg, minutes=minutes, final_ml=100)
    assert str(result.dose_mg) == dose
    assert str(result.rate_ml_per_h) == rate_100
    assert result.drug_volume_ml == (result.dose_mg / 10).quantize(Decimal("0.01"))


def test_each_step_starts_from_the_rounded_number_shown_before_it() -> None:
    # 154 lb = 69.853... kg -> 69.9 kg; 69.9 x 0.5 = 34.95 -> 35.0 mg (not 34.9 from the unrounded weight).
    result = iv_dose(154, 50, unit="lb", final_ml=100)
    assert result.weight_kg == Decimal("69.9")
    assert result.dose_mg == Decimal("35.0")
    assert result.drug_volume_ml == Decimal("0.70")
    assert result.working.startswith("69.9 kg x 0.5 mg/kg = 35.0 mg; 35.0 mg / 50 mg/mL = 0.70 mL")
    assert "154 lb = 69.9 kg" in result.text()


def test_pounds_are_converted_exactly_and_shown_in_kg() -> None:
    assert iv_dose(220.462, 10, unit="lb").weight_kg == Decimal("100.0")
    assert iv_dose("100", 10, unit="lb").weight_kg == Decimal("45.4")  # 45.359237
    assert iv_dose(100, 10, unit="lb").as_json()["weight_kg"] == 45.4
    assert dosing.KG_PER_LB == Decimal("0.45359237")


def test_a_weight_in_pounds_outside_30_to_250_kg_is_refused() -> None:
    with pytest.raises(DoseInputError, match="30 to 250 kg"):
        iv_dose(66, 10, unit="lb")  # 29.94 kg
    with pytest.raises(DoseInputError, match="30 to 250 kg"):
        iv_dose(552, 10, unit="lb")  # 250.4 kg
    assert iv_dose(66.2, 10, unit="lb").weight_kg == Decimal("30.0")


def test_without_a_final_volume_the_rate_is_of_the_undiluted_drug_and_says_so() -> None:
    result = iv_dose(70, 10)
    assert result.final_volume_ml is None
    assert result.rate_ml_per_h == Decimal("5.3")  # 3.50 mL x 60 / 40 = 5.25 -> 5.3
    assert "undiluted" in result.working
    assert any("No final volume" in w for w in result.warnings)


def test_100_mg_per_ml_must_be_diluted() -> None:
    undiluted = iv_dose(70, 100)
    assert undiluted.rate_ml_per_h is None and undiluted.final_volume_ml is None
    assert any("must be diluted" in w for w in undiluted.warnings)
    diluted = iv_dose(70, 100, final_ml=100)
    assert diluted.rate_ml_per_h == Decimal("150.0")
    assert any("must be diluted" in w for w in diluted.warnings)  # still said, with the volume it is made up to
    with pytest.raises(DoseInputError, match="equal volume"):
        iv_dose(70, 100, final_ml="0.5")  # 0.35 mL of concentrate in less than 0.70 mL


def test_warnings_above_0_75_mg_per_kg_and_for_small_volumes() -> None:
    assert not any("0.75" in w for w in iv_dose(70, 10, mg_per_kg="0.75", final_ml=100).warnings)
    high = iv_dose(70, 10, mg_per_kg="0.8", final_ml=100)
    assert any("above 0.75 mg/kg" in w for w in high.warnings)
    assert any("1 mL syringe" in w for w in iv_dose(70, 50, final_ml=100).warnings)
    assert not any("1 mL syringe" in w for w in iv_dose(70, 10, final_ml=100).warnings)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"weight": 0}, "30 to 250 kg"),
        ({"weight": -70}, "30 to 250 kg"),
        ({"weight": "abc"}, "not a number"),
        ({"weight": "nan"}, "not a number"),
        ({"weight": "NaN"}, "not a number"),
        ({"weight": float("nan")}, "not a number"),
        ({"weight": float("inf")}, "not a number"),
        ({"weight": "1e2"}, "not a number"),
        ({"weight": ""}, "not a number"),
        ({"weight": None}, "as a number"),
        ({"weight": True}, "as a number"),
        ({"weight": "29.9"}, "30 to 250 kg"),
        ({"weight": "29.96"}, "30 to 250 kg"),  # under 30 kg even though it would round to 30.0
        ({"weight": "250.04"}, "30 to 250 kg"),
        ({"weight": 251}, "30 to 250 kg"),
        ({"weight": 70, "unit": "stone"}, "kg or lb"),
        ({"mg_per_kg": 0}, "0.1 to 1.0 mg/kg"),
        ({"mg_per_kg": "-0.5"}, "0.1 to 1.0 mg/kg"),
        ({"mg_per_kg": "0.09"}, "0.1 to 1.0 mg/kg"),
        ({"mg_per_kg": "1.01"}, "0.1 to 1.0 mg/kg"),
        ({"mg_per_kg": "5"}, "0.1 to 1.0 mg/kg"),  # mg mistaken for mg/kg
        ({"mg_per_kg": "0.555"}, "two decimals"),
        ({"mg_per_kg": "half"}, "not a number"),
        ({"minutes": 0}, "10 to 120 minutes"),
        ({"minutes": -40}, "10 to 120 minutes"),
        ({"minutes": 9}, "10 to 120 minutes"),
        ({"minutes": 121}, "10 to 120 minutes"),
        ({"minutes": "40.5"}, "whole minutes"),
        ({"minutes": "forty"}, "not a number"),
        ({"concentration": 20}, "10, 50 or 100 mg/mL"),
        ({"concentration": 0}, "10, 50 or 100 mg/mL"),
        ({"concentration": -10}, "10, 50 or 100 mg/mL"),
        ({"concentration": None}, "never assumed"),
        ({"concentration": ""}, "never assumed"),
        ({"concentration": "ten"}, "not a number"),
        ({"final_ml": 0}, "1000 mL"),
        ({"final_ml": -100}, "1000 mL"),
        ({"final_ml": "3"}, "from the drug volume (3.50 mL)"),  # less than the drug itself
        ({"final_ml": 1001}, "1000 mL"),
        ({"final_ml": "nan"}, "not a number"),
        ({"final_ml": "100.05"}, "0.1 mL"),
    ],
)
def test_every_bad_input_is_one_plain_sentence_naming_the_accepted_range(kwargs: dict[str, object], says: str) -> None:
    args: dict[str, object] = {"weight": 70, "concentration": 10, "final_ml": 100}
    args.update(kwargs)
    with pytest.raises(DoseInputError) as raised:
        iv_dose(**args)  # type: ignore[arg-type]
    message = str(raised.value)
    assert isinstance(raised.value, KetarefError)
    assert says in message
    assert message.endswith(".") and "\n" not in message
    assert message[0].isupper()


def test_the_json_fields_of_the_design() -> None:
    payload = iv_dose(70, 10, final_ml=100).as_json()
    assert list(payload) == [
        "weight_kg", "mg_per_kg", "dose_mg", "concentration_mg_per_ml", "drug_volume_ml", "final_volume_ml",
        "minutes", "rate_ml_per_h", "warnings",
    ]  # fmt: skip
    assert payload == {
        "weight_kg": 70.0, "mg_per_kg": 0.5, "dose_mg": 35.0, "concentration_mg_per_ml": 10, "drug_volume_ml": 3.5,
        "final_volume_ml": 100.0, "minutes": 40, "rate_ml_per_h": 150.0, "warnings": [dosing.TEN_MG_MADE_UP],
    }  # fmt: skip
    assert list(spray_dose(56).as_json()) == ["dose_mg", "devices", "sprays", "rests", "warnings"]


def test_results_are_frozen() -> None:
    result = iv_dose(70, 10, final_ml=100)
    with pytest.raises(AttributeError):
        result.dose_mg = Decimal(350)  # type: ignore[misc]


# --- Esketamine nasal spray ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("dose", "devices", "sprays", "rests"), [(28, 1, 2, 0), (56, 2, 4, 1), (84, 3, 6, 2)])
def test_spray_devices_sprays_and_rests(dose: int, devices: int, sprays: int, rests: int) -> None:
    result = spray_dose(str(dose))
    assert (result.dose_mg, result.devices, result.sprays, result.rests) == (dose, devices, sprays, rests)
    assert result.rest_minutes == 5 * rests
    assert f"{devices} device" in result.working


def test_the_day_1_rule_and_the_schedules_are_stated() -> None:
    text = spray_dose(56).text()
    assert "day 1 dose of 56 mg" in text and "day 1 dose of 28 mg" in text
    assert "no separate dose at 65 and over" in text  # the US label versions read
    assert "weeks 1-4 twice weekly" in text and "weeks 5-8 once weekly" in text
    assert "every 2 weeks or once weekly" in text
    assert any("65 and over" in w for w in spray_dose(28).warnings)
    assert any("not a TRD starting dose" in w for w in spray_dose(84).warnings)
    assert spray_dose(56).warnings == ()


@pytest.mark.parametrize("bad", [0, -28, 14, 42, 112, 56.5, "abc", "nan", None, ""])
def test_an_unknown_spray_dose_is_refused(bad: object) -> None:
    with pytest.raises(DoseInputError, match="28, 56 or 84 mg"):
        spray_dose(bad)


# --- A dose in a query -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "weight_kg", "mg_per_kg", "dose"),
    [
        ("ketamine dose 80 kg", "80", "0.5", "40.0"),
        ("ketamine 80kg", "80", "0.5", "40.0"),
        ("IV ketamine 0.75 mg/kg 90 kg", "90", "0.75", "67.5"),
        ("ketalar dose for 176 lb", "79.8", "0.5", "39.9"),
        ("infusion dose 72,5 kg", "72.5", "0.5", "36.3"),
    ],
)
def test_a_query_with_a_weight_gives_the_dose(query: str, weight_kg: str, mg_per_kg: str, dose: str) -> None:
    found = dose_in_query(query)
    assert found is not None and found.error is None
    assert (found.weight_kg, found.mg_per_kg, str(found.dose_mg)) == (Decimal(weight_kg), mg_per_kg, dose)
    assert f"= {dose} mg" in found.line


@pytest.mark.parametrize(
    "query", ["ketamine dose", "spravato 56 mg", "esketamine 80 kg", "80 kg", "ketamine bladder", "", "x" * 500]
)
def test_a_query_without_a_weight_or_about_the_spray_gives_no_dose(query: str) -> None:
    assert dose_in_query(query) is None


def test_a_query_with_an_impossible_weight_says_why_instead_of_a_dose() -> None:
    found = dose_in_query("ketamine dose 800 kg")
    assert found is not None and found.dose_mg is None
    assert "30 to 250 kg" in found.line


# --- One source of truth: the cards state the numbers ketaref.dosing computes -----------------------------------


def _body(card_id: str) -> str:
    matches = list(CARDS.glob(f"*/{card_id}.md"))
    assert matches, f"card {card_id} not found"
    return matches[0].read_text("utf-8").split("+++", 2)[2]


def _tables(body: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in body.splitlines() + [""]:
        if line.strip().startswith("|"):
            cells = [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def _mg(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\b(\d+) mg\b", text)}


def test_the_esketamine_card_device_table_matches_the_calculator() -> None:
    rows = [t for t in _tables(_body("dose-esketamine")) if "Devices" in " ".join(t[0]) or "devices" in " ".join(t[0])]
    assert rows, "dose-esketamine has no device table"
    table = rows[0]
    found = {}
    for row in table[1:]:
        mg = _mg(row[0])
        if len(mg) == 1:
            found[mg.pop()] = row[1:]
    assert set(found) == set(dosing.SPRAY_DOSES_MG)
    for dose, cells in found.items():
        result = spray_dose(dose)
        numbers = [0 if c.lower() in ("none", "0", "-") else int(re.match(r"\d+", c).group()) for c in cells[:3]]  # type: ignore[union-attr]
        assert numbers == [result.devices, result.sprays, result.rests], dose
    assert re.search(
        r"5[ -]minutes? (rest )?between devices|rest 5 minutes between devices", _body("dose-esketamine"), re.I
    )


@pytest.mark.parametrize(("schedule", "marker"), [("TRD_SCHEDULE", "Induction"), ("MDSI_SCHEDULE", None)])
def test_the_esketamine_card_schedules_match_the_calculator(schedule: str, marker: str | None) -> None:
    tables = _tables(_body("dose-esketamine"))
    phases = getattr(dosing, schedule)
    if marker:
        table = next(t for t in tables if any(marker in " ".join(r) for r in t))
    else:  # the suicidal ideation table: weeks 1-4 only
        table = next(t for t in tables if len(t) == 2 and "1-4" in " ".join(t[1]))
    for phase in phases:
        row = next((r for r in table[1:] if phase.weeks in r), None)
        assert row is not None, f"weeks {phase.weeks} missing from the {schedule} table"
        text = " ".join(row)
        assert phase.frequency in text
        assert _mg(text) == _mg(phase.doses), (phase.weeks, text)


def test_the_day_1_dose_on_the_esketamine_card_is_the_calculators() -> None:
    body = _body("dose-esketamine")
    assert re.search(rf"day 1(:| dose of) {dosing.DAY1_MG} mg", body, re.I)
    assert re.search(rf"65 and over[^\n]{{0,160}}\b{dosing.DAY1_MG_65_AND_OVER_EU} mg", body, re.I)


def test_the_iv_dosing_card_states_the_calculators_defaults_and_example() -> None:
    body = _body("dose-iv-ketamine")
    assert f"{dosing.fmt(dosing.DEFAULT_MG_PER_KG)} mg/kg" in body
    assert f"{dosing.DEFAULT_MINUTES} minutes" in body
    examples = re.findall(r"(\d+) kg patient (?:gets|receives) (\d+(?:\.\d)?) mg", body)
    assert examples, "dose-iv-ketamine gives no worked example"
    for kg, mg in examples:
        assert Decimal(mg) == iv_dose(kg, 10).dose_mg


def test_the_preparation_card_table_is_what_the_calculator_computes() -> None:
    body = _body("dose-iv-preparation")
    table = next(t for t in _tables(body) if "Weight" in t[0][0])
    header = table[0]
    rows = {int(re.match(r"\d+", r[0]).group()): r for r in table[1:]}  # type: ignore[union-attr]
    assert sorted(rows) == list(dosing.WORKED_EXAMPLE_KG)
    for kg, row in rows.items():
        assert row[1] == f"{iv_dose(kg, 10).dose_mg:.1f} mg"
        for column, cell in zip(header[2:], row[2:], strict=True):
            strength = re.search(r"of (\d+) mg/mL", column)
            final = re.search(r"made up to (\d+) mL", column)
            if strength:
                assert cell == f"{iv_dose(kg, int(strength.group(1)), final_ml=100).drug_volume_ml:.2f} mL", column
            elif final:
                assert cell == f"{iv_dose(kg, 10, final_ml=int(final.group(1))).rate_ml_per_h:.1f} mL/h", column
            else:
                raise AssertionError(f"unexpected column {column}")
    assert iv_dose(70, 10, final_ml=100).working + "." in body
    vials = next(t for t in _tables(body) if t[0][0] == "Strength")
    listed = {int(re.match(r"\d+", r[0]).group()): r for r in vials[1:]}  # type: ignore[union-attr]
    assert sorted(listed) == list(dosing.CONCENTRATIONS_MG_PER_ML)
    for strength, (mg, ml) in dosing.VIALS.items():
        assert listed[strength][1].startswith(f"{ml} mL") and listed[strength][2] == f"{mg} mg"
        assert math.isclose(mg / ml, strength)


def test_every_card_that_counts_devices_counts_them_as_the_calculator_does() -> None:
    checked = 0
    for path in CARDS.glob("*/*.md"):
        text = path.read_text("utf-8")
        for mg, devices in re.findall(r"\b(28|56|84) mg ?(?:\(|=|is|are|uses)? ?(\d|one|two|three) devices?\b", text):
            count = {"one": 1, "two": 2, "three": 3}.get(devices) or int(devices)
            assert count == spray_dose(mg).devices, f"{path.name}: {mg} mg = {devices} devices"
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("card_id", ["spravato-at-a-glance", "iv-ketamine-at-a-glance"])
def test_the_at_a_glance_cards_state_the_calculators_numbers(card_id: str) -> None:
    if not list(CARDS.glob(f"*/{card_id}.md")):
        pytest.skip(f"{card_id} is not in the pack yet")
    body = _body(card_id)
    if card_id.startswith("spravato"):
        assert re.search(rf"day 1 dose of {dosing.DAY1_MG} mg", body, re.I)
        assert re.search(rf"day 1 dose of {dosing.DAY1_MG_65_AND_OVER_EU} mg", body, re.I)
        assert re.search(rf"{dosing.REST_MINUTES} minutes between devices", body, re.I)
        assert re.search(rf"{dosing.DEVICE_MG} mg (per device|\({dosing.SPRAYS_PER_DEVICE} sprays\))", body)
        for mg, devices in re.findall(r"\b(28|56|84) mg (?:= |\()(\d) devices?", body):
            assert int(devices) == spray_dose(mg).devices
        for phase in dosing.TRD_SCHEDULE:
            if phase.weeks.endswith("onward"):  # "from week 9" or "then"
                assert "every 2 weeks" in body
            else:
                assert re.search(rf"weeks? {phase.weeks}", body), phase.weeks
    else:
        assert f"{dosing.fmt(dosing.DEFAULT_MG_PER_KG)} mg/kg" in body and f"{dosing.DEFAULT_MINUTES} min" in body
