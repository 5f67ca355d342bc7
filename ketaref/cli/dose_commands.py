"""Dose calculators: `ketaref dose iv` and `ketaref dose spray`."""

from __future__ import annotations

import click

from .common import user_errors


@click.group("dose")
def dose_group() -> None:
    """Dose calculators: weight-based IV ketamine, esketamine nasal spray devices (the working is shown)."""


@dose_group.command("iv")
@click.option("--weight", required=True, help="Actual body weight (30-250 kg).")
@click.option("--unit", type=click.Choice(["kg", "lb"], case_sensitive=False), default="kg", show_default=True)
@click.option("--mg-per-kg", default="0.5", show_default=True, help="Dose in mg/kg (0.1-1.0).")
@click.option("--minutes", default="40", show_default=True, help="Infusion time in minutes (10-120).")
@click.option("--concentration", required=True, help="Vial strength in mg/mL: 10, 50 or 100 (never assumed).")
@click.option("--final-ml", default=None, help="Volume the dose is made up to, in mL (e.g. 50, 100, 250).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def dose_iv_cmd(
    weight: str, unit: str, mg_per_kg: str, minutes: str, concentration: str, final_ml: str | None, as_json: bool
) -> None:
    """IV ketamine: dose in mg, drug volume in mL and pump rate in mL/h, with the working."""
    from ..dosing import iv_dose

    with user_errors():
        result = iv_dose(weight, concentration, unit=unit, mg_per_kg=mg_per_kg, minutes=minutes, final_ml=final_ml)
    if as_json:
        import json

        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(result.text())


@dose_group.command("spray")
@click.option("--dose", required=True, help="Esketamine dose in mg: 28, 56 or 84.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def dose_spray_cmd(dose: str, as_json: bool) -> None:
    """Esketamine nasal spray (SPRAVATO): devices, sprays and 5-minute rests, the day-1 rule and the schedules."""
    from ..dosing import spray_dose

    with user_errors():
        result = spray_dose(dose)
    if as_json:
        import json

        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(result.text())
