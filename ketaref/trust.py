"""Which pack signers this workstation trusts: the site file's trusted_keys and KETAREF_TRUSTED_KEYS."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import KetarefError
from .signing import PublicKey, Verdict, load_public_key, verify_file
from .site import Site

log = logging.getLogger(__name__)

TRUSTED_KEYS_ENV = "KETAREF_TRUSTED_KEYS"


@dataclass(frozen=True)
class TrustedKeys:
    """The public keys in force and the entries that could not be read (one line each)."""

    keys: tuple[PublicKey, ...] = ()
    problems: tuple[str, ...] = ()


def trusted_keys(site: Site | None = None) -> TrustedKeys:
    """The trusted keys from the site file and from KETAREF_TRUSTED_KEYS (entries split on the path separator)."""
    entries: list[tuple[str, Path | None]] = []
    if site is not None and site.path is not None:
        entries += [(entry, site.path.parent) for entry in site.trusted_keys]
    named = os.environ.get(TRUSTED_KEYS_ENV, "")
    entries += [(entry.strip(), None) for entry in named.split(os.pathsep) if entry.strip()]
    keys: list[PublicKey] = []
    problems: list[str] = []
    for entry, base in entries:
        try:
            key = load_public_key(entry, base=base)
        except KetarefError as error:
            problems.append(f"trusted key '{entry}' not used: {error}")
            continue
        if key not in keys:
            keys.append(key)
    for problem in problems:
        log.warning("%s", problem)
    return TrustedKeys(tuple(keys), tuple(problems))


def describe_verdict(pack: Path, verdict: Verdict, keys_trusted: bool) -> str:
    """One line saying whether a pack is accepted: signed by which trusted key, or why not."""
    if verdict.ok:
        return f"{pack}: intact, signed by trusted key {verdict.key_id}."
    if not keys_trusted:
        signer = f"signed by key {verdict.key_id}, which" if verdict.signed else "not signed, which"
        return f"{pack}: intact, {signer} is accepted because no key is trusted on this workstation."
    return f"{pack}: refused: {verdict.reason}."


def check_pack(pack: Path, keys: TrustedKeys) -> Verdict:
    """Verify a pack's signature against the trusted keys (an unsigned pack passes when no key is trusted)."""
    return verify_file(pack, list(keys.keys))
