"""Printed handouts and reference sheets: one layout for the printer and the PDF."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ketaref.cli import main
from ketaref.errors import KetarefError
from ketaref.handout import PrintOptions, write_pdf

HANDOUTS = ["handout-about-ketamine", "handout-infusion-day", "handout-esketamine-spray",
            "handout-after-treatment", "handout-side-effects", "handout-is-it-right"]  # fmt: skip


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, with ligatures unfolded and white space collapsed as a reader sees it."""
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in PdfReader(str(path)).pages]


def handout(args: list[str], pack_path: Path) -> object:
    return CliRunner().invoke(main, ["--pack", str(pack_path), "handout", *args])


def test_a_handout_pdf_carries_clinic_phone_title_dates_and_page_numbers(
    shipped_pack_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "after.pdf"
    result = handout(
        ["handout-after-treatment", "--output", str(out), "--clinic", "Riverside Clinic", "--phone", "555-0100"],
        shipped_pack_path,
    )
    assert 0 == result.exit_code, result.output
    pages = pdf_pages(out)
    first = pages[0]
    assert "Riverside Clinic" in first
    assert "555-0100" in first
    assert "After treatment" in first
    assert f"Printed {dt.date.today().isoformat()}" in first
    assert "Last reviewed 20" in first
    assert f"Page 1 of {len(pages)}" in first
    assert "does not replace advice from your care team" in first
    assert "Questions?" in pages[-1]


def test_several_ids_make_one_packet_each_handout_starting_on_a_new_page(shipped_pack, tmp_path: Path) -> None:
    cards = [shipped_pack.card(i) for i in HANDOUTS]
    titles = shipped_pack.titles()
    singles = [write_pdf([c], tmp_path / f"{c.id}.pdf", PrintOptions(), titles) for c in cards]
    out = tmp_path / "packet.pdf"
    total = write_pdf(cards, out, PrintOptions(clinic="Clinic"), titles)
    assert sum(singles) == total == len(PdfReader(str(out)).pages)
    starts = [p for p in pdf_pages(out) if "Page 1 of" in p]
    assert len(HANDOUTS) == len(starts)
    for card, page in zip(cards, starts, strict=True):
        assert card.title.split(":")[0][:25] in page, card.id


def test_large_print_gives_more_pages_than_normal_print(shipped_pack, tmp_path: Path) -> None:
    cards = [shipped_pack.card(i) for i in HANDOUTS]
    titles = shipped_pack.titles()
    normal = write_pdf(cards, tmp_path / "normal.pdf", PrintOptions(), titles)
    large = write_pdf(cards, tmp_path / "large.pdf", PrintOptions(large_print=True), titles)
    assert large > normal


def test_large_print_enlarges_handouts_but_not_clinician_sheets(shipped_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPdfWriter

    from ketaref.handout import ensure_app, layout_cards, page_layout

    ensure_app()
    titles = shipped_pack.titles()
    cards = [shipped_pack.card("dose-esketamine"), shipped_pack.card("handout-after-treatment")]
    sizes = {}
    for large in (False, True):
        writer = QPdfWriter(str(tmp_path / f"sizes{large}.pdf"))
        writer.setPageLayout(page_layout(PrintOptions(large_print=large)))
        for card, doc in layout_cards(writer, cards, PrintOptions(large_print=large), titles):
            sizes[(card.id, large)] = (doc.defaultFont().pointSizeF(), doc.pageCount())
        del writer
    assert sizes[("dose-esketamine", True)] == sizes[("dose-esketamine", False)]
    assert (12.0, 16.0) == (sizes[("handout-after-treatment", False)][0], sizes[("handout-after-treatment", True)][0])
    assert sizes[("handout-after-treatment", True)][1] >= sizes[("handout-after-treatment", False)][1]


def printed_sizes(path: Path, *starts: str) -> list[dict[str, float]]:
    """Per page, the point size at which each line starting with one of starts is printed."""
    pages: list[dict[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        line = " ".join(text.split())
        for start in starts:
            if line.startswith(start):
                scale = (cm[0] ** 2 + cm[1] ** 2) ** 0.5 * (tm[0] ** 2 + tm[1] ** 2) ** 0.5
                pages[-1][start] = round(size * scale, 1)

    for page in PdfReader(str(path)).pages:
        pages.append({})
        page.extract_text(visitor_text=visit)
    return pages


def test_large_print_enlarges_the_clinic_phone_and_page_footer_of_handouts_only(
    shipped_pack_path: Path, tmp_path: Path
) -> None:
    lines = ("Phone:", "This sheet does not replace", "Page 1 of")
    sizes = {}
    for large in (False, True):
        out = tmp_path / f"mixed-{large}.pdf"
        args = ["handout-after-treatment", "dose-esketamine", "-o", str(out), "--clinic", "Clinic", "--phone", "555"]
        assert 0 == handout(args + (["--large-print"] if large else []), shipped_pack_path).exit_code
        pages = printed_sizes(out, *lines)
        sheet_start = next(n for n, page in enumerate(pages) if n and "Page 1 of" in page)
        sizes[large] = (pages[0], pages[sheet_start])  # the handout's first page, the clinician sheet's first
    (normal_handout, normal_sheet), (large_handout, large_sheet) = sizes[False], sizes[True]
    assert set(lines) == set(normal_handout) == set(large_handout)
    for line in lines:
        assert large_handout[line] >= 1.15 * normal_handout[line], line
        assert large_handout[line] >= 10.5, line  # the smallest line on a large-print page
    assert large_sheet == normal_sheet == {"Phone:": normal_handout["Phone:"], "Page 1 of": normal_handout["Page 1 of"]}


def test_the_cli_says_when_large_print_left_a_clinician_sheet_alone(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "mixed.pdf"
    args = ["handout-after-treatment", "dose-esketamine", "-o", str(out), "--large-print", "--no-clinic"]
    result = handout(args, shipped_pack_path)
    assert 0 == result.exit_code, result.output
    assert "Large print is for patient handouts: dose-esketamine printed at the normal size." in result.output


def test_markup_in_the_clinic_name_prints_literally(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "markup.pdf"
    clinic = 'Mood <b>& "Sleep"</b> Clinic'
    result = handout(
        ["handout-side-effects", "-o", str(out), "--clinic", clinic, "--phone", "<555>"], shipped_pack_path
    )
    assert 0 == result.exit_code, result.output
    text = " ".join(pdf_pages(out))
    assert clinic in text
    assert "<555>" in text


def test_paper_size_letter_and_a4(shipped_pack_path: Path, tmp_path: Path) -> None:
    sizes = {}
    for paper in ("letter", "a4"):
        out = tmp_path / f"{paper}.pdf"
        args = ["handout-is-it-right", "-o", str(out), "--paper", paper, "--no-clinic"]
        assert 0 == handout(args, shipped_pack_path).exit_code
        box = PdfReader(str(out)).pages[0].mediabox
        sizes[paper] = (round(float(box.width)), round(float(box.height)))
    assert (612, 792) == sizes["letter"]
    assert (595, 842) == sizes["a4"]


def test_a_clinician_card_prints_as_a_reference_sheet_with_numbered_sources(shipped_pack, tmp_path: Path) -> None:
    card = shipped_pack.card("ev-ketamine-vs-ect")
    out = tmp_path / "sheet.pdf"
    write_pdf([card], out, PrintOptions(), shipped_pack.titles())
    text = " ".join(pdf_pages(out))
    assert "Sources" in text.replace(" ", "")  # pypdf may split a bold heading's letters
    assert "1. Anand A" in text and "2. Ekstrand J" in text
    assert "Not a substitute for clinical judgement" in text


def test_the_screening_checklist_prints_on_one_page(shipped_pack, tmp_path: Path) -> None:
    for paper in ("letter", "a4"):
        out = tmp_path / f"checklist-{paper}.pdf"
        pages = write_pdf(
            [shipped_pack.card("contra-screening-checklist")], out, PrintOptions(paper=paper), shipped_pack.titles()
        )
        assert 1 == pages, paper
        assert "\u2610" in pdf_pages(out)[0] or "Signature" in pdf_pages(out)[0]


def test_an_unknown_id_is_named_and_no_pdf_is_left(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = handout(["handout-side-effects", "no-such-card", "-o", str(out)], shipped_pack_path)
    assert 1 == result.exit_code
    assert "no-such-card" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert [] == list(tmp_path.iterdir())


def test_a_mistyped_id_suggests_the_card(shipped_pack_path: Path, tmp_path: Path) -> None:
    result = handout(["handout-side-effect", "-o", str(tmp_path / "x.pdf")], shipped_pack_path)
    assert 1 == result.exit_code
    assert "Did you mean handout-side-effects?" in result.output


def test_an_unwritable_output_path_is_a_clear_error(shipped_pack_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "dir" / "x.pdf"
    result = handout(["handout-side-effects", "-o", str(out), "--phone", "1"], shipped_pack_path)
    assert 1 == result.exit_code
    assert "Cannot write" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["missing", "not-an-image", "damaged", "folder"])
def test_a_bad_logo_is_a_clear_error(shipped_pack_path: Path, tmp_path: Path, kind: str) -> None:
    logo = tmp_path / "logo.png"
    if kind == "not-an-image":
        logo.write_text("this is not a picture")
    elif kind == "damaged":  # a PNG header, then the file stops: it used to be left off the page without a word
        from PySide6.QtGui import QColor, QImage

        from ketaref.handout import ensure_app

        ensure_app()
        image = QImage(300, 100, QImage.Format.Format_RGB32)
        image.fill(QColor("navy"))
        assert image.save(str(tmp_path / "whole.png"))
        logo.write_bytes((tmp_path / "whole.png").read_bytes()[:60])
    elif kind == "folder":
        logo.mkdir()
    out = tmp_path / "x.pdf"
    result = handout(["handout-side-effects", "-o", str(out), "--logo", str(logo)], shipped_pack_path)
    assert 1 == result.exit_code
    assert "logo" in result.output.lower()
    assert not out.exists()


def test_every_handout_body_prints_at_12_pt_or_more(shipped_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A handout with a checklist for the patient is not a staff form: it once shrank to 8.4 pt to fit a page.
    from PySide6.QtGui import QPdfWriter

    from ketaref.handout import ensure_app, layout_cards, page_layout

    ensure_app()
    writer = QPdfWriter(str(tmp_path / "size.pdf"))
    writer.setPageLayout(page_layout(PrintOptions()))
    cards = [shipped_pack.card(card_id) for card_id in HANDOUTS]
    sizes = {card.id: doc.defaultFont().pointSizeF() for card, doc in layout_cards(writer, cards, PrintOptions(), {})}
    assert all(size >= 12 for size in sizes.values()), sizes


def test_the_phone_number_in_the_questions_box_never_breaks(shipped_pack) -> None:  # type: ignore[no-untyped-def]
    from ketaref.handout import card_print_html

    html_text = card_print_html(shipped_pack.card("handout-side-effects"), {}, PrintOptions(phone="(555) 010-0100"))
    assert "(555)\u00a0010\u20110100" in html_text


def test_a_logo_image_is_drawn_in_the_header(shipped_pack, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    from ketaref.handout import ensure_app

    ensure_app()
    logo = tmp_path / "logo.png"
    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("darkblue"))
    assert image.save(str(logo))
    titles = shipped_pack.titles()
    card = shipped_pack.card("handout-side-effects")
    plain, with_logo = tmp_path / "plain.pdf", tmp_path / "logo.pdf"
    write_pdf([card], plain, PrintOptions(clinic="C"), titles)
    write_pdf([card], with_logo, PrintOptions(clinic="C", logo=logo), titles)
    assert PdfReader(str(with_logo)).pages[0].images
    assert not PdfReader(str(plain)).pages[0].images


def test_write_pdf_rejects_an_empty_selection(shipped_pack, tmp_path: Path) -> None:
    with pytest.raises(KetarefError):
        write_pdf([], tmp_path / "none.pdf", PrintOptions(), shipped_pack.titles())
    assert not (tmp_path / "none.pdf").exists()


def test_the_command_works_with_no_display(shipped_pack_path: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "headless.pdf"
    ketaref = Path(sys.executable).parent / "ketaref"
    done = subprocess.run(
        [str(ketaref), "--pack", str(shipped_pack_path), "handout", "handout-infusion-day", "-o", str(out)]
        + ["--no-clinic"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert 0 == done.returncode, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_headings_stay_with_their_text_and_short_lists_and_tables_stay_whole(
    shipped_pack, tmp_path: Path, large_print: bool, paper: str
) -> None:  # type: ignore[no-untyped-def]
    # Also: no list item and no table row under half a page is split across two pages (a trial's result read
    # without its name); a list under a quarter of a page, or of three items or fewer, is never split, and a
    # longer one that is keeps at least two items on each page.
    from PySide6.QtGui import QPdfWriter, QTextTable

    from ketaref.handout import ensure_app, layout_cards, page_layout

    ensure_app()
    options = PrintOptions(large_print=large_print, paper=paper)
    writer = QPdfWriter(str(tmp_path / "layout.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(page_layout(options))
    titles = shipped_pack.titles()
    cards = [shipped_pack.card(card_id) for card_id in titles]
    problems = []
    for card, doc in layout_cards(writer, cards, options, titles):
        height = doc.pageSize().height()  # the body area: no header, no footer (larger ones in large print)
        layout = doc.documentLayout()
        block = doc.begin()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            following = block.next()
            if block.blockFormat().headingLevel() and following.isValid() and following.layout().lineCount():
                first_line = layout.blockBoundingRect(following).top() + following.layout().lineAt(0).height()
                if int(rect.top() // height) != int(first_line // height):
                    problems.append(f"{card.id}: heading '{block.text()}' left at a page foot")
            listed = block.textList()
            lines = block.layout()
            if listed is not None and lines.lineCount() > 1:
                first = lines.position().y() + lines.lineAt(0).y()
                last = lines.lineAt(lines.lineCount() - 1)
                if int(first // height) != int((lines.position().y() + last.y() + last.height() - 1) // height):
                    problems.append(f"{card.id}: list item split across pages at '{block.text()[:30]}'")
            nested = block.previous().isValid() and block.previous().textList() is not None
            if listed is not None and listed.item(0) == block and not nested:
                items = [listed.item(number) for number in range(listed.count())]
                bottom = layout.blockBoundingRect(items[-1]).bottom()
                pages = [int((layout.blockBoundingRect(item).bottom() - 1) // height) for item in items]
                if pages[0] != pages[-1]:
                    relaxed = doc.property("ketaref_relaxed")  # set when splitting short lists saved a page
                    if len(items) < 4 or (bottom - rect.top() < height / 4 and not relaxed):
                        problems.append(f"{card.id}: a short list split at '{block.text()[:30]}'")
                    elif min(pages.count(pages[0]), pages.count(pages[-1])) < 2:
                        problems.append(f"{card.id}: a list split leaving one item alone at '{block.text()[:30]}'")
            block = block.next()
        for frame in doc.rootFrame().childFrames():
            rect = layout.frameBoundingRect(frame)
            border = rect.bottom() - frame.frameFormat().bottomMargin()  # the space under it may run past the foot
            if rect.height() < height and int(rect.top() // height) != int((border - 1) // height):
                problems.append(f"{card.id}: a table split across pages")
            for row in range(frame.rows() if isinstance(frame, QTextTable) else 0):
                cells = [frame.cellAt(row, column) for column in range(frame.columns())]
                top = min(layout.blockBoundingRect(c.firstCursorPosition().block()).top() for c in cells)
                bottom = max(layout.blockBoundingRect(c.lastCursorPosition().block()).bottom() for c in cells)
                if bottom - top < height / 2 and int(top // height) != int((bottom - 1) // height):
                    problems.append(f"{card.id}: table row {row} split across pages")  # taller rows may split
            # A heading whose one-paragraph introduction leads into a table is not left behind on the page before.
            lead = doc.findBlock(frame.firstPosition() - 1)
            heading = lead.previous()
            if lead.textList() is None and heading.isValid() and heading.blockFormat().headingLevel():
                heading_top = layout.blockBoundingRect(heading).top()
                if rect.bottom() - heading_top < height and int(heading_top // height) != int(rect.top() // height):
                    problems.append(f"{card.id}: heading '{heading.text()}' left on the page before its table")
    del writer
    assert [] == problems


@pytest.mark.parametrize("large_print", [False, True])
def test_printed_paragraphs_and_list_items_are_set_apart(shipped_pack, tmp_path: Path, large_print: bool) -> None:  # type: ignore[no-untyped-def]
    # Qt drops margins given in pt: that once ran a handout's paragraphs together with no gap between them.
    from PySide6.QtGui import QPdfWriter, QTextBlock

    from ketaref.handout import ensure_app, layout_cards, page_layout

    ensure_app()
    options = PrintOptions(large_print=large_print)
    writer = QPdfWriter(str(tmp_path / "gaps.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(page_layout(options))
    card = shipped_pack.card("handout-about-ketamine")
    [(_card, doc)] = layout_cards(writer, [card], options, shipped_pack.titles())
    point = writer.logicalDpiY() / 72
    del writer

    def block_starting(text: str) -> QTextBlock:
        block = doc.begin()
        while block.isValid() and not block.text().startswith(text):
            block = block.next()
        assert block.isValid(), text
        return block

    def gap_after(text: str) -> float:
        """White space between the last line of the block starting with text and the first line of the next."""
        block = block_starting(text)
        following = block.next()
        last = block.layout().lineAt(block.layout().lineCount() - 1)
        bottom = block.layout().position().y() + last.y() + last.height()
        return following.layout().position().y() + following.layout().lineAt(0).y() - bottom

    assert gap_after("Ketamine is a medicine") >= 4 * point  # paragraph to paragraph
    assert gap_after("Esketamine is one form") >= 4 * point
    assert gap_after("You get it only at the clinic") >= 0.5 * point  # list item to list item


def _laid_out_handout(shipped_pack, tmp_path: Path, body_html: str, large_print: bool):  # type: ignore[no-untyped-def]
    """A patient handout with this body, laid out on Letter: (document, body height per page in pixels)."""
    from PySide6.QtGui import QPdfWriter

    from ketaref.handout import ensure_app, layout_cards, page_layout

    ensure_app()
    options = PrintOptions(large_print=large_print)
    card = shipped_pack.card("handout-about-ketamine")._replace(body_html=body_html)
    writer = QPdfWriter(str(tmp_path / "synthetic.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(page_layout(options))
    [(_card, doc)] = layout_cards(writer, [card], options, {})
    del writer
    return doc, doc.pageSize().height()


def _page_fill(doc, height: float) -> list[float]:  # type: ignore[no-untyped-def]
    """How far down each page its last line of text reaches, from 0 to 1."""
    fill = [0.0] * doc.pageCount()
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        for number in range(lines.lineCount() if block.text().strip() else 0):
            line = lines.lineAt(number)
            bottom = lines.position().y() + line.y() + line.height()
            page = min(int((bottom - 1) // height), len(fill) - 1)
            fill[page] = max(fill[page], bottom / height - page)
        block = block.next()
    return fill


@pytest.mark.parametrize("large_print", [False, True])
def test_a_long_list_splits_between_items_instead_of_leaving_the_page_half_empty(
    shipped_pack, tmp_path: Path, large_print: bool
) -> None:  # type: ignore[no-untyped-def]
    # Large print once moved a whole list and its heading on whenever it would split, leaving up to half a page
    # blank (4 pages where 3 do). Wherever the list falls, every page but the last is now well filled, and a
    # split list keeps at least two items on each page.
    items = "".join(f"<li>Step {n}: a short line of advice for you.</li>" for n in range(1, 15))
    paragraph = "<p>" + "Some words that fill the page. " * 12 + "</p>"
    for fillers in range(3, 16):
        doc, height = _laid_out_handout(
            shipped_pack, tmp_path, paragraph * fillers + f"<h2>What to do</h2><ul>{items}</ul>", large_print
        )
        fill = _page_fill(doc, height)
        assert min(fill[:-1], default=1.0) > 0.8, (fillers, fill)
        block = doc.begin()
        while block.isValid() and block.textList() is None:
            block = block.next()
        listed = block.textList()
        pages = [int((doc.documentLayout().blockBoundingRect(listed.item(n)).bottom() - 1) // height)
                 for n in range(listed.count())]  # fmt: skip
        assert all(pages.count(page) >= 2 for page in set(pages)), (fillers, pages)


def test_the_questions_box_moves_on_only_when_its_border_would_not_fit(
    shipped_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The space under the box once counted as part of it: the box went to a page of its own although its border
    # fitted above the page foot. The text above it is walked down a pixel at a time across the page foot.
    from PySide6.QtGui import QTextTable

    from ketaref.handout import sheet

    monkeypatch.setattr(sheet, "HANDOUT_PARTS", (sheet.questions_box,))  # the box right after the text
    monkeypatch.setattr(sheet, "call_us_box", lambda _card, _options: "")  # and the walk where it was

    paragraph = "<p>" + "Some words that fill the page. " * 6 + "</p>"
    gap, fits, moved = 0.0, 0.0, []
    for nudge in range(0, 120):  # CSS pixels of space above the last line
        body = paragraph * 14 + f'<p style="margin-top: {nudge}px">The last line.</p>'
        doc, height = _laid_out_handout(shipped_pack, tmp_path, body, True)
        layout = doc.documentLayout()
        box = [frame for frame in doc.rootFrame().childFrames() if isinstance(frame, QTextTable)][-1]
        rect = layout.frameBoundingRect(box)
        text_bottom = layout.blockBoundingRect(doc.findBlock(box.firstPosition() - 1)).bottom()
        page = int(rect.top() // height)
        free = (int((text_bottom - 1) // height) + 1) * height - text_bottom  # below the last line on its page
        if page > int((text_bottom - 1) // height):
            moved.append((free, rect.height() - box.frameFormat().bottomMargin()))
        else:
            gap = max(gap, rect.top() - text_bottom)  # from the last line to the box
            fits = max(fits, rect.bottom() - (page + 1) * height)  # how far the box's margin ran past the foot
    assert moved, "the walk did not reach the page foot"
    for free, border in moved:
        assert gap + border > free, (gap, border, free)
    assert fits > 0  # a box whose space below ran past the page foot stayed


def test_to_save_a_page_a_short_list_may_split_but_keeps_two_items_on_each_page(shipped_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # When a sheet's last page would hold only a few lines, layout is tried again with short lists allowed to
    # split (it saved a page of the after-treatment sheet). Walked across the page foot, such a list moves whole
    # in the normal layout and splits in the relaxed one, never leaving a lone item on either page.
    from PySide6.QtGui import QPdfWriter

    from ketaref.handout import ensure_app, page_layout
    from ketaref.handout.layout import Job, Page, lay_out

    ensure_app()
    options = PrintOptions()
    writer = QPdfWriter(str(tmp_path / "relaxed.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(page_layout(options))
    page = Page(writer)
    items = "".join(f"<li>Point {n} to keep in mind.</li>" for n in range(1, 7))
    paragraph = "<p>" + "Some words that fill the page. " * 10 + "</p>"
    split = 0
    for nudge in range(0, 400, 8):  # CSS pixels above the text, to walk the list across the foot of page 1
        body = f'<p style="margin-top: {nudge}px">The first line.</p>' + paragraph * 6 + f"<ul>{items}</ul>"
        card = shipped_pack.card("handout-about-ketamine")._replace(body_html=body)
        for relaxed in (False, True):
            doc = lay_out(Job(card, {}, options, writer, page), 12.0, 1.0, relaxed)
            block = doc.begin()
            while block.textList() is None:
                block = block.next()
            listed = block.textList()
            pages = [int((doc.documentLayout().blockBoundingRect(listed.item(n)).bottom() - 1) // page.body)
                     for n in range(listed.count())]  # fmt: skip
            if not relaxed:
                assert len(set(pages)) == 1, (nudge, pages)  # a short list moves whole
            elif len(set(pages)) > 1:
                split += 1
                assert min(pages.count(p) for p in set(pages)) >= 2, (nudge, pages)
    del writer
    assert split, "the relaxed layout never split the list"


def test_a_pagination_that_does_not_settle_says_so_in_the_log_and_still_prints(
    shipped_pack, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # Each pass places one more break; a sheet that still wants one after the last pass used to print unsettled
    # without a word. Many short sections leave some heading at a page foot, so this sheet needs a few passes.
    from ketaref.handout import layout

    paragraph = "<p>" + "Some words that fill the page. " * 8 + "</p>"
    body = "".join(f"<h2>Section {n}</h2>{paragraph}" for n in range(1, 41))
    card = shipped_pack.card("handout-about-ketamine")._replace(id="handout-many-sections", body_html=body)
    with caplog.at_level("WARNING", logger="ketaref.handout"):
        settled = write_pdf([card], tmp_path / "settled.pdf", PrintOptions(), {})
    assert [] == [r for r in caplog.records if r.levelname == "WARNING"]  # enough passes: no word
    monkeypatch.setattr(layout, "MAX_PASSES", 2)
    with caplog.at_level("WARNING", logger="ketaref.handout"):
        unsettled = write_pdf([card], tmp_path / "unsettled.pdf", PrintOptions(), {})
    [warning] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "handout-many-sections" in warning.getMessage() and "2 passes" in warning.getMessage()
    assert settled >= unsettled > 1 and (tmp_path / "unsettled.pdf").is_file()  # the sheet still prints


def test_a_resources_folder_without_stylesheets_still_prints_styled_pages(
    shipped_pack, source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The print stylesheet is a resource file (resources/styles/print.css); a folder of cards named in
    # KETAREF_RESOURCES has none, and the bundled one is used: the same pages as without the override.
    from ketaref import stylesheets

    card, titles = shipped_pack.card("handout-about-ketamine"), shipped_pack.titles()
    bundled = write_pdf([card], tmp_path / "bundled.pdf", PrintOptions(large_print=True), titles)
    monkeypatch.setenv("KETAREF_RESOURCES", str(source_dir))
    stylesheets._template.cache_clear()
    try:
        overridden = write_pdf([card], tmp_path / "overridden.pdf", PrintOptions(large_print=True), titles)
    finally:
        stylesheets._template.cache_clear()
    assert not (source_dir / "styles").exists()
    assert bundled == overridden
    assert pdf_pages(tmp_path / "bundled.pdf") == pdf_pages(tmp_path / "overridden.pdf")
