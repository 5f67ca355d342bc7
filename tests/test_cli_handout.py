"""`ketaref handout`: the clinic's phones, the refusal without one, write-in lines and the site file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ketaref.cli import main
from ketaref.site import SITE_ENV

HANDOUT = "handout-after-treatment"


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as a reader sees it (ligatures unfolded, white space collapsed, a phone's non-breaking
    hyphen as "-")."""
    pages = PdfReader(str(path)).pages
    texts = [unicodedata.normalize("NFKC", page.extract_text()).replace("\u2010", "-") for page in pages]
    return [" ".join(text.split()) for text in texts]


def run(pack_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--pack", str(pack_path), "handout", *args])


def site_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "ketaref-site.toml"
    path.write_text(text, "utf-8")
    monkeypatch.setenv(SITE_ENV, str(path))
    return path


def test_a_handout_without_a_clinic_phone_is_refused_with_one_line_naming_the_flags(
    shipped_pack_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    result = run(shipped_pack_path, HANDOUT, "-o", str(out), "--clinic", "Riverside Clinic")
    assert 1 == result.exit_code
    lines = result.output.strip().splitlines()
    assert 1 == len(lines), result.output
    assert "--phone" in lines[0] and "--no-clinic" in lines[0] and "--after-hours-phone" in lines[0]
    assert not out.exists()


def test_a_clinician_sheet_needs_no_clinic_phone(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    assert 0 == run(shipped_pack_path, "dose-esketamine", "-o", str(out)).exit_code
    assert out.is_file()


def test_no_clinic_prints_with_lines_to_write_the_phones_on(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "blank.pdf"
    result = run(shipped_pack_path, HANDOUT, "-o", str(out), "--no-clinic")
    assert 0 == result.exit_code, result.output
    first = pdf_pages(out)[0]
    assert "Call us" in first and "Day: ____" in first and "After hours: ____" in first
    assert "Phone:" not in first  # no phone in the header


def test_no_clinic_with_a_clinic_detail_is_a_contradiction(shipped_pack_path: Path, tmp_path: Path) -> None:
    result = run(shipped_pack_path, HANDOUT, "-o", str(tmp_path / "x.pdf"), "--no-clinic", "--phone", "555-0100")
    assert 1 == result.exit_code
    assert "--no-clinic" in result.output and "--phone" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_the_day_and_after_hours_phones_are_on_page_1(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "phones.pdf"
    args = ["--clinic", "Riverside Clinic", "--phone", "555-0100", "--after-hours-phone", "555-0199"]
    result = run(shipped_pack_path, HANDOUT, "-o", str(out), *args)
    assert 0 == result.exit_code, result.output
    pages = pdf_pages(out)
    first = pages[0]
    assert "Phone: 555-0100 · After hours: 555-0199" in first  # the header, on every page
    assert "Call us · Riverside Clinic Day: 555-0100 After hours: 555-0199" in first
    assert all("After hours: 555-0199" in page for page in pages)


def test_patient_and_next_visit_print_on_the_write_in_lines(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.pdf"
    args = ["--phone", "555-0100", "--patient", "Ann Lee", "--next-visit", "Tue 9 Dec, 10:30"]
    assert 0 == run(shipped_pack_path, HANDOUT, "-o", str(out), *args).exit_code
    text = " ".join(pdf_pages(out))
    assert "Patient name: Ann Lee" in text
    assert "Next visit: Tue 9 Dec, 10:30" in text
    assert "Who takes me home:" in text and "Their phone:" in text  # left blank to write on

    blank = tmp_path / "blank.pdf"
    assert 0 == run(shipped_pack_path, HANDOUT, "-o", str(blank), "--phone", "555-0100").exit_code
    assert "Ann Lee" not in " ".join(pdf_pages(blank))


def test_the_site_file_supplies_the_clinic_and_a_flag_overrides_it(
    shipped_pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_file(
        tmp_path,
        monkeypatch,
        'clinic_name = "Site Clinic"\nphone = "555-0111"\nafter_hours_phone = "555-0122"\npaper = "a4"\n',
    )
    out = tmp_path / "site.pdf"
    result = run(shipped_pack_path, HANDOUT, "-o", str(out))  # no phone flag: the site file's is enough
    assert 0 == result.exit_code, result.output
    first = pdf_pages(out)[0]
    assert "Site Clinic" in first and "555-0111" in first and "555-0122" in first
    box = PdfReader(str(out)).pages[0].mediabox
    assert (595, 842) == (round(float(box.width)), round(float(box.height)))  # A4 from the site file

    flagged = tmp_path / "flag.pdf"
    result = run(shipped_pack_path, HANDOUT, "-o", str(flagged), "--phone", "555-0999", "--paper", "letter")
    assert 0 == result.exit_code, result.output
    first = pdf_pages(flagged)[0]
    assert "555-0999" in first and "555-0111" not in first and "Site Clinic" in first
    assert 612 == round(float(PdfReader(str(flagged)).pages[0].mediabox.width))


def test_preferences_override_the_site_file_on_the_command_line_too(
    shipped_pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketaref.gui import settings as S

    site_file(tmp_path, monkeypatch, 'clinic_name = "Site Clinic"\nphone = "555-0111"\n')
    own = S.Settings()
    own.set(S.PHONE, "555-0333")
    own.sync()
    out = tmp_path / "prefs.pdf"
    assert 0 == run(shipped_pack_path, HANDOUT, "-o", str(out)).exit_code
    first = pdf_pages(out)[0]
    assert "555-0333" in first and "555-0111" not in first
    assert "Site Clinic" in first  # not set in Preferences: the site file's


def test_a_bad_site_file_is_one_line_and_the_rest_still_applies(
    shipped_pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = site_file(tmp_path, monkeypatch, 'clinc_name = "Typo"\nphone = "555-0111"\nlogo = "missing.png"\n')
    out = tmp_path / "bad-site.pdf"
    with caplog.at_level("WARNING", logger="ketaref.site"):
        result = run(shipped_pack_path, HANDOUT, "-o", str(out))
    assert 0 == result.exit_code, result.output
    assert "555-0111" in pdf_pages(out)[0]
    assert not PdfReader(str(out)).pages[0].images  # the logo that cannot load is left off
    warnings = [record.getMessage() for record in caplog.records if str(path) in record.getMessage()]
    assert 2 == len(warnings), warnings  # one line per problem: the unknown key, the logo
    assert all("\n" not in line for line in warnings)
    assert any("unknown key 'clinc_name'" in line for line in warnings)
    assert any("logo not used" in line for line in warnings)
