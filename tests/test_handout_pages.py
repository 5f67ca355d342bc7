"""How long every patient handout prints, English and Spanish: at most 2 pages in normal print and 3 in large print,
on Letter and on A4; in normal print, page 1 holds the actions, when to call 911, the 988 line and both phones."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_handout_page1 import OPTIONS, pdf_pages

from ketaref.handout import write_pdf

LIMIT = {False: 2, True: 3}  # pages, by large print
# The section headings page 1 must hold, as each language's handouts write them.
FIRST_PAGE = {"en": ("What to do", "911", "988"), "es": ("Qué hacer", "911", "988")}


def handout_ids(pack) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.id for hit in pack.browse(audience="patient") if hit.category == "handouts"]


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_handout_keeps_to_its_pages(shipped_pack, tmp_path: Path, paper: str, large_print: bool) -> None:  # type: ignore[no-untyped-def]
    options = dataclasses.replace(OPTIONS, paper=paper, large_print=large_print)
    ids = handout_ids(shipped_pack)
    assert len([i for i in ids if i.endswith("-es")]) == 6 and len(ids) == 12
    too_long, first_page_short = [], []
    for card_id in ids:
        card = shipped_pack.card(card_id)
        out = tmp_path / f"{card_id}.pdf"
        write_pdf([card], out, options, shipped_pack.titles())
        pages = pdf_pages(out)
        if len(pages) > LIMIT[large_print]:
            too_long.append(f"{card_id}: {len(pages)} pages")
        if not large_print:
            needed = (*FIRST_PAGE[card.lang], "555-0100", "555-0199")
            first = pages[0].replace(" ", "")  # the PDF's text layer may split a word at a kerning gap: "W hat"
            missing = [text for text in needed if text.replace(" ", "") not in first]
            if missing:
                first_page_short.append(f"{card_id}: page 1 lacks {missing}")
    assert [] == too_long
    assert [] == first_page_short
