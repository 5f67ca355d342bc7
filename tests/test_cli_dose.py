"""`ketaref dose iv` and `ketaref dose spray`: the working in text, the DESIGN fields in JSON, one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ketaref.cli import main

IV_FIELDS = [
    "weight_kg", "mg_per_kg", "dose_mg", "concentration_mg_per_ml", "drug_volume_ml", "final_volume_ml", "minutes",
    "rate_ml_per_h", "warnings",
]  # fmt: skip


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["dose", *args])


def test_iv_text_shows_the_working() -> None:
    result = _run("iv", "--weight", "70", "--concentration", "10", "--final-ml", "100")
    assert result.exit_code == 0, result.output
    assert (
        "70 kg x 0.5 mg/kg = 35.0 mg; 35.0 mg / 10 mg/mL = 3.50 mL; made up to 100 mL over 40 min = 150.0 mL/h"
        in result.output
    )
    assert "actual body weight" in result.output and "Rounding" in result.output
    assert "second clinician" in result.output


def test_iv_in_pounds_shows_the_weight_in_kg() -> None:
    result = _run("iv", "--weight", "154", "--unit", "lb", "--concentration", "50", "--final-ml", "50")
    assert result.exit_code == 0, result.output
    assert "154 lb = 69.9 kg" in result.output
    assert "69.9 kg x 0.5 mg/kg = 35.0 mg; 35.0 mg / 50 mg/mL = 0.70 mL; made up to 50 mL over 40 min = 75.0 mL/h" in (
        result.output
    )


def test_iv_json_has_the_design_fields() -> None:
    result = _run(
        "iv", "--weight", "100", "--mg-per-kg", "0.8", "--minutes", "60", "--concentration", "100", "--final-ml", "250",
        "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload) == IV_FIELDS
    assert payload["weight_kg"] == 100.0 and payload["mg_per_kg"] == 0.8 and payload["dose_mg"] == 80.0
    assert payload["concentration_mg_per_ml"] == 100 and payload["drug_volume_ml"] == 0.8
    assert payload["final_volume_ml"] == 250.0 and payload["minutes"] == 60 and payload["rate_ml_per_h"] == 250.0
    assert any("0.75 mg/kg" in w for w in payload["warnings"])
    assert any("must be diluted" in w for w in payload["warnings"])


def test_spray_text_and_json() -> None:
    text = _run("spray", "--dose", "84")
    assert text.exit_code == 0
    assert "3 devices" in text.output and "6 sprays" in text.output and "2 x 5-minute rest" in text.output
    assert "day 1 dose of 56 mg" in text.output
    payload = json.loads(_run("spray", "--dose", "56", "--json").output)
    assert payload == {"dose_mg": 56, "devices": 2, "sprays": 4, "rests": 1, "warnings": []}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["iv", "--weight", "0", "--concentration", "10"], "30 to 250 kg"),
        (["iv", "--weight", "-70", "--concentration", "10"], "30 to 250 kg"),
        (["iv", "--weight", "nan", "--concentration", "10"], "not a number"),
        (["iv", "--weight", "seventy", "--concentration", "10"], "not a number"),
        (["iv", "--weight", "29", "--concentration", "10"], "30 to 250 kg"),
        (["iv", "--weight", "251", "--concentration", "10"], "30 to 250 kg"),
        (["iv", "--weight", "70", "--mg-per-kg", "1.5", "--concentration", "10"], "0.1 to 1.0 mg/kg"),
        (["iv", "--weight", "70", "--mg-per-kg", "35", "--concentration", "10"], "0.1 to 1.0 mg/kg"),
        (["iv", "--weight", "70", "--minutes", "5", "--concentration", "10"], "10 to 120 minutes"),
        (["iv", "--weight", "70", "--minutes", "inf", "--concentration", "10"], "not a number"),
        (["iv", "--weight", "70", "--concentration", "25"], "10, 50 or 100 mg/mL"),
        (["iv", "--weight", "70", "--concentration", "10", "--final-ml", "2"], "drug volume"),
        (["spray", "--dose", "70"], "28, 56 or 84 mg"),
        (["spray", "--dose", "zero"], "28, 56 or 84 mg"),
    ],
)
def test_bad_input_exits_1_with_one_line_and_no_traceback(args: list[str], says: str) -> None:
    result = _run(*args)
    assert result.exit_code == 1
    assert says in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "args",
    [
        ["iv", "--weight", "70"],  # the vial strength is never assumed
        ["iv", "--concentration", "10"],
        ["iv", "--weight", "70", "--concentration", "10", "--unit", "stone"],
        ["iv", "--weight", "70", "--concentration", "10", "--bogus"],
        ["spray"],
        ["bolus"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_dose_commands_import_neither_qt_nor_the_pack() -> None:
    code = (
        "import sys\n"
        "from ketaref.cli import main\n"
        "try:\n"
        "    main(['dose', 'spray', '--dose', '56'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "try:\n"
        "    main(['dose', 'iv', '--weight', '70', '--concentration', '10'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'sqlite3', 'ketaref.store'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "35.0 mg" in done.stdout
