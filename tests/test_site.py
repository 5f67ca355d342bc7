"""The site file: where it is looked for, what it sets, and bad files that never stop the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketaref import site
from ketaref.errors import KetarefError


@pytest.fixture(autouse=True)
def no_site(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No site file from this machine: the system folder is an empty temporary one."""
    monkeypatch.delenv(site.SITE_ENV, raising=False)
    monkeypatch.setattr(site, "system_folder", lambda: tmp_path / "etc")
    monkeypatch.setattr(site, "program_folder", lambda: tmp_path / "bin")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_every_key_is_read_and_paths_are_relative_to_the_site_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "it" / "ketaref-site.toml",
        'clinic_name = "Riverside Clinic"\nphone = "555-0100"\nafter_hours_phone = "555-0199"\n'
        'logo = "logo.png"\npaper = "A4"\nupdates_folder = "/srv/packs"\ntrusted_keys = ["ketaref.pub"]\n',
    )
    found = site.load_site(path)
    assert ("Riverside Clinic", "555-0100", "555-0199") == (found.clinic_name, found.phone, found.after_hours_phone)
    assert (tmp_path / "it" / "logo.png", "a4") == (found.logo, found.paper)
    assert (Path("/srv/packs"), ("ketaref.pub",)) == (found.updates_folder, found.trusted_keys)
    assert () == found.problems


def test_the_environment_then_the_program_folder_then_the_system_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site.find_site_file() is None
    system = write(tmp_path / "etc" / "ketaref-site.toml", 'phone = "1"\n')
    assert system == site.find_site_file()
    beside = write(tmp_path / "bin" / "ketaref-site.toml", 'phone = "2"\n')
    assert beside == site.find_site_file()
    named = write(tmp_path / "elsewhere.toml", 'phone = "3"\n')
    monkeypatch.setenv(site.SITE_ENV, str(named))
    assert "3" == site.load_site().phone


def test_unknown_keys_and_bad_values_are_one_line_each_and_the_rest_still_applies(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", 'clinic = "Typo"\nphone = "555-0100"\npaper = "legal"\ntrusted_keys = "k"\n')
    found = site.load_site(path)
    assert "555-0100" == found.phone
    assert found.paper is None and () == found.trusted_keys
    assert 3 == len(found.problems)
    assert found.problems[0].startswith("unknown key 'clinic'")
    assert all("\n" not in problem for problem in found.problems)
    assert site.describe(found).startswith(f"Site file {path}: unknown key 'clinic'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('phone = "555\n', "is not valid TOML"),
        (b"\xff\xfe phone".decode("latin-1"), "is not valid TOML"),
    ],
)
def test_a_file_that_is_not_toml_is_one_problem_and_sets_nothing(tmp_path: Path, text: str, expected: str) -> None:
    found = site.load_site(write(tmp_path / "s.toml", text))
    assert found.phone is None
    assert 1 == len(found.problems) and expected in found.problems[0]
    assert "\n" not in site.describe(found)


def test_a_missing_named_file_and_a_huge_one_are_problems_not_crashes(tmp_path: Path) -> None:
    assert "does not exist" in site.load_site(tmp_path / "nope.toml").problems[0]
    huge = write(tmp_path / "huge.toml", "# " + "x" * site.MAX_SITE_BYTES + "\n")
    assert "larger than" in site.load_site(huge).problems[0]


def test_a_logo_that_cannot_be_printed_is_dropped_with_its_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", 'logo = "missing.png"\nphone = "555-0100"\n')

    def check(logo: Path) -> None:
        raise KetarefError(f"The logo file {logo} does not exist.")

    found = site.load_site(path, check_logo=check)
    assert found.logo is None and "555-0100" == found.phone
    assert [f"logo not used: The logo file {tmp_path / 'missing.png'} does not exist."] == list(found.problems)


def test_no_site_file_says_so() -> None:
    assert "No site file." == site.describe(site.load_site())
