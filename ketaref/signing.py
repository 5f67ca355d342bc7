"""Pack signatures in the minisign format: Ed25519 keys, detached PACK.minisig files, and their checks.

Compatible with minisign itself: `minisign -Vm PACK -p ketaref.pub` verifies what `sign_file` writes, and the
secret key is minisign's unencrypted key format, kept in a file only its owner can read.
"""

from __future__ import annotations

import base64
import binascii
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import KetarefError

KEY_FILENAME = "ketaref.key"
PUBLIC_KEY_FILENAME = "ketaref.pub"
SIGNATURE_SUFFIX = ".minisig"
_PUBLIC_ALG = b"Ed"
_PREHASHED_ALG = b"ED"  # the signature covers the BLAKE2b-512 hash of the file, as minisign signs by default
_CHECKSUM_ALG = b"B2"
_NO_KDF = b"\x00\x00"
_CHUNK = 1 << 20
MAX_SIGNATURE_BYTES = 4096


class SignatureError(KetarefError):
    """A key or signature file is missing, malformed, or does not match."""


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key and the 8-byte key id minisign gives it."""

    key_id: bytes
    key: bytes

    @property
    def id_hex(self) -> str:
        """The key id as minisign prints it (the little-endian number in upper-case hex)."""
        return self.key_id[::-1].hex().upper()

    def line(self) -> str:
        """The base64 line of a minisign public key file."""
        return base64.b64encode(_PUBLIC_ALG + self.key_id + self.key).decode()


@dataclass(frozen=True)
class Verdict:
    """What verifying a pack found: signed (by which key), unsigned, or refused with a reason."""

    signed: bool
    key_id: str = ""
    reason: str = ""
    trusted_comment: str = ""

    @property
    def ok(self) -> bool:
        """True when the signature is intact and made by one of the trusted keys."""
        return self.signed and not self.reason


def signature_path(pack: Path) -> Path:
    """Where a pack's detached signature lives: PACK.minisig beside it."""
    return pack.with_name(pack.name + SIGNATURE_SUFFIX)


def new_keys(folder: Path) -> tuple[Path, Path]:
    """Write a new key pair: folder/ketaref.key (mode 0600) and folder/ketaref.pub; never overwrites either."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    folder.mkdir(parents=True, exist_ok=True)
    secret_path, public_path = folder / KEY_FILENAME, folder / PUBLIC_KEY_FILENAME
    for path in (secret_path, public_path):
        if path.exists():
            raise SignatureError(f"{path} already exists: KetaRef never overwrites a key; choose another folder.")
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = os.urandom(8)
    secret = seed + public  # libsodium's 64-byte secret key, as minisign stores it
    checksum = hashlib.blake2b(_PUBLIC_ALG + key_id + secret, digest_size=32).digest()
    blob = _PUBLIC_ALG + _NO_KDF + _CHECKSUM_ALG + bytes(32) + bytes(8) + bytes(8) + key_id + secret + checksum
    pub = PublicKey(key_id, public)
    secret_text = f"untrusted comment: minisign secret key {pub.id_hex}\n{base64.b64encode(blob).decode()}\n"
    try:
        fd = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secret_text)
        public_path.write_text(f"untrusted comment: minisign public key {pub.id_hex}\n{pub.line()}\n", "ascii")
    except OSError as error:
        raise SignatureError(f"Could not write the keys in {folder}: {error.strerror or error}.") from error
    return secret_path, public_path


def _secret_key(path: Path) -> tuple[bytes, bytes]:
    """(key id, 32-byte seed) from an unencrypted minisign secret key file."""
    import hashlib

    try:
        lines = path.read_text("ascii").splitlines()
        blob = base64.b64decode(lines[1].strip(), validate=True)
    except FileNotFoundError as error:
        raise SignatureError(f"The key file {path} does not exist.") from error
    except (OSError, UnicodeDecodeError, IndexError, binascii.Error) as error:
        raise SignatureError(f"{path} is not a KetaRef or minisign secret key file.") from error
    if len(blob) != 158 or blob[:2] != _PUBLIC_ALG or blob[4:6] != _CHECKSUM_ALG:
        raise SignatureError(f"{path} is not a KetaRef or minisign secret key file.")
    if blob[2:4] != _NO_KDF:
        raise SignatureError(
            f"{path} is a password-protected minisign key: sign with minisign itself, or make a key with ketaref."
        )
    key_id, secret, checksum = blob[54:62], blob[62:126], blob[126:158]
    if hashlib.blake2b(_PUBLIC_ALG + key_id + secret, digest_size=32).digest() != checksum:
        raise SignatureError(f"The key file {path} is damaged (its checksum does not match).")
    return key_id, secret[:32]


def _file_hash(path: Path) -> bytes:
    import hashlib  # here, not at import: opening the window checks no signature when no key is trusted

    digest = hashlib.blake2b(digest_size=64)
    with path.open("rb") as data:
        while chunk := data.read(_CHUNK):
            digest.update(chunk)
    return digest.digest()


def sign_file(path: Path, key_file: Path, comment: str = "") -> Path:
    """Write PATH.minisig, a minisign signature of the file made with the secret key in key_file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from .atomic import atomic_path

    key_id, seed = _secret_key(key_file)
    private = Ed25519PrivateKey.from_private_bytes(seed)
    try:
        signature = private.sign(_file_hash(path))
    except OSError as error:
        raise SignatureError(f"Could not read {path} to sign it: {error.strerror or error}.") from error
    trusted = comment or f"timestamp:{int(time.time())}\tfile:{path.name}\thashed"
    global_signature = private.sign(signature + trusted.encode("utf-8"))
    text = (
        "untrusted comment: signature from KetaRef secret key\n"
        f"{base64.b64encode(_PREHASHED_ALG + key_id + signature).decode()}\n"
        f"trusted comment: {trusted}\n"
        f"{base64.b64encode(global_signature).decode()}\n"
    )
    target = signature_path(path)
    try:
        with atomic_path(target) as tmp:
            tmp.write_text(text, "utf-8")
            with tmp.open("rb") as written:
                os.fsync(written.fileno())
    except OSError as error:
        raise SignatureError(f"Could not write {target}: {error.strerror or error}.") from error
    return target


