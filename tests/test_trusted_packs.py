"""Signed packs in use (issue 20, point 1): `pack --sign`, and refusal of unsigned, foreign-signed or altered packs
when a key is trusted, for updates and for packs opened by --pack, KETAREF_PACK or an installed update."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from packversions import make_pack

from ketaref import signing, updates
from ketaref.cli import main
from ketaref.packchoice import open_chosen, resolve_pack
from ketaref.trust import UntrustedPackError


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """The maintainer's key pair."""
    return signing.new_keys(tmp_path / "keys")


@pytest.fixture
def other_keys(tmp_path: Path) -> tuple[Path, Path]:
    """Someone else's key pair (not trusted)."""
    return signing.new_keys(tmp_path / "other-keys")


@pytest.fixture
def trust_key(keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """Clinic IT trusts the maintainer's public key."""
    monkeypatch.setenv("KETAREF_TRUSTED_KEYS", str(keys[1]))
    return keys[1]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "updates"
    path.mkdir()
    monkeypatch.setenv("KETAREF_UPDATES", str(path))
    return path


def test_pack_sign_writes_a_signature_that_verifies(source_dir: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    out = tmp_path / "out" / "pack.sqlite"
    result = CliRunner().invoke(
        main, ["pack", "--source", str(source_dir), "--output", str(out), "--sign", str(keys[0])]
    )
    assert 0 == result.exit_code, result.output
    key_id = signing.load_public_key(keys[1]).id_hex
    assert f"signed by key {key_id}" in result.stdout
    verdict = signing.verify_file(out, [signing.load_public_key(keys[1])])
    assert verdict.ok, verdict.reason
    if shutil.which("minisign"):
        import subprocess

        done = subprocess.run(["minisign", "-Vm", str(out), "-p", str(keys[1])], capture_output=True, text=True)
        assert 0 == done.returncode, done.stderr


def test_a_failed_signing_leaves_no_signature_that_does_not_match(
    source_dir: Path, tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pack.sqlite"
    assert (
        0
        == CliRunner()
        .invoke(main, ["pack", "--source", str(source_dir), "--output", str(out), "--sign", str(keys[0])])
        .exit_code
    )
    old_signature = signing.signature_path(out).read_bytes()
    (source_dir / "pack.toml").write_text('content_version = "1.1"\n', "utf-8")

    def fail(*_args: object, **_kwargs: object) -> Path:
        raise signing.SignatureError("Could not write the signature: No space left on device.")

    monkeypatch.setattr(signing, "sign_file", fail)
    result = CliRunner().invoke(
        main, ["pack", "--source", str(source_dir), "--output", str(out), "--sign", str(keys[0])]
    )
    assert 1 == result.exit_code
    assert "not signed" in result.output and "Traceback" not in result.output
    assert not signing.signature_path(out).exists()  # the old one would not match the new pack
    assert old_signature  # there was one before


def test_a_bad_key_file_stops_before_anything_is_built(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.sqlite"
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n", "utf-8")
    result = CliRunner().invoke(main, ["pack", "--source", str(source_dir), "--output", str(out), "--sign", str(bad)])
    assert 1 == result.exit_code and 1 == len(result.output.strip().splitlines())
    assert not out.exists()


def test_a_rebuild_without_sign_removes_the_stale_signature(
    source_dir: Path, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    out = tmp_path / "pack.sqlite"
    CliRunner().invoke(main, ["pack", "--source", str(source_dir), "--output", str(out), "--sign", str(keys[0])])
    (source_dir / "pack.toml").write_text('content_version = "1.1"\n', "utf-8")
    result = CliRunner().invoke(main, ["pack", "--source", str(source_dir), "--output", str(out)])
    assert 0 == result.exit_code
    assert not signing.signature_path(out).exists()


def _sign(pack: Path, key: Path) -> Path:
    signing.sign_file(pack, key)
    return pack


def _alter(pack: Path) -> Path:
    """Change one byte of a signed pack's last page (it still opens)."""
    data = bytearray(pack.read_bytes())
    data[-10] ^= 0x01
    pack.write_bytes(bytes(data))
    return pack


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("unsigned", "it is not signed"),
        ("foreign", "not a trusted key"),
        ("altered", "changed after it was signed"),
    ],
)
def test_an_update_that_a_trusted_key_did_not_sign_is_refused_with_the_reason(
    current: Path,
    folder: Path,
    keys: tuple[Path, Path],
    other_keys: tuple[Path, Path],
    trust_key: Path,
    kind: str,
    reason: str,
) -> None:
    newer = make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    if kind == "foreign":
        _sign(newer, other_keys[0])
    elif kind == "altered":
        _alter(_sign(newer, keys[0]))
    skipped: updates.Skipped = []
    assert updates.find_update(folder, current, skipped=skipped) is None
    assert [(newer, True)] == [(path, reason in why) for path, why in skipped]
    check = run("update", "--check")
    assert 1 == check.exit_code
    assert any(line.startswith("skipped ketaref-1.1.sqlite:") and reason in line for line in check.stdout.splitlines())
    install = run("update", "--install")
    assert 1 == install.exit_code and updates.active_pack() is None


def test_a_signed_update_is_offered_installed_with_its_signature_and_reverified_at_open(
    current: Path, folder: Path, keys: tuple[Path, Path], trust_key: Path
) -> None:
    newer = _sign(make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True), keys[0])
    update = updates.find_update(folder, current)
    assert update is not None and update.trust is not None and update.trust.trusted
    assert "signed by trusted key" in update.signature_label
    installed = updates.install_update(update)
    assert signing.signature_path(installed).read_bytes() == signing.signature_path(newer).read_bytes()
    assert installed == resolve_pack()
    # The installed copy is checked again when it is opened: altered after install, it gives way to the built-in.
    _alter(installed)
    told: list[str] = []
    with open_chosen(warn=told.append) as pack:
        assert "1.0" == pack.content_version
    assert 1 == len(told) and "changed after it was signed" in told[0] and "built-in pack" in told[0]


def test_an_installed_unsigned_update_is_refused_once_a_key_is_trusted(
    current: Path, folder: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    update = updates.find_update(folder, current)
    assert update is not None and update.trust is not None and not update.trust.signed
    assert "not signed" in update.signature_label  # the offer says so
    updates.install_update(update)
    assert "1.1" == json.loads(run("info", "--json").stdout)["content_version"]
    monkeypatch.setenv("KETAREF_TRUSTED_KEYS", str(keys[1]))
    result = run("info", "--json")
    assert 0 == result.exit_code
    info = json.loads(result.stdout)
    assert "1.0" == info["content_version"] and info["signature"]["built_in"]
    assert "is refused: it is not signed" in result.stderr


def test_with_no_trusted_key_an_unsigned_pack_is_accepted_and_marked_not_signed(pack_path: Path) -> None:
    result = run("--pack", str(pack_path), "info", "--json")
    assert 0 == result.exit_code
    assert {"signed": False, "key_id": None, "trusted": False, "built_in": False} == json.loads(result.stdout)[
        "signature"
    ]
    text = run("--pack", str(pack_path), "info")
    assert any(line.startswith("Signature:") and "not signed" in line for line in text.stdout.splitlines())


def test_the_built_in_pack_is_trusted_as_part_of_the_program(current: Path, trust_key: Path) -> None:
    result = run("info", "--json")
    assert 0 == result.exit_code, result.output
    signature = json.loads(result.stdout)["signature"]
    assert signature["trusted"] and signature["built_in"] and not signature["signed"]


@pytest.mark.parametrize("how", ["--pack", "KETAREF_PACK"])
@pytest.mark.parametrize("kind", ["unsigned", "foreign", "altered"])
def test_an_opened_pack_a_trusted_key_did_not_sign_is_refused_in_one_line(
    pack_path: Path,
    keys: tuple[Path, Path],
    other_keys: tuple[Path, Path],
    trust_key: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
    kind: str,
) -> None:
    if kind == "foreign":
        _sign(pack_path, other_keys[0])
    elif kind == "altered":
        _alter(_sign(pack_path, keys[0]))
    if how == "--pack":
        result = CliRunner().invoke(main, ["--pack", str(pack_path), "search", "dose"])
    else:
        monkeypatch.setenv("KETAREF_PACK", str(pack_path))
        result = CliRunner().invoke(main, ["search", "dose"])
    assert 1 == result.exit_code
    lines = result.output.strip().splitlines()
    assert 1 == len(lines) and "is refused" in lines[0], lines
    with pytest.raises(UntrustedPackError):
        resolve_pack(pack_path)


def test_a_signed_opened_pack_is_accepted_and_named_in_info(
    pack_path: Path, keys: tuple[Path, Path], trust_key: Path
) -> None:
    _sign(pack_path, keys[0])
    info = json.loads(run("--pack", str(pack_path), "info", "--json").stdout)
    key_id = signing.load_public_key(keys[1]).id_hex
    assert {"signed": True, "key_id": key_id, "trusted": True, "built_in": False} == info["signature"]


def test_the_window_refuses_an_opened_pack_and_about_marks_not_signed(
    make_window, pack_path: Path, tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui import dialogs
    from ketaref.gui.messages import Messages

    window = make_window(pack_path)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_about", lambda _parent, text, details="": shown.append((text, details)))
    window.about()
    assert "Signature: not signed" in shown[0][0]

    told: list[str] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: told.append(message.text))
    other = make_pack(tmp_path / "other" / "ketaref-1.1.sqlite", "1.1", add=True)
    monkeypatch.setenv("KETAREF_TRUSTED_KEYS", str(keys[1]))
    assert not window.open_pack_file(other)
    assert 1 == len(told) and "is refused: it is not signed" in told[0]
    assert pack_path == window.pack.path


def test_the_update_offer_says_how_the_update_is_signed(
    qtbot, current: Path, folder: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ketaref.gui.update_dialog import UpdateDialog

    newer = make_pack(folder / "ketaref-1.1.sqlite", "1.1", add=True)
    update = updates.find_update(folder, current)
    assert update is not None
    dialog = UpdateDialog(update)
    qtbot.addWidget(dialog)
    assert dialog.signature.text().startswith("Signature: not signed")
    _sign(newer, keys[0])
    monkeypatch.setenv("KETAREF_TRUSTED_KEYS", str(keys[1]))
    signed = updates.find_update(folder, current)
    assert signed is not None
    key_id = signing.load_public_key(keys[1]).id_hex
    assert f"Signature: signed by trusted key {key_id}" == UpdateDialog(signed).signature.text()
