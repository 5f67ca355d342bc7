"""Pack signatures: `ketaref keys new` makes a signing key pair, `ketaref verify` checks a pack."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KetarefError
from .common import Failure, user_errors


@click.group("keys")
def keys_group() -> None:
    """Signing keys for packs (Ed25519, in minisign's format)."""


@keys_group.command("new")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def keys_new_cmd(folder: Path) -> None:
    """Write a new key pair: FOLDER/ketaref.key (secret, mode 0600) and FOLDER/ketaref.pub (give this to IT)."""
    from ..signing import load_public_key, new_keys

    with user_errors():
        secret, public = new_keys(folder)
        key_id = load_public_key(public).id_hex
    click.echo(f"Wrote {public} (public key {key_id}) and {secret} (secret: keep it private and backed up).")


@click.command("verify")
@click.argument("pack_file", metavar="PACK", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Trust only this public key file (default: the site file's trusted_keys and KETAREF_TRUSTED_KEYS).",
)
def verify_cmd(pack_file: Path, key_file: Path | None) -> None:
    """Say in one line whether a pack is intact, signed, and by which trusted key (exit 0 or 1)."""
    from ..signing import load_public_key
    from ..site import load_site
    from ..store import open_pack
    from ..trust import TrustedKeys, check_pack, describe_verdict, trusted_keys

    with user_errors():
        if not pack_file.is_file():
            raise KetarefError(f"{pack_file} is not a file.")
        keys = TrustedKeys((load_public_key(key_file),)) if key_file else trusted_keys(load_site())
        verdict = check_pack(pack_file, keys)
        accepted = verdict.ok or not keys.keys
        if accepted:
            open_pack(pack_file).close()  # intact as a pack too: its schema and SQLite's integrity check
    line = describe_verdict(pack_file, verdict, bool(keys.keys))
    if not accepted:
        raise Failure(line)
    click.echo(line)
