"""IV ketamine: the vial strengths, defaults and limits, and the weight-based dose with its working (iv_dose)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import KetarefError


class DoseInputError(KetarefError):
    """A dose calculator input is missing, not a number or outside its accepted range (one plain sentence)."""


# --- IV ketamine (racemic ketamine hydrochloride injection, KETALAR and generics) -------------------------------

# Marketed vial strengths (KETALAR US prescribing information, revised 10/2024): 200 mg/20 mL, 500 mg/10 mL and
# 500 mg/5 mL multiple-dose vials. The 100 mg/mL strength must be diluted before IV use.
CONCENTRATIONS_MG_PER_ML: tuple[int, ...] = (10, 50, 100)
VIALS: dict[int, tuple[int, int]] = {10: (200, 20), 50: (500, 10), 100: (500, 5)}  # mg/mL: (mg, mL) per vial
MUST_DILUTE_MG_PER_ML = 100
# The 10 mg/mL strength made up to a final volume: the same words as the dose-iv-preparation card (ASHP Handbook on
# Injectable Drugs, ketamine monograph: "The 10-mg/mL concentration should not be diluted").
ISOTONIC_MG_PER_ML = 10
TEN_MG_MADE_UP = (
    "The 10 mg/mL strength is made isotonic with sodium chloride; the ASHP Handbook on Injectable Drugs, citing the "
    "label, says it should not be diluted (the current KETALAR label text restricts only the 100 mg/mL strength). "
    "Giving it as supplied by syringe pump, or making the dose up from the 50 mg/mL vial, is a local-protocol "
    "decision."
)

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
    if strength == ISOTONIC_MG_PER_ML and final is not None:
        warnings.append(TEN_MG_MADE_UP)
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
