"""The printed one-page IV ketamine dose worksheet (iv_worksheet)."""

from __future__ import annotations

from .iv import DOUBLE_CHECK, ROUNDING_RULE, WEIGHT_BASIS, IvDose, fmt

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
