"""Packs of several content versions built from the fixture cards, for the update tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from cardtext import write_card

from ketaref.pack import build
from ketaref.store import open_pack

DATA = Path(__file__).parent / "data"


def make_source(folder: Path, version: str, *, add: bool = False, change: bool = False, remove: bool = False) -> Path:
    """A copy of the fixture source with this content version and, optionally, a card added, changed, removed."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(DATA / "source", folder)
    (folder / "pack.toml").write_text(f'content_version = "{version}"\n', "utf-8")
    if add:
        write_card(folder, "mon-new-checklist", "monitoring", title="New monitoring checklist", reviewed="2026-12-01")
    if change:
        card = folder / "cards" / "dosing" / "dose-iv-ketamine.md"
        text = card.read_text("utf-8").replace("reviewed = 2026-11-20", "reviewed = 2026-12-02")
        card.write_text(text + "\nRecheck the dose after every fourth session.\n", "utf-8")
    if remove:
        (folder / "cards" / "handouts" / "handout-after-treatment.md").unlink()
    return folder


def make_pack(out: Path, version: str, **edits: bool) -> Path:
    """Build a pack of this content version (see make_source for the edits) at out."""
    build(make_source(out.parent / f".source-{out.stem}", version, **edits), out)
    return out


def version_of(path: Path) -> str:
    """The content version of a pack file."""
    with open_pack(path) as pack:
        return pack.content_version