def parse_public_key(text: str) -> PublicKey:
    """A public key from a minisign public key file's text or its base64 line alone."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    try:
        blob = base64.b64decode(line, validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureError("Not a minisign public key (expected one base64 line after the comment).") from error
    if len(blob) != 42 or blob[:2] != _PUBLIC_ALG:
        raise SignatureError("Not a minisign Ed25519 public key.")
    return PublicKey(blob[2:10], blob[10:42])


def load_public_key(source: str | Path, base: Path | None = None) -> PublicKey:
    """A public key from a minisign public-key line itself, or from a public-key file (relative to base)."""
    text = str(source).strip()
    if isinstance(source, str):
        try:
            return parse_public_key(text)
        except SignatureError:
            pass  # not a key line: a file name
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    try:
        return parse_public_key(path.read_text("ascii"))
    except (OSError, UnicodeDecodeError) as error:
        raise SignatureError(f"The public key file {path} could not be read.") from error
    except SignatureError as error:
        raise SignatureError(f"{path}: {error}") from error


def verify_file(path: Path, trusted: list[PublicKey]) -> Verdict:
    """Check PATH.minisig against the file and the trusted keys; never raises for a bad or missing signature."""
    sig_path = signature_path(path)
    if not sig_path.is_file():
        return Verdict(False, reason="it is not signed (no .minisig file beside it)")
    try:
        if sig_path.stat().st_size > MAX_SIGNATURE_BYTES:
            return Verdict(False, reason="its signature file is not a minisign signature")
        lines = sig_path.read_text("utf-8").splitlines()
        blob = base64.b64decode(lines[1].strip(), validate=True)
        trusted_line = lines[2]
        global_signature = base64.b64decode(lines[3].strip(), validate=True)
    except (OSError, UnicodeDecodeError, IndexError, binascii.Error, ValueError):
        return Verdict(False, reason="its signature file is not a minisign signature")
    prefix = "trusted comment: "
    if len(blob) != 74 or blob[:2] not in (_PREHASHED_ALG, _PUBLIC_ALG) or not trusted_line.startswith(prefix):
        return Verdict(False, reason="its signature file is not a minisign signature")
    key_id, signature = blob[2:10], blob[10:74]
    comment = trusted_line[len(prefix) :]
    key = next((candidate for candidate in trusted if candidate.key_id == key_id), None)
    shown = key_id[::-1].hex().upper()
    if key is None:
        return Verdict(True, shown, f"it is signed by key {shown}, which is not a trusted key", comment)
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public = Ed25519PublicKey.from_public_bytes(key.key)
    try:
        message = _file_hash(path) if blob[:2] == _PREHASHED_ALG else path.read_bytes()
        public.verify(signature, message)
        public.verify(global_signature, signature + comment.encode("utf-8"))
    except InvalidSignature:
        return Verdict(True, shown, "it was changed after it was signed (the signature does not match)", comment)
    except OSError as error:
        return Verdict(True, shown, f"it could not be read ({error.strerror or error})", comment)
    return Verdict(True, shown, "", comment)


def secret_key_id(key_file: Path) -> str:
    """The key id of a secret key file, checking it can sign (SignatureError with a plain reason otherwise)."""
    key_id, _seed = _secret_key(key_file)
    return key_id[::-1].hex().upper()
