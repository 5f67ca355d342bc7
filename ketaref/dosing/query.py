"""A weight-based dose asked for in a search query ("ketamine dose 80 kg"): the line above the results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .iv import DEFAULT_MG_PER_KG, DOSE_STEP, DoseInputError, _mg_per_kg, _round, _weight_kg, fmt

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
