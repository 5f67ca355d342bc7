"""Pack signatures: minisign-format keys and signatures, and every way a signature check can fail."""

from __future__ import annotations

import base64
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from ketaref import signing
from ketaref.signing import SignatureError


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return signing.new_keys(tmp_path / "keys")


@pytest.fixture
def signed(tmp_path: Path, keys: tuple[Path, Path]) -> Path:
    pack = tmp_path / "pack.sqlite"
    pack.write_bytes(b"56 mg " * 5000)
    signing.sign_file(pack, keys[0])
    return pack


def trusted(keys: tuple[Path, Path]) -> list[signing.PublicKey]:
    return [signing.load_public_key(keys[1])]


def test_new_keys_keep_the_secret_key_private_and_never_overwrite(keys: tuple[Path, Path]) -> None:
    secret, public = keys
    assert 0o600 == stat.S_IMODE(secret.stat().st_mode)
    assert public.read_text("ascii").startswith("untrusted comment: minisign public key ")
    with pytest.raises(SignatureError, match="already exists"):
        signing.new_keys(secret.parent)


def test_an_intact_pack_signed_by_a_trusted_key_verifies(signed: Path, keys: tuple[Path, Path]) -> None:
    verdict = signing.verify_file(signed, trusted(keys))
    assert verdict.ok
    assert signing.load_public_key(keys[1]).id_hex == verdict.key_id
    assert "file:pack.sqlite" in verdict.trusted_comment


def test_one_changed_byte_is_refused(signed: Path, keys: tuple[Path, Path]) -> None:
    data = bytearray(signed.read_bytes())
    data[0:2] = b"86"
    signed.write_bytes(bytes(data))
    verdict = signing.verify_file(signed, trusted(keys))
    assert not verdict.ok
    assert "changed after it was signed" in verdict.reason


def test_a_changed_trusted_comment_is_refused(signed: Path, keys: tuple[Path, Path]) -> None:
    sig = signing.signature_path(signed)
    lines = sig.read_text("utf-8").splitlines()
    lines[2] = "trusted comment: content_version 2099.1.1"
    sig.write_text("\n".join(lines) + "\n", "utf-8")
    assert "changed after it was signed" in signing.verify_file(signed, trusted(keys)).reason


def test_another_key_unsigned_and_garbage_are_refused_with_a_reason(
    signed: Path, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    _other_secret, other_public = signing.new_keys(tmp_path / "other")
    verdict = signing.verify_file(signed, [signing.load_public_key(other_public)])
    assert not verdict.ok and "not a trusted key" in verdict.reason
    unsigned = tmp_path / "unsigned.sqlite"
    unsigned.write_bytes(b"x")
    assert "not signed" in signing.verify_file(unsigned, trusted(keys)).reason
    signing.signature_path(unsigned).write_text("not a signature\n", "utf-8")
    assert "not a minisign signature" in signing.verify_file(unsigned, trusted(keys)).reason
    signing.signature_path(unsigned).write_bytes(b"\xff" * 10_000)
    assert "not a minisign signature" in signing.verify_file(unsigned, trusted(keys)).reason


def test_public_keys_load_from_a_line_or_a_file_and_bad_ones_say_so(keys: tuple[Path, Path], tmp_path: Path) -> None:
    line = keys[1].read_text("ascii").splitlines()[1]
    assert signing.load_public_key(line) == signing.load_public_key(keys[1])
    assert signing.load_public_key("keys/ketaref.pub", base=tmp_path) == signing.load_public_key(line)
    with pytest.raises(SignatureError, match="could not be read"):
        signing.load_public_key(tmp_path / "missing.pub")
    with pytest.raises(SignatureError, match="Not a minisign"):
        signing.parse_public_key(base64.b64encode(b"RW" + bytes(40)).decode())


def test_a_damaged_or_password_protected_secret_key_is_refused(keys: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    lines = keys[0].read_text("ascii").splitlines()
    blob = bytearray(base64.b64decode(lines[1]))
    blob[70] ^= 1
    damaged = tmp_path / "damaged.key"
    damaged.write_text(f"{lines[0]}\n{base64.b64encode(bytes(blob)).decode()}\n", "ascii")
    with pytest.raises(SignatureError, match="damaged"):
        signing.sign_file(target, damaged)
    blob = bytearray(base64.b64decode(lines[1]))
    blob[2:4] = b"Sc"
    damaged.write_text(f"{lines[0]}\n{base64.b64encode(bytes(blob)).decode()}\n", "ascii")
    with pytest.raises(SignatureError, match="password-protected"):
        signing.sign_file(target, damaged)


@pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign is not installed (apt-get install minisign)")
def test_minisign_itself_verifies_our_signature_and_we_verify_its(
    signed: Path, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    checked = subprocess.run(["minisign", "-Vm", str(signed), "-p", str(keys[1])], capture_output=True, text=True)
    assert 0 == checked.returncode, checked.stderr
    theirs = tmp_path / "theirs.sqlite"
    theirs.write_bytes(b"theirs")
    subprocess.run(["minisign", "-S", "-s", str(keys[0]), "-m", str(theirs)], check=True, stdin=subprocess.DEVNULL)
    assert signing.verify_file(theirs, trusted(keys)).ok
