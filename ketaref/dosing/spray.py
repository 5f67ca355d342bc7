"""Esketamine nasal spray (SPRAVATO): the device table, the day-1 rule, the schedules, and spray_dose."""

from __future__ import annotations

from dataclasses import dataclass

from .iv import DoseInputError, _number

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
