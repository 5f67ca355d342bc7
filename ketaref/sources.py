"""The source files a pack is built from, and their digest: cheap enough to check at every start."""

from __future__ import annotations

import os
from pathlib import Path

from . import __version__

SCHEMA_VERSION = 1
# Bumped whenever what a build writes changes (columns, rendering), so stale cached packs are rebuilt.
PACK_FORMAT = 5


def builder_version() -> str:
    """The KetaRef version and pack format that a build records (a different one means rebuild)."""
    return f"{__version__}+format{PACK_FORMAT}"


def card_files(cards_dir: Path) -> list[Path]:
    """Every card file under a cards folder, in a stable order."""
    found = [
        (os.path.relpath(os.path.join(folder, name), cards_dir).replace(os.sep, "/"), Path(folder, name))
        for folder, _dirs, names in os.walk(cards_dir)
        for name in names
        if name.endswith(".md")
    ]
    return [path for _key, path in sorted(found)]


def source_files(source: Path) -> list[Path]:
    """Every file whose content goes into a pack built from this source folder."""
    files = card_files(source / "cards")
    for name in ("synonyms.toml", "pack.toml"):
        if (source / name).is_file():
            files.append(source / name)
    return files


def source_digest(source: Path) -> str:
    """SHA-256 over the source files' names and bytes: the pack's content_sha256."""
    import hashlib  # not at module level: a start-up with unchanged sources never hashes (see defaults.is_current)

    digest = hashlib.sha256(f"ketaref-schema-{SCHEMA_VERSION}\n".encode())
    for path in source_files(source):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(source).as_posix()}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()
