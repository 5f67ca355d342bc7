"""Dose arithmetic for IV ketamine and esketamine nasal spray: exact, with its working shown, refusing nonsense.

The one source of truth for the numbers: the marketed ketamine vial strengths, the IV defaults and limits, the
SPRAVATO device table, the day-1 rule and the schedules by week. The cards state the same numbers and a test
checks that they do. Pure functions returning frozen dataclasses; no Qt, no I/O.

Rounding is stated and applied once per quantity (ROUND_HALF_UP, in Decimal so that 0.5 of a unit is never lost to
binary floating point): the weight in kg to 0.1 kg (a weight in lb is converted first, 1 lb = 0.45359237 kg), the
dose to 0.1 mg, the drug volume to 0.01 mL and the pump rate to 0.1 mL/h. Each step starts from the rounded number
shown in the step before it, so a second checker with a calculator reproduces every line of the working.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import KetarefError


class DoseInputError(KetarefError):
    """A dose calculator input is missing, not a number or outside its accepted range (one plain sentence)."""


# --- IV ketamine (racemic ketamine hydrochloride injection, KETALAR and generics) -------------------------------

# Marketed vial strengths (KETALAR US prescribing information, revised 10/2024): 200 mg/20 mL, 500 mg/10 mL and
# 500 mg/5 mL multiple-dose vials. The 100 mg/mL strength must be diluted before IV use.
CONCENTRATIONS_MG_PER_ML: tuple[int, ...] = (10, 50, 100)
VIALS: dict[int, tuple[int, int]] = {10: (200, 20), 50: (500, 10), 100: (500, 5)}  # mg/mL: (mg, mL) per vial
MUST_DILUTE_MG_PER_ML = 100

DEFAULT_MG_PER_KG = Decimal("0.5")
DEFAULT_MINUTES = 40
MG_PER_KG_MIN, MG_PER_KG_MAX = Decimal("0.1"), Decimal("1.0")
HIGH_MG_PER_KG = Decimal("0.75")  # above this, a warning
MINUTES_MIN, MINUTES_MAX = 10, 120
WEIGHT_MIN_KG, WEIGHT_MAX_KG = Decimal(30), Decimal(250)
FINAL_ML_MAX = Decimal(1000)
COMMON_FINAL_ML: tuple[int, ...] = (50, 100, 250)
KG_PER_LB = Decimal("0.45359237")  # exact, by definition of the pound
WORKED_EXAMPLE_KG: tuple[int, ...] = (50, 70, 100, 150)  # the preparation card's table, at the default dose

WEIGHT_STEP, DOSE_STEP, VOLUME_STEP, RATE_STEP = Decimal("0.1"), Decimal("0.1"), Decimal("0.01"), Decimal("0.1")
ROUNDING_RULE = (
    "Rounding, once per step, half up: weight to 0.1 kg (lb converted first, 1 lb = 0.45359237 kg), dose to 0.1 mg, "
    "drug volume to 0.01 mL, pump rate to 0.1 mL/h; each step starts from the number shown before it."
)
WEIGHT_BASIS = (
    "Weight basis: the patient's actual body weight, as in the trials (dosed per kg of body weight). No trial "
    "compared actual with ideal or adjusted body weight in obesity; some clinics use ideal or adjusted weight, or "
    "cap the dose, at high BMI: follow the local protocol and use the same basis at every session."
)
DOUBLE_CHECK = (
    "Independent double-check: a second clinician works out the dose, volume and rate again from the order, the "
    "weight and the vial label, without looking at these figures, before the infusion starts."
)


@dataclass(frozen=True)
class IvDose:
    """A weight-based IV ketamine dose with its volume, final volume and pump rate, and the working."""

    weight_given: Decimal
    unit: str
    weight_kg: Decimal
    mg_per_kg: Decimal
    dose_mg: Decimal
    concentration_mg_per_ml: int
    drug_volume_ml: Decimal
    final_volume_ml: Decimal | None
    minutes: int
    rate_ml_per_h: Decimal | None
    warnings: tuple[str, ...]

    @property
    def working(self) -> str:
        """The arithmetic in one line, as a checker reproduces it."""
        steps = [
            f"{fmt(self.weight_kg)} kg x {fmt(self.mg_per_kg)} mg/kg = {self.dose_mg:.1f} mg",
            f"{self.dose_mg:.1f} mg / {self.concentration_mg_per_ml} mg/mL = {self.drug_volume_ml:.2f} mL",
        ]
        if self.final_volume_ml is not None and self.rate_ml_per_h is not None:
            steps.append(
                f"made up to {fmt(self.final_volume_ml)} mL over {self.minutes} min = {self.rate_ml_per_h:.1f} mL/h"
            )
        elif self.rate_ml_per_h is not None:
            steps.append(
                f"{self.drug_volume_ml:.2f} mL undiluted over {self.minutes} min = {self.rate_ml_per_h:.1f} mL/h"
            )
        else:
            steps.append(f"dilute, then choose the final volume for a rate over {self.minutes} min")
        return "; ".join(steps)

    @property
    def weight_line(self) -> str:
        """The weight used, with the conversion when it was given in lb."""
        if self.unit == "lb":
            return f"Weight: {fmt(self.weight_given)} lb = {fmt(self.weight_kg)} kg (actual body weight)"
        return f"Weight: {fmt(self.weight_kg)} kg (actual body weight)"

    def as_json(self) -> dict[str, object]:
        """The fields of `ketaref dose iv --json` (DESIGN.md)."""
        return {
            "weight_kg": float(self.weight_kg),
            "mg_per_kg": float(self.mg_per_kg),
            "dose_mg": float(self.dose_mg),
            "concentration_mg_per_ml": self.concentration_mg_per_ml,
            "drug_volume_ml": float(self.drug_volume_ml),
            "final_volume_ml": None if self.final_volume_ml is None else float(self.final_volume_ml),
            "minutes": self.minutes,
            "rate_ml_per_h": None if self.rate_ml_per_h is None else float(self.rate_ml_per_h),
            "warnings": list(self.warnings),
        }

    def text(self) -> str:
        """The result as a clinician reads it: weight, working, warnings, rounding, weight basis, double-check."""
        lines = ["IV ketamine (racemic ketamine hydrochloride), weight-based dose", self.weight_line, self.working]
        lines += [f"Warning: {w}" for w in self.warnings]
        lines += [ROUNDING_RULE, WEIGHT_BASIS, DOUBLE_CHECK]
        return "\n".join(lines)


def fmt(value: Decimal) -> str:
    """A number as written on a chart: 70, 69.9, 0.5 (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _number(value: object, what: str, accepted: str) -> Decimal:
    """A finite Decimal from user input (text, int, float or Decimal), or DoseInputError naming the accepted range."""
    if isinstance(value, bool) or value is None:
        raise DoseInputError(f"Give the {what} as a number: {accepted}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise DoseInputError(f"The {what} is not a number: {accepted}.")
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    if isinstance(value, str) and not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise DoseInputError(f"The {what} is not a number: {accepted}.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DoseInputError(f"The {what} is not a number: {accepted}.") from None
    if not number.is_finite():
        raise DoseInputError(f"The {what} is not a number: {accepted}.")
    return number


def _weight_kg(weight: object, unit: str) -> tuple[Decimal, Decimal]:
    unit = unit.strip().lower()
    if unit in ("lb", "lbs", "pound", "pounds"):
        accepted = "give a weight that comes to 30 to 250 kg (about 66 to 551 lb)"
        given = _number(weight, "weight", accepted)
        if given <= 0:
            raise DoseInputError(f"The weight must be more than zero: {accepted}.")
        exact = given * KG_PER_LB
    elif unit in ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"):
        accepted = "give the weight in kg from 30 to 250 kg"
        given = _number(weight, "weight", accepted)
        if given <= 0:
            raise DoseInputError(f"The weight must be more than zero: {accepted}.")
        exact = given
    else:
        raise DoseInputError("The weight unit must be kg or lb.")
    if not WEIGHT_MIN_KG <= exact <= WEIGHT_MAX_KG:  # checked before rounding: 29.96 kg is under 30 kg
        raise DoseInputError(f"The weight is outside the accepted range: {accepted}.")
    return given, _round(exact, WEIGHT_STEP)


def _mg_per_kg(value: object) -> Decimal:
    accepted = "give 0.1 to 1.0 mg/kg (the usual dose is 0.5 mg/kg)"
    number = _number(value, "dose in mg/kg", accepted)
    if number <= 0:
        raise DoseInputError(f"The dose in mg/kg must be more than zero: {accepted}.")
    if not MG_PER_KG_MIN <= number <= MG_PER_KG_MAX:
        raise DoseInputError(f"The dose in mg/kg is outside the accepted range: {accepted}.")
    if number != number.quantize(Decimal("0.01")):
        raise DoseInputError(f"Give the dose in mg/kg to two decimals at most: {accepted}.")
    return number


def _minutes(value: object) -> int:
    accepted = f"give {MINUTES_MIN} to {MINUTES_MAX} minutes (the usual infusion is {DEFAULT_MINUTES} minutes)"
    number = _number(value, "infusion time", accepted)
    if number <= 0:
        raise DoseInputError(f"The infusion time must be more than zero: {accepted}.")
    if number != number.to_integral_value():
        raise DoseInputError(f"Give the infusion time in whole minutes: {accepted}.")
    if not MINUTES_MIN <= number <= MINUTES_MAX:
        raise DoseInputError(f"The infusion time is outside the accepted range: {accepted}.")
    return int(number)


def _concentration(value: object) -> int:
    accepted = "choose the vial strength on the label: 10, 50 or 100 mg/mL"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DoseInputError(f"The vial concentration is never assumed: {accepted}.")
    number = _number(value, "vial concentration", accepted)
    if number not in CONCENTRATIONS_MG_PER_ML:
        raise DoseInputError(f"Ketamine injection is marketed at 10, 50 and 100 mg/mL only: {accepted}.")
    return int(number)


def iv_dose(
    weight: object,
    concentration: object,
    unit: str = "kg",
    mg_per_kg: object = DEFAULT_MG_PER_KG,
    minutes: object = DEFAULT_MINUTES,
    final_ml: object | None = None,
) -> IvDose:
    """Dose, drug volume, final volume and pump rate of an IV ketamine infusion; DoseInputError on bad input.

    The vial concentration is never defaulted. Without a final volume the drug runs undiluted (10 or 50 mg/mL)
    and the rate is that of the drug volume; 100 mg/mL must be diluted, so it then has no rate."""
    given, kg = _weight_kg(weight, unit)
    per_kg = _mg_per_kg(mg_per_kg)
    mins = _minutes(minutes)
    strength = _concentration(concentration)
    dose = _round(kg * per_kg, DOSE_STEP)
    volume = _round(dose / strength, VOLUME_STEP)
    warnings: list[str] = []
    if per_kg > HIGH_MG_PER_KG:
        warnings.append(
            f"{fmt(per_kg)} mg/kg is above 0.75 mg/kg: most trials used 0.5 mg/kg and higher doses brought more "
            "dissociation; confirm the prescriber's order."
        )
    final: Decimal | None = None
    rate: Decimal | None = None
    if final_ml is not None and not (isinstance(final_ml, str) and not final_ml.strip()):
        accepted = f"give the volume the dose is made up to, from the drug volume ({volume:.2f} mL) to 1000 mL"
        final = _number(final_ml, "final volume", accepted)
        if final <= 0:
            raise DoseInputError(f"The final volume must be more than zero: {accepted}.")
        if final < volume or final > FINAL_ML_MAX:
            raise DoseInputError(f"The final volume is outside the accepted range: {accepted}.")
        if strength == MUST_DILUTE_MG_PER_ML and final < 2 * volume:
            raise DoseInputError(
                f"100 mg/mL must be diluted with at least an equal volume: give a final volume of {2 * volume:.2f} "
                "mL or more."
            )
        if final != final.quantize(Decimal("0.1")):
            raise DoseInputError(f"Give the final volume to 0.1 mL at most: {accepted}.")
        rate = _round(final * 60 / mins, RATE_STEP)
    elif strength == MUST_DILUTE_MG_PER_ML:
        warnings.append(
            "100 mg/mL must be diluted before IV use (KETALAR label): choose the final volume it is made up to "
            "to get a pump rate."
        )
    else:
        rate = _round(volume * 60 / mins, RATE_STEP)
        warnings.append(
            f"No final volume given: the rate is for {volume:.2f} mL of {strength} mg/mL given as supplied by "
            "syringe pump."
        )
    if strength == MUST_DILUTE_MG_PER_ML and final is not None:
        warnings.append(
            f"100 mg/mL is a concentrate: it must be diluted before IV use (KETALAR label); here it is made up to "
            f"{fmt(final)} mL."
        )
    if volume < 1:
        warnings.append(
            f"A drug volume under 1 mL ({volume:.2f} mL) needs a 1 mL syringe; the 10 mg/mL strength gives a "
            "larger volume that is easier to measure."
        )
    unit_shown = "lb" if unit.strip().lower() in ("lb", "lbs", "pound", "pounds") else "kg"
    return IvDose(given, unit_shown, kg, per_kg, dose, strength, volume, final, mins, rate, tuple(warnings))


# --- Esketamine nasal spray (SPRAVATO) -------------------------------------------------------------------------

DEVICE_MG = 28
SPRAYS_PER_DEVICE = 2  # one spray per nostril
REST_MINUTES = 5  # between devices
SPRAY_DOSES_MG: tuple[int, ...] = (28, 56, 84)
DAY1_MG = 56  # TRD, adults (US label; EU SmPC under 65)
DAY1_MG_65_AND_OVER_EU = 28  # EU SmPC and other SmPC-based labels, patients aged 65 and over
MDSI_MG = 84  # MDD with acute suicidal ideation or behaviour: 84 mg twice weekly, may reduce to 56 mg


@dataclass(frozen=True)
class Phase:
    """One row of a SPRAVATO schedule: the weeks, how often, and the doses."""

    weeks: str
    frequency: str
    doses: str


# The schedules by week (US label; the EU SmPC gives the same for adults under 65).
TRD_SCHEDULE: tuple[Phase, ...] = (
    Phase("1-4", "twice weekly", "day 1: 56 mg; later doses 56 mg or 84 mg"),
    Phase("5-8", "once weekly", "56 mg or 84 mg"),
    Phase("9 onward", "every 2 weeks or once weekly", "56 mg or 84 mg"),
)
MDSI_SCHEDULE: tuple[Phase, ...] = (Phase("1-4", "twice weekly", "84 mg; may reduce to 56 mg for tolerability"),)
TRD_SCHEDULE_65_AND_OVER_EU: tuple[Phase, ...] = (
    Phase("1-4", "twice weekly", "day 1: 28 mg; later doses 28 mg, 56 mg or 84 mg"),
    Phase("5-8", "once weekly", "28 mg, 56 mg or 84 mg"),
    Phase("9 onward", "every 2 weeks or once weekly", "28 mg, 56 mg or 84 mg"),
)
DAY1_RULE = (
    "Day 1 (TRD): a day 1 dose of 56 mg (2 devices). EU/UK SmPC at 65 and over: a day 1 dose of 28 mg (1 device); "
    "the US label versions read give no separate dose at 65 and over. MDD with acute suicidal ideation or "
    "behaviour: 84 mg from day 1."
)


@dataclass(frozen=True)
class SprayDose:
    """Devices, sprays and rests for one esketamine dose, with the day-1 rule and warnings."""

    dose_mg: int
    devices: int
    sprays: int
    rests: int
    warnings: tuple[str, ...]

    @property
    def rest_minutes(self) -> int:
        """Minutes of rest between devices in all."""
        return self.rests * REST_MINUTES

    @property
    def working(self) -> str:
        """The arithmetic in one line."""
        rests = "no rest" if not self.rests else f"{self.rests} x {REST_MINUTES}-minute rest"
        return (
            f"{self.dose_mg} mg / {DEVICE_MG} mg per device = {self.devices} device{'s' * (self.devices > 1)}; "
            f"{self.devices} x {SPRAYS_PER_DEVICE} sprays = {self.sprays} sprays (1 per nostril per device); "
            f"{rests} between devices"
        )

    def as_json(self) -> dict[str, object]:
        """The fields of `ketaref dose spray --json` (DESIGN.md)."""
        return {
            "dose_mg": self.dose_mg,
            "devices": self.devices,
            "sprays": self.sprays,
            "rests": self.rests,
            "warnings": list(self.warnings),
        }

    def text(self) -> str:
        """The result as a clinician reads it: working, warnings, day-1 rule and schedules."""
        lines = [f"Esketamine nasal spray (SPRAVATO) {self.dose_mg} mg", self.working]
        lines += [f"Warning: {w}" for w in self.warnings]
        lines.append(DAY1_RULE)
        lines.append("TRD: " + "; ".join(f"weeks {p.weeks} {p.frequency}, {p.doses}" for p in TRD_SCHEDULE) + ".")
        mdsi = "; ".join(f"weeks {p.weeks} {p.frequency}, {p.doses}" for p in MDSI_SCHEDULE)
        lines.append(f"MDD with acute suicidal ideation or behaviour: {mdsi}.")
        return "\n".join(lines)


def spray_dose(dose: object) -> SprayDose:
    """Devices, sprays and 5-minute rests for a SPRAVATO dose of 28, 56 or 84 mg; DoseInputError otherwise."""
    accepted = "choose 28, 56 or 84 mg (1, 2 or 3 devices of 28 mg)"
    number = _number(dose, "esketamine dose", accepted)
    if number <= 0:
        raise DoseInputError(f"The esketamine dose must be more than zero: {accepted}.")
    if number not in SPRAY_DOSES_MG:
        raise DoseInputError(f"SPRAVATO doses are 28, 56 or 84 mg only: {accepted}.")
    mg = int(number)
    devices = mg // DEVICE_MG
    warnings: list[str] = []
    if mg == 28:
        warnings.append(
            "28 mg (1 device) is the day 1 dose at 65 and over in the EU/UK SmPC, where later doses may also be "
            "28 mg; the US label versions read give no separate dose at 65 and over (US doses: 56 mg or 84 mg)."
        )
    if mg == 84:
        warnings.append(
            "84 mg is not a TRD starting dose (day 1 is 56 mg); in MDD with acute suicidal ideation or behaviour it "
            "is the dose from day 1."
        )
    return SprayDose(mg, devices, devices * SPRAYS_PER_DEVICE, devices - 1, tuple(warnings))


# --- A dose in a search query ("ketamine dose 80 kg") -----------------------------------------------------------

_WEIGHT_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:[.,]\d{1,2})?)\s*(kg|kgs|kilos?|kilograms?|lbs?|pounds?)(?![a-z])", re.I)
_PER_KG_RE = re.compile(r"(?<![\w.])(\d?[.,]\d{1,2}|[01])\s*mg\s*/\s*kg", re.I)
_IV_WORDS = re.compile(r"\b(ketamine|ketalar|infusion|iv|intravenous|dose|dosing|mg/kg)\b", re.I)
_SPRAY_WORDS = re.compile(r"\b(spravato|esketamine|nasal|spray)\b", re.I)


@dataclass(frozen=True)
class QueryDose:
    """A weight found in a search query, and the IV dose at the asked (or usual) mg/kg, or why there is none."""

    weight: str
    unit: str
    mg_per_kg: str
    weight_kg: Decimal | None
    dose_mg: Decimal | None
    error: str | None

    @property
    def line(self) -> str:
        """One line for the top of the results: the dose with its working, or the plain reason there is none."""
        if self.dose_mg is None or self.weight_kg is None:
            return f"Dose calculator: {self.error}"
        given = f"{self.weight} lb = {fmt(self.weight_kg)} kg" if self.unit == "lb" else f"{fmt(self.weight_kg)} kg"
        return (
            f"IV ketamine for {given}: {fmt(self.weight_kg)} kg x {self.mg_per_kg} mg/kg = {self.dose_mg:.1f} mg "
            "(actual body weight)"
        )


def dose_in_query(text: str) -> QueryDose | None:
    """Recognise a query asking for a weight-based ketamine dose ("ketamine dose 80 kg", "0.5 mg/kg 176 lb").

    None when the query holds no weight with a unit, or is about the nasal spray (not dosed by weight). The vial
    strength is never assumed: the answer is the dose in mg; the calculator adds the volume and rate."""
    if not text or len(text) > 200:
        return None
    found = _WEIGHT_RE.search(text)
    if found is None or _SPRAY_WORDS.search(text) or not _IV_WORDS.search(text):
        return None
    weight, unit_word = found.group(1).replace(",", "."), found.group(2).lower()
    unit = "lb" if unit_word.startswith(("lb", "pound")) else "kg"
    per_kg_found = _PER_KG_RE.search(text)
    per_kg = per_kg_found.group(1).replace(",", ".") if per_kg_found else fmt(DEFAULT_MG_PER_KG)
    try:
        _given, kg = _weight_kg(weight, unit)
        checked = _mg_per_kg(per_kg)
    except DoseInputError as exc:
        return QueryDose(weight, unit, per_kg, None, None, str(exc))
    return QueryDose(weight, unit, fmt(checked), kg, _round(kg * checked, DOSE_STEP), None)


# --- The printed dose worksheet ---------------------------------------------------------------------------------

WORKSHEET_ID = "dose-worksheet"
WORKSHEET_TITLE = "IV ketamine dose worksheet"


def iv_worksheet(result: IvDose) -> str:
    """The Markdown of a one-page dose worksheet: the figures, the working, a blank independent re-calculation
    and the second checker's signature line. Patient fields print blank (nothing is stored)."""
    final = "not diluted" if result.final_volume_ml is None else f"{fmt(result.final_volume_ml)} mL"
    rate = "-" if result.rate_ml_per_h is None else f"{result.rate_ml_per_h:.1f} mL/h"
    weight = result.weight_line.removeprefix("Weight: ")
    lines = [
        "Patient: ______________________  DOB: ____ / ____ / ______  Date: ____ / ____ / ______",
        "",
        "**1. Calculated by KetaRef**",
        "",
        "| Input or result | Value |",
        "|---|---|",
        f"| Weight | {weight} |",
        f"| Dose ordered | {fmt(result.mg_per_kg)} mg/kg over {result.minutes} minutes |",
        f"| Vial strength | {result.concentration_mg_per_ml} mg/mL |",
        f"| Dose | {result.dose_mg:.1f} mg |",
        f"| Drug volume | {result.drug_volume_ml:.2f} mL |",
        f"| Final volume | {final} |",
        f"| Pump rate | {rate} |",
        "",
        f"Working: {result.working}.",
        "",
    ]
    lines += [f"**Warning:** {w}" + "\n" for w in result.warnings]
    lines += [
        ROUNDING_RULE,
        "",
        WEIGHT_BASIS,
        "",
        "**2. Second checker: cover section 1, work it out again on your own, then compare**",
        "",
        "____ kg x ____ mg/kg = ______ mg;  ______ mg / ____ mg/mL = ______ mL;  made up to ____ mL over ____ min "
        "= ______ mL/h",
        "",
        "- [ ] Drug, vial strength, diluent and expiry checked on the vial and bag in hand",
        "- [ ] Dose, drug volume, final volume and pump rate match the figures above",
        "- [ ] Patient identity and weight confirmed",
        "",
        "Prepared by: ____________________  Signature: ______________  Time: ______",
        "",
        "Second checker: ____________________  Signature: ______________  Time: ______",
        "",
        DOUBLE_CHECK,
    ]
    return "\n".join(lines)
