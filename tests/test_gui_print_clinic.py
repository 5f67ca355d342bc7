"""The window's handouts: a clinic phone that cannot go missing, write-in lines never stored, the site file under
Preferences, and the Preferences paper on the printer."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from ketaref.gui import dialogs, print_dialogs
from ketaref.gui import settings as S
from ketaref.gui.messages import Messages
from ketaref.site import SITE_ENV

pypdf = pytest.importorskip("pypdf")
HANDOUT = "handout-after-treatment"


@pytest.fixture
def pdf_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the Export PDF dialog answers with."""
    out = tmp_path / "out.pdf"
    monkeypatch.setattr(dialogs, "ask_pdf_path", lambda _parent, _suggested: out)
    return out


@pytest.fixture
def write_in(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """What the nurse types in the write-in form before a handout prints (fill the dict; empty: blank lines)."""
    typed: dict[str, str] = {}

    def exec_(self: print_dialogs.WriteInDialog) -> int:
        for name, text in typed.items():
            getattr(self.fields, name).setText(text)
        self.accept()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(print_dialogs.WriteInDialog, "exec", exec_)
    return typed


def site_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "ketaref-site.toml"
    path.write_text(text, "utf-8")
    monkeypatch.setenv(SITE_ENV, str(path))
    return path


def pdf_pages(path: Path) -> list[str]:
    pages = pypdf.PdfReader(path).pages
    texts = [unicodedata.normalize("NFKC", page.extract_text()).replace("\u2010", "-") for page in pages]
    return [" ".join(text.split()) for text in texts]


def test_enter_with_no_phone_asks_again_and_printing_without_one_is_a_button(
    qtbot, make_window, pdf_path: Path, write_in, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    answers = ["enter", "without"]
    shown: list[bool] = []

    def exec_(self: dialogs.ClinicDialog) -> int:
        answer = answers.pop(0)
        if answer == "enter":  # Continue with the phone left empty: the dialog stays open, saying what to do
            self.accept()
            shown.append(self.isVisible() or not self.hint.isHidden())
            assert QDialog.DialogCode.Accepted != self.result()
            self.reject()
            return QDialog.DialogCode.Rejected.value
        self.without_button.click()
        return self.result()

    monkeypatch.setattr(dialogs.ClinicDialog, "exec", exec_)
    window = make_window()
    window.open_card(HANDOUT)
    assert window.printing.export_pdf() is None  # the nurse pressed Enter: nothing printed
    assert not pdf_path.exists()
    assert window.printing.export_pdf() == pdf_path  # asked again; this time printed without a phone, on purpose
    assert [] == answers and [True] == shown
    first = pdf_pages(pdf_path)[0]
    assert "Call us" in first and "Day: ____" in first
    assert "" == S.Settings().get(S.PHONE)


def test_the_clinic_prompt_takes_the_after_hours_phone_for_page_1(
    qtbot, make_window, pdf_path: Path, write_in, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def exec_(self: dialogs.ClinicDialog) -> int:
        self.clinic.setText("Riverside Clinic")
        self.phone.setText("555-0100")
        self.after_hours_phone.setText("555-0199")
        self.accept()
        return self.result()

    monkeypatch.setattr(dialogs.ClinicDialog, "exec", exec_)
    window = make_window()
    window.open_card(HANDOUT)
    window.printing.export_pdf()
    first = pdf_pages(pdf_path)[0]
    assert "Call us · Riverside Clinic Day: 555-0100 After hours: 555-0199" in first
    assert "555-0199" == S.Settings().get(S.AFTER_HOURS_PHONE)


def test_write_in_values_print_and_are_never_stored(qtbot, make_window, pdf_path: Path, write_in) -> None:  # type: ignore[no-untyped-def]
    settings = S.Settings()
    settings.set(S.PHONE, "555-0100")
    settings.sync()
    write_in.update(patient="Ann Lee", next_visit="Tue 9 Dec 10:30", ride="Sam Lee", ride_phone="555-0142")
    window = make_window()
    window.open_card(HANDOUT)
    window.printing.export_pdf()
    text = " ".join(pdf_pages(pdf_path))
    for typed in ("Patient name: Ann Lee", "Next visit: Tue 9 Dec 10:30", "Sam Lee", "Their phone: 555-0142"):
        assert typed in text
    window.settings.sync()
    window.close()
    stored = S.settings_path().read_text("utf-8")
    assert all(value not in stored for value in ("Ann Lee", "Sam Lee", "555-0142", "Tue 9 Dec"))


def test_the_packet_dialog_fills_the_write_in_lines(
    qtbot, make_window, pdf_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    S.Settings().set(S.PHONE, "555-0100")

    def exec_(self: print_dialogs.PacketDialog) -> int:
        self.list.item(0).setCheckState(print_dialogs.Qt.CheckState.Checked)
        self.write_in.patient.setText("Ann Lee")
        self._choose(self.PDF)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(print_dialogs.PacketDialog, "exec", exec_)
    monkeypatch.setattr(print_dialogs.WriteInDialog, "exec", lambda _self: pytest.fail("asked twice"))
    window = make_window()
    window.printing.print_packet()
    assert "Patient name: Ann Lee" in " ".join(pdf_pages(pdf_path))


def test_site_values_apply_until_the_user_sets_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_file(tmp_path, monkeypatch, 'clinic_name = "Site Clinic"\nphone = "555-0111"\npaper = "a4"\n')
    settings = S.Settings()
    assert ("Site Clinic", "555-0111", "a4") == (settings.get(S.CLINIC), settings.get(S.PHONE), settings.get(S.PAPER))
    settings.set(S.PHONE, "555-0333")
    settings.set(S.CLINIC, "")  # an empty Preference (Enter at the prompt) still falls back to the site file
    assert ("Site Clinic", "555-0333") == (settings.get(S.CLINIC), settings.get(S.PHONE))
    settings.unset(S.PHONE)
    assert "555-0111" == settings.get(S.PHONE)


def test_preferences_show_the_site_values_and_keep_following_them(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = site_file(tmp_path, monkeypatch, 'phone = "555-0111"\npaper = "a4"\nupdates_folder = "/srv/packs"\n')
    settings = S.Settings()
    dialog = dialogs.PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    assert "" == dialog.phone.text() and "555-0111 (site file)" == dialog.phone.placeholderText()
    assert "A4 (site file)" == dialog.paper.currentText()
    assert "/srv/packs (site file)" == dialog.updates_folder.placeholderText()
    assert any(str(path) in label.text() for label in dialog.findChildren(dialogs.QLabel))
    dialog.after_hours_phone.setText("555-0199")
    dialog.accept()
    assert not settings.is_set(S.PAPER) and not settings.is_set(S.PHONE)  # clinic IT may still change them
    assert ("555-0111", "555-0199") == (settings.get(S.PHONE), settings.get(S.AFTER_HOURS_PHONE))


def test_the_site_updates_folder_is_the_default_after_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketaref import updates

    site_file(tmp_path, monkeypatch, f'updates_folder = "{tmp_path / "packs"}"\n')
    assert tmp_path / "packs" == updates.updates_folder("")
    monkeypatch.setenv(updates.UPDATES_ENV, str(tmp_path / "env"))
    assert tmp_path / "env" == updates.updates_folder("")
    assert Path("/mine") == updates.updates_folder("/mine")


def test_a_bad_site_file_is_one_line_in_the_status_bar(
    qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = site_file(tmp_path, monkeypatch, 'phone = "555-0111"\nclinc_name = "Typo"\n')
    told: list[str] = []
    real = Messages.tell

    def tell(self, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        told.append(text)
        real(self, text, *args, **kwargs)

    monkeypatch.setattr(Messages, "tell", tell)
    window = make_window()
    [line] = [text for text in told if str(path) in text]
    assert "unknown key 'clinc_name'" in line and "\n" not in line
    assert "555-0111" == window.settings.get(S.PHONE)  # the rest of it still applies


def test_print_sets_the_preferences_paper_after_the_print_dialog_puts_a4_back(
    qtbot, make_window, tmp_path: Path, write_in, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # A CUPS queue whose default is A4: accepting the system print dialog used to print on A4 whatever
    # Preferences said, and at the printer's resolution, with page breaks other than the exported PDF's.
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from ketaref.handout import PrintOptions, write_pdf

    printed = tmp_path / "printed.pdf"

    def exec_(self: QPrintDialog) -> int:
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))  # what the queue's default does
        printer.setResolution(1200)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    settings = S.Settings()
    settings.set(S.PHONE, "555-0100")
    settings.set(S.PAPER, "letter")
    window = make_window()
    cards = [window.pack.card(HANDOUT), window.pack.card("dose-iv-ketamine")]
    window.printing.print_(cards)
    box = pypdf.PdfReader(printed).pages[0].mediabox
    assert (612, 792) == (round(float(box.width)), round(float(box.height)))
    exported = tmp_path / "exported.pdf"
    write_pdf(cards, exported, PrintOptions(phone="555-0100", paper="letter"), window.titles)
    assert pdf_pages(exported) == pdf_pages(printed)  # the same pages, broken in the same places


def test_preview_paints_on_the_preferences_paper(
    qtbot, make_window, write_in, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPageSize

    preview_file = tmp_path / "preview.pdf"
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from ketaref import handout

    sizes: list[QPageSize.PageSizeId] = []
    real = handout.paint_cards

    def paint(device, *args, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(device.pageLayout().pageSize().id())
        return real(device, *args, **kwargs)

    def exec_(self: QPrintPreviewDialog) -> int:
        self.printer().setPageSize(QPageSize(QPageSize.PageSizeId.A4))  # its print dialog took the queue's paper
        self.printer().setOutputFileName(str(preview_file))  # outside exec() the preview engine is not there
        self.paintRequested.emit(self.printer())
        return 0

    monkeypatch.setattr(handout, "paint_cards", paint)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    S.Settings().set(S.PAPER, "letter")
    window = make_window()
    window.open_card("dose-iv-ketamine")
    window.printing.print_preview()
    assert sizes and all(size == QPageSize.PageSizeId.Letter for size in sizes)
