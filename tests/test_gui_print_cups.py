"""Print fidelity on a real CUPS queue: a packet printed through the window's Print (the system print dialog, then
Qt's printer path) to a cups-pdf queue comes out like Export PDF: the same pages, paper and page texts.

Skips when no cups-pdf queue is set up; README "Checking print fidelity on a real queue" gives the commands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ketaref.gui import print_dialogs

pypdf = pytest.importorskip("pypdf")
PACKET = ["handout-after-treatment", "handout-side-effects", "dose-iv-ketamine"]
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def cups_pdf_queue() -> str | None:
    """The name of a CUPS queue whose device is cups-pdf, or None."""
    if shutil.which("lpstat") is None:
        return None
    try:
        listed = subprocess.run(["lpstat", "-v"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"^device for (\S+): cups-pdf:/", listed, re.M)
    return found.group(1) if found else None


def output_folders() -> list[Path]:
    """Where cups-pdf writes: its Out folder (for this user) and the one for anonymous jobs."""
    conf = CUPS_PDF_CONF.read_text("utf-8", errors="replace") if CUPS_PDF_CONF.is_file() else ""
    out = re.search(r"^Out\s+(.+)$", conf, re.M)
    anon = re.search(r"^AnonDirName\s+(.+)$", conf, re.M)
    home = str(Path.home())
    folders = [out.group(1).strip().replace("${HOME}", home) if out else f"{home}/PDF"]
    folders.append(anon.group(1).strip() if anon else "/var/spool/cups-pdf/ANONYMOUS")
    return [Path(folder) for folder in folders]


def page_words(path: Path) -> list[list[str]]:
    """Each page's words, as pdftotext reads them."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    return [page.split() for page in text.split("\f")[:-1]]


def plain(words: list[str]) -> Counter[str]:
    """The words without a ligature or a non-breaking hyphen: cups-pdf's rewritten fonts lose those characters'
    text (the glyphs print the same)."""
    return Counter(word for word in words if word.isascii() and word.isprintable())


def differences(exported: list[list[str]], printed: list[list[str]]) -> list[str]:
    """Words on a printed page that the exported page lacks, or the reverse, beyond two known artefacts: a
    fragment of a ligature word on the printed page, and on the exported page the first line of the next page,
    painted outside the page's clip (invisible, but in the PDF's text)."""
    problems = []
    for number, (ours, theirs) in enumerate(zip(exported, printed, strict=True)):
        ligatures = [word for word in ours if not word.isascii()]
        for word in plain(theirs) - plain(ours):
            if not any(word.strip(".,;:()") in whole for whole in ligatures):
                problems.append(f"page {number + 1}: '{word}' printed, not exported")
        following = plain(printed[number + 1]) if number + 1 < len(printed) else Counter()
        for word in plain(ours) - plain(theirs):
            if word not in following:
                problems.append(f"page {number + 1}: '{word}' exported, not printed")
    return problems


def test_a_packet_printed_to_a_cups_queue_matches_the_exported_pdf(
    qtbot, make_window, shipped_pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    queue = cups_pdf_queue()
    if queue is None:
        pytest.skip("no CUPS queue with the cups-pdf device (lpstat -v): see README, Checking print fidelity")
    from ketaref.gui import dialogs
    from ketaref.gui import settings as S

    token = f"ketarefcups{uuid.uuid4().hex[:10]}"
    real_printer = print_dialogs._printer

    def printer(options, cards):  # type: ignore[no-untyped-def]
        made = real_printer(options, cards)
        made.setPrinterName(queue)  # as choosing it in the print dialog does
        made.setDocName(token)  # cups-pdf names its file after the job
        return made

    def accept_print_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, accept_print_dialog)
        else:
            dialog.accept()  # the real dialog: it puts the queue's default paper on the printer

    settings = S.Settings()
    settings.set(S.PHONE, "555-0100")
    settings.set(S.AFTER_HOURS_PHONE, "555-0199")
    settings.set(S.PAPER, "letter")
    monkeypatch.setattr(print_dialogs, "_printer", printer)
    monkeypatch.setattr(print_dialogs.WriteInDialog, "exec", lambda self: self.accept() or 1)
    window = make_window(shipped_pack_path)
    cards = [window.pack.card(card_id) for card_id in PACKET]
    QTimer.singleShot(50, accept_print_dialog)
    window.printing.print_(cards)

    def printed() -> list[Path]:
        return [p for folder in output_folders() if folder.is_dir() for p in folder.glob(f"*{token}*.pdf")]

    qtbot.waitUntil(lambda: bool(printed()) and os.path.getsize(printed()[0]) > 0, timeout=90_000)
    qtbot.waitUntil(lambda: _complete(printed()[0]), timeout=30_000)
    exported = tmp_path / "exported.pdf"
    monkeypatch.setattr(dialogs, "ask_pdf_path", lambda _parent, _suggested: exported)
    window.printing.export_pdf(cards)

    cups, pdf = pypdf.PdfReader(printed()[0]), pypdf.PdfReader(exported)
    assert len(pdf.pages) == len(cups.pages)
    for ours, theirs in zip(pdf.pages, cups.pages, strict=True):
        assert (612, 792) == (round(float(theirs.mediabox.width)), round(float(theirs.mediabox.height)))
        assert (round(float(ours.mediabox.width)), round(float(ours.mediabox.height))) == (612, 792)
    if shutil.which("pdftotext") is None:
        pytest.skip("same pages and paper; pdftotext (poppler-utils) is needed to compare the page texts")
    theirs_words = page_words(printed()[0])
    readable = sum(sum(plain(page).values()) for page in theirs_words)
    if readable * 2 < sum(len(page) for page in theirs_words) or not readable:  # glyph codes only (ps2write)
        pytest.skip("same pages and paper; the queue keeps no text to compare (set pdftops-renderer-default)")
    ours_words = page_words(exported)
    assert len(ours_words) == len(theirs_words)
    assert [] == differences(ours_words, theirs_words)
    assert sum(len(page) for page in theirs_words) > 1000  # a packet's worth of text was compared


def _complete(path: Path) -> bool:
    """cups-pdf has finished writing the file (it ends with %%EOF)."""
    try:
        return path.read_bytes().rstrip().endswith(b"%%EOF")
    except OSError:
        return False
