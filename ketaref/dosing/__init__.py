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

from .iv import (
    COMMON_FINAL_ML,
    CONCENTRATIONS_MG_PER_ML,
    DEFAULT_MG_PER_KG,
    DEFAULT_MINUTES,
    DOSE_STEP,
    DOUBLE_CHECK,
    FINAL_ML_MAX,
    HIGH_MG_PER_KG,
    ISOTONIC_MG_PER_ML,
    KG_PER_LB,
    MG_PER_KG_MAX,
    MG_PER_KG_MIN,
    MINUTES_MAX,
    MINUTES_MIN,
    MUST_DILUTE_MG_PER_ML,
    RATE_STEP,
    ROUNDING_RULE,
    TEN_MG_MADE_UP,
    VIALS,
    VOLUME_STEP,
    WEIGHT_BASIS,
    WEIGHT_MAX_KG,
    WEIGHT_MIN_KG,
    WEIGHT_STEP,
    WORKED_EXAMPLE_KG,
    DoseInputError,
    IvDose,
    fmt,
    iv_dose,
)
from .query import QueryDose, dose_in_query
from .spray import (
    DAY1_MG,
    DAY1_MG_65_AND_OVER_EU,
    DAY1_RULE,
    DEVICE_MG,
    MDSI_MG,
    MDSI_SCHEDULE,
    REST_MINUTES,
    SPRAY_DOSES_MG,
    SPRAYS_PER_DEVICE,
    TRD_SCHEDULE,
    TRD_SCHEDULE_65_AND_OVER_EU,
    Phase,
    SprayDose,
    spray_dose,
)
from .worksheet import WORKSHEET_ID, WORKSHEET_TITLE, iv_worksheet

__all__ = [
    "COMMON_FINAL_ML",
    "CONCENTRATIONS_MG_PER_ML",
    "DAY1_MG",
    "DAY1_MG_65_AND_OVER_EU",
    "DAY1_RULE",
    "DEFAULT_MG_PER_KG",
    "DEFAULT_MINUTES",
    "DEVICE_MG",
    "DOSE_STEP",
    "DOUBLE_CHECK",
    "DoseInputError",
    "FINAL_ML_MAX",
    "HIGH_MG_PER_KG",
    "ISOTONIC_MG_PER_ML",
    "IvDose",
    "KG_PER_LB",
    "MDSI_MG",
    "MDSI_SCHEDULE",
    "MG_PER_KG_MAX",
    "MG_PER_KG_MIN",
    "MINUTES_MAX",
    "MINUTES_MIN",
    "MUST_DILUTE_MG_PER_ML",
    "Phase",
    "QueryDose",
    "RATE_STEP",
    "TEN_MG_MADE_UP",
    "REST_MINUTES",
    "ROUNDING_RULE",
    "SPRAYS_PER_DEVICE",
    "SPRAY_DOSES_MG",
    "SprayDose",
    "TRD_SCHEDULE",
    "TRD_SCHEDULE_65_AND_OVER_EU",
    "VIALS",
    "VOLUME_STEP",
    "WEIGHT_BASIS",
    "WEIGHT_MAX_KG",
    "WEIGHT_MIN_KG",
    "WEIGHT_STEP",
    "WORKED_EXAMPLE_KG",
    "WORKSHEET_ID",
    "WORKSHEET_TITLE",
    "dose_in_query",
    "fmt",
    "iv_dose",
    "iv_worksheet",
    "spray_dose",
]
