"""Which pack signers this workstation trusts: the site file's trusted_keys and KETAREF_TRUSTED_KEYS."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import KetarefError
from .site import Site

if TYPE_CHECKING:
    from .signing import PublicKey, Verdict

TRUSTED_KEYS_ENV = "KETAREF_TRUSTED_KEYS"


class TrustedKeys(NamedTuple):
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
        from .signing import load_public_key

        try:
            key = load_public_key(entry, base=base)
        except KetarefError as error:
            problems.append(f"trusted key '{entry}' not used: {error}")
            continue
        if key not in keys:
            keys.append(key)
    if problems:
        import logging

        for problem in problems:
            logging.getLogger(__name__).warning("%s", problem)
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
    from .signing import verify_file

    return verify_file(pack, list(keys.keys))


class UntrustedPackError(KetarefError):
    """A pack is refused: a key is trusted and the pack is unsigned, signed by another key, or changed since."""


class PackTrust(NamedTuple):
    """Whether a pack may be used, and what About, `ketaref info` and the update offer say about its signature."""

    signed: bool
    key_id: str = ""
    trusted: bool = False  # signed by a trusted key, or the built-in pack
    built_in: bool = False
    keys_trusted: bool = False  # whether any key is trusted on this workstation
    reason: str = ""  # why it is refused; "" when it is accepted

    @property
    def accepted(self) -> bool:
        """True when the pack may be opened or installed."""
        return not self.reason

    def label(self) -> str:
        """A few words for About, `ketaref info` and the update offer."""
        if self.built_in:
            return "built-in pack (trusted as part of the installed program)"
        if self.trusted:
            return f"signed by trusted key {self.key_id}"
        if self.signed:
            return f"signed by key {self.key_id}, not a trusted key (accepted: no key is trusted here)"
        return "not signed (accepted: no key is trusted on this workstation)"

    def as_info(self) -> dict[str, object]:
        """The "signature" object of `ketaref info --json`."""
        return {
            "signed": self.signed,
            "key_id": self.key_id or None,
            "trusted": self.trusted,
            "built_in": self.built_in,
        }


def is_built_in(path: Path) -> bool:
    """True for the pack that comes with the program: the bundled one, or the default one built from its resources."""
    from .paths import bundled_pack, cached_pack

    try:
        resolved = Path(path).resolve()
        return resolved in (bundled_pack().resolve(), cached_pack().resolve())
    except OSError:
        return False


def keys_in_force() -> TrustedKeys:
    """The trusted keys of this workstation: the site file's trusted_keys and KETAREF_TRUSTED_KEYS."""
    from .site import site_in_force

    return trusted_keys(site_in_force())


def pack_trust(path: Path, keys: TrustedKeys | None = None, built_in: bool | None = None) -> PackTrust:
    """Check a pack's signature (PACK.minisig beside it) against the trusted keys; see PackTrust."""
    path = Path(path)
    built_in = is_built_in(path) if built_in is None else built_in
    keys = keys_in_force() if keys is None else keys
    if built_in:
        return PackTrust(signed=False, trusted=True, built_in=True, keys_trusted=bool(keys.keys))
    verdict = check_pack(path, keys)
    if verdict.ok:
        return PackTrust(True, verdict.key_id, trusted=True, keys_trusted=bool(keys.keys))
    if not keys.keys:  # nothing to check a signature against: accepted, and marked as such
        return PackTrust(verdict.signed, verdict.key_id, keys_trusted=False)
    return PackTrust(verdict.signed, verdict.key_id, keys_trusted=bool(keys.keys), reason=verdict.reason)


def require_trusted(path: Path, what: str = "The pack", keys: TrustedKeys | None = None) -> None:
    """Raise UntrustedPackError with one plain sentence when the pack is refused (the caller shows and logs it: the
    window's message route, the CLI's error line). With no key trusted every pack is accepted, so its signature
    is not read (the signing code is not even imported: `ketaref search --pack` starts faster)."""
    keys = keys_in_force() if keys is None else keys
    if not keys.keys:
        return
    trust = pack_trust(path, keys)
    if not trust.accepted:
        message = f"{what} {path} is refused: {trust.reason}."
        if trust.keys_trusted:
            message += " Only packs signed by a key trusted on this workstation are used."
        raise UntrustedPackError(message)
