"""The session records print on one page with their fields, by the handout layout, and are findable."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from ketaref.handout import PrintOptions, write_pdf

# The fields a clinician fills in, in the order they appear on the page.
ESKETAMINE_FIELDS = [  # the order of the SPRAVATO REMS Patient Monitoring Form
    "Patient:",
    "Session date:",
    "First session?",
    "benzodiazepines",
    "psychostimulants",
    "Dose: 56 mg (2 devices) / 84 mg (3 devices)",
    "Lot number:",
    "Device 1 at",
    "First device at",
    "minutes from the first device",
    "REMS question",
    "acceptable range before dosing",
    "Before dosing",
    "About 40 minutes after the first device",
    "Before discharge",
    "Began at",
    "Resolved at",
    "Sedation",
    "Dissociation",
    "Respiratory depression",
    "Pulse oximetry",
    "Lowest SpO2",
    "Adverse events",
    "At least 2 hours, counted from the first device",
    "A responsible adult takes the patient home",
    "no driving or operating machinery until the next day after a restful sleep",
    "Time of discharge:",
    "Monitoring clinician:",
    "Signature:",
    "submitted to the SPRAVATO REMS",
]
IV_FIELDS = [
    "Patient:",
    "Date:",
    "Before the infusion",
    "Screening checklist",
    "informed consent",
    "Fasting",
    "nil per os",
    "Baseline BP",
    "Emergency airway equipment",
    "local protocol's basis, circle one: actual, as in the trials / ideal / adjusted",
    "Vial strength: 10 / 50 / 100 mg/mL",
    "Lot:",
    "kg x",
    "mg/kg =",
    "mg/mL =",
    "made up to",
    "mL/h",
    "Prepared by:",
    "Second checker (worked out independently):",
    "every 10 minutes during the infusion and every 15 minutes after it (the Riva-Posse 2018 protocol)",
    "Infusion started at",
    "Infusion ended at",
    "baseline",
    "+120",
    "MOAA/S",
    "Stop the infusion first",
    "Recovery and discharge",
    "At least 2 hours after the infusion ends",
    "a responsible adult takes the patient home",
    "Discharged at:",
    "Signature:",
]


def _pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    text = unicodedata.normalize("NFKC", text)  # "ﬁ" ligatures back to "fi"
    return re.sub(r"\s+", " ", text)  # pypdf puts tabs or line breaks between some words


@pytest.mark.parametrize(
    ("card_id", "fields"), [("form-esketamine-session", ESKETAMINE_FIELDS), ("form-iv-ketamine-session", IV_FIELDS)]
)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_session_record_prints_on_one_page_with_its_fields_in_order(
    shipped_pack, tmp_path: Path, card_id: str, fields: list[str], paper: str
) -> None:
    out = tmp_path / f"{card_id}-{paper}.pdf"
    pages = write_pdf([shipped_pack.card(card_id)], out, PrintOptions(paper=paper), shipped_pack.titles())
    assert pages == 1
    assert len(PdfReader(str(out)).pages) == 1
    text = _pdf_text(out)
    at = 0
    for field in fields:
        found = text.find(field, at)
        assert found >= 0, f"{card_id} ({paper}): '{field}' missing or out of order"
        at = found
    assert "Page 1 of 1" in text


def test_the_forms_are_printed_as_forms_at_a_readable_size(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPdfWriter

    from ketaref.handout import ensure_app, is_form, layout_cards, page_layout

    ensure_app()
    for card_id in ("form-esketamine-session", "form-iv-ketamine-session"):
        card = shipped_pack.card(card_id)
        assert is_form(card)  # tick boxes: the one-page form layout
        for paper in ("letter", "a4"):
            writer = QPdfWriter(str(Path("/dev/null")))
            writer.setResolution(300)
            writer.setPageLayout(page_layout(PrintOptions(paper=paper)))
            ((_card, doc),) = layout_cards(writer, [card], PrintOptions(paper=paper), shipped_pack.titles())
            assert doc.pageCount() == 1
            assert doc.defaultFont().pointSizeF() >= 8.5


def test_patient_fields_are_blank_lines(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    for card_id in ("form-esketamine-session", "form-iv-ketamine-session"):
        body = shipped_pack.card(card_id).body
        assert re.search(r"Patient: _{6,}", body)
        assert re.search(r"DOB: _{2,} / _{2,} / _{2,}", body)
        assert re.search(r"Signature: _{6,}", body)


@pytest.mark.parametrize("query", ["session record", "monitoring form", "vitals sheet", "REMS form", "infusion record"])
def test_the_session_records_are_findable(shipped_pack, query: str) -> None:  # type: ignore[no-untyped-def]
    top = [hit.id for hit in shipped_pack.search(query, limit=3).results]
    assert {"form-esketamine-session", "form-iv-ketamine-session"} & set(top), (query, top)


def test_the_preparation_card_is_findable(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    for query in ("ketamine dilution", "ketamine mL/h", "how to dilute ketamine", "ketamine vial 100 mg/mL"):
        top = [hit.id for hit in shipped_pack.search(query, limit=3).results]
        assert "dose-iv-preparation" in top, (query, top)
