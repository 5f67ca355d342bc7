"""Print, preview and export PDF from the window, through ketaref.handout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from ketaref.gui import dialogs, print_dialogs
from ketaref.gui import settings as S
from ketaref.gui.actions import Act
from ketaref.gui.messages import Messages

handout = pytest.importorskip("ketaref.handout")
pypdf = pytest.importorskip("pypdf")


@pytest.fixture(autouse=True)
def write_in_prompts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Times the write-in form was shown before a handout printed; it answers with blank lines (Enter)."""
    shown: list[int] = []

    def exec_(self: print_dialogs.WriteInDialog) -> int:
        shown.append(1)
        self.accept()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(print_dialogs.WriteInDialog, "exec", exec_)
    return shown


@pytest.fixture
def pdf_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the Export PDF dialog answers with."""
    out = tmp_path / "out.pdf"
    monkeypatch.setattr(dialogs, "ask_pdf_path", lambda _parent, _suggested: out)
    return out


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window says in a dialog (recorded by its messages instead of a modal box)."""
    shown: list[str] = []
    monkeypatch.setattr(Messages, "show_dialog", lambda _self, message: shown.append(message.text))
    return shown


@pytest.fixture
def dialog_errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a dialog of its own says in an error box (recorded instead of a modal box)."""
    shown: list[str] = []
    monkeypatch.setattr("ketaref.gui.preferences_dialog.show_error", lambda _parent, message: shown.append(message))
    return shown


@pytest.fixture
def clinic_prompts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Times the clinic dialog was shown; it answers "Riverside Clinic"."""
    shown: list[int] = []

    def exec_(self: dialogs.ClinicDialog) -> int:
        shown.append(1)
        self.clinic.setText("Riverside Clinic")
        self.phone.setText("555-0100")
        self.accept()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(dialogs.ClinicDialog, "exec", exec_)
    return shown


def pdf_text(path: Path) -> tuple[int, str]:
    assert path.read_bytes().startswith(b"%PDF")
    reader = pypdf.PdfReader(path)
    return len(reader.pages), " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_export_pdf_from_the_action_writes_the_card(qtbot, make_window, pdf_path: Path, errors) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("dose-iv-ketamine")
    window.actions_[Act.EXPORT_PDF].trigger()
    assert [] == errors
    pages, text = pdf_text(pdf_path)
    assert pages >= 1
    assert "IV ketamine dosing" in text


def test_several_selected_results_export_as_one_packet(qtbot, make_window, pdf_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    panel = window.search_panel
    panel.edit.setText("minutes")
    qtbot.waitUntil(lambda: panel.up_to_date)
    selection = panel.list.selectionModel()
    for row in range(panel.model.rowCount()):
        selection.select(panel.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select)
    assert 2 == len(window.printing.targets())
    window.printing.export_pdf()
    pages, text = pdf_text(pdf_path)
    assert pages >= 2
    assert "IV ketamine dosing" in text and "Blood pressure rise" in text


def test_the_clinic_is_asked_once_and_heads_the_handout(qtbot, make_window, pdf_path: Path, clinic_prompts) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_card("handout-after-treatment")
    window.printing.export_pdf()
    window.printing.export_pdf()
    assert [1] == clinic_prompts
    assert "Riverside Clinic" == S.Settings().get(S.CLINIC)
    _pages, text = pdf_text(pdf_path)
    assert "Riverside Clinic" in text
    assert "555-0100" in text


def test_packet_dialog_prints_the_ticked_handouts(
    qtbot, make_window, pdf_path: Path, clinic_prompts, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def exec_(self: print_dialogs.PacketDialog) -> int:
        assert ["handout-after-treatment"] == [self.list.item(n).data(256) for n in range(self.list.count())]
        self.list.item(0).setCheckState(print_dialogs.Qt.CheckState.Checked)
        self._choose(self.PDF)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(print_dialogs.PacketDialog, "exec", exec_)
    window = make_window()
    window.actions_[Act.PRINT_PACKET].trigger()
    _pages, text = pdf_text(pdf_path)
    assert "Going home after treatment" in text


def test_a_missing_logo_is_reported_in_plain_words(qtbot, make_window, pdf_path: Path, errors, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    S.Settings().set(S.LOGO, str(tmp_path / "nope.png"))
    window = make_window()
    window.open_card("dose-iv-ketamine")
    assert window.printing.export_pdf() is None
    assert 1 == len(errors)
    assert "nope.png" in errors[0]
    assert not pdf_path.exists()


def test_preferences_will_not_keep_a_logo_that_cannot_be_printed(qtbot, dialog_errors, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QImage

    settings = S.Settings()
    dialog = dialogs.PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"\x89PNG but not really an image" * 20)
    dialog.logo.setText(str(fake))
    dialog.clinic.setText("Riverside Clinic")
    dialog.accept()
    assert 1 == len(dialog_errors) and "logo.png" in dialog_errors[0] and "PNG or JPEG" in dialog_errors[0]
    assert QDialog.DialogCode.Accepted != dialog.result()
    assert "" == settings.get(S.LOGO) and "" == settings.get(S.CLINIC)  # nothing half-saved

    real = tmp_path / "real.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    assert image.save(str(real))
    dialog.logo.setText(str(real))
    dialog.accept()
    assert 1 == len(dialog_errors)
    assert QDialog.DialogCode.Accepted == dialog.result()
    assert (str(real), "Riverside Clinic") == (settings.get(S.LOGO), settings.get(S.CLINIC))


def test_print_preview_paints_the_pages(qtbot, make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    painted: list[int] = []
    real = handout.paint_cards

    def paint(*args, **kwargs):  # type: ignore[no-untyped-def]
        painted.append(real(*args, **kwargs))
        return painted[-1]

    monkeypatch.setattr(handout, "paint_cards", paint)
    window = make_window()
    window.open_card("dose-iv-ketamine")

    def close_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, close_preview)
        else:
            dialog.reject()

    QTimer.singleShot(20, close_preview)
    window.actions_[Act.PRINT_PREVIEW].trigger()
    assert painted and painted[0] >= 1
