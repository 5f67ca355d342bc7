"""`ketaref keys new` and `ketaref verify`: one line, exit 0 when a pack is accepted, 1 with the reason when not."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketaref.cli import main
from ketaref.signing import sign_file


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    result = run("keys", "new", str(tmp_path / "keys"))
    assert 0 == result.exit_code, result.output
    return tmp_path / "keys" / "ketaref.key", tmp_path / "keys" / "ketaref.pub"


def test_keys_new_writes_a_private_key_and_never_prints_it(keys: tuple[Path, Path], tmp_path: Path) -> None:
    secret, public = keys
    assert 0o600 == stat.S_IMODE(secret.stat().st_mode)
    again = run("keys", "new", str(tmp_path / "keys"))
    assert 1 == again.exit_code and "already exists" in again.output
    assert secret.read_text("ascii").splitlines()[1] not in again.output


def test_verify_accepts_a_pack_signed_by_the_given_key_and_refuses_an_altered_one(
    pack_path: Path, keys: tuple[Path, Path]
) -> None:
    sign_file(pack_path, keys[0])
    result = run("verify", str(pack_path), "--key", str(keys[1]))
    assert 0 == result.exit_code
    assert 1 == len(result.output.splitlines()) and "intact, signed by trusted key" in result.output
    with pack_path.open("r+b") as data:
        data.seek(2000)
        byte = data.read(1)
        data.seek(2000)
        data.write(bytes([byte[0] ^ 1]))
    result = run("verify", str(pack_path), "--key", str(keys[1]))
    assert 1 == result.exit_code
    assert "changed after it was signed" in result.output


def test_trusted_keys_from_the_environment_refuse_unsigned_and_foreign_packs(
    pack_path: Path, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    env = {"KETAREF_TRUSTED_KEYS": str(keys[1])}
    unsigned = run("verify", str(pack_path), env=env)
    assert 1 == unsigned.exit_code and "not signed" in unsigned.output
    other = run("keys", "new", str(tmp_path / "other"))
    assert 0 == other.exit_code
    sign_file(pack_path, tmp_path / "other" / "ketaref.key")
    foreign = run("verify", str(pack_path), env=env)
    assert 1 == foreign.exit_code and "not a trusted key" in foreign.output


def test_with_no_trusted_key_an_unsigned_pack_is_accepted_and_marked(pack_path: Path) -> None:
    result = run("verify", str(pack_path))
    assert 0 == result.exit_code
    assert "not signed" in result.output


def test_verify_of_a_file_that_is_not_a_pack_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"not sqlite at all" * 100)
    result = run("verify", str(bogus))
    assert 1 == result.exit_code
    assert 1 == len(result.output.strip().splitlines())
    assert "Traceback" not in result.output
