"""Print options: what the clinic adds to a printed page, the words the page is printed with, paper and size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..constants import CLINICIAN_NOTE, HANDOUT_NOTE, PAPERS
from ..errors import KetarefError
from ..model import Card

DEFAULT_PAPER = "letter"
BASE_PT = 12.0  # no printed body text is smaller, whatever Preferences say
LARGE_PRINT_PT = 16.0
LARGE_PRINT_CHROME = 1.2  # header and footer in large print: 18 pt clinic name, 12 pt page line


@dataclass(frozen=True)
class PageText:
    """The words KetaRef itself prints around a card: header, footer, the questions box, the write-in lines and the
    disclaimer line, in one language (SPANISH for a Spanish card), and how it writes a date."""

    lang: str = "en"
    patient_kind: str = "Patient information"  # also the header of a handout printed with no clinic name
    clinician_kind: str = "Clinician reference"
    clinician_header: str = "KetaRef clinical reference"  # a reference sheet printed with no clinic name
    phone: str = "Phone: {phone}"
    after_hours_header: str = "After hours: {phone}"  # follows the phone in the header
    printed: str = "Printed {printed}  \u00b7  Last reviewed {reviewed}"
    page: str = "Page {number} of {total}"
    handout_note: str = HANDOUT_NOTE
    clinician_note: str = CLINICIAN_NOTE
    questions: str = "Questions?"
    call: str = "Call {clinic} at <b>{phone}</b>."  # HTML: {clinic} and {phone} come escaped
    ask: str = "Ask your care team at {clinic}."
    your_clinic: str = "your clinic"
    emergency: str = "In an emergency, call 911 or your local emergency number."
    call_us: str = "Call us"  # the box near the top of a handout's first page
    day_phone: str = "Day"
    after_hours: str = "After hours"
    after_hours_call: str = "after hours {phone}"  # HTML: in the questions box, after the day phone
    patient: str = "Patient name"  # the write-in lines after a handout
    next_visit: str = "Next visit"
    ride: str = "Who takes me home"
    ride_phone: str = "Their phone"

    def date(self, day: dt.date) -> str:
        """A date as this language's reader expects it: 2026-12-02 in English, "2 de diciembre de 2026" in Spanish."""
        if self.lang == "es":
            return f"{day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}"
        return day.isoformat()


SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                  "noviembre", "diciembre")  # fmt: skip
ENGLISH = PageText()
SPANISH = PageText(
    lang="es",
    patient_kind="Informaci\u00f3n para el paciente",
    clinician_kind="Referencia para profesionales",
    clinician_header="KetaRef: referencia cl\u00ednica",
    phone="Tel\u00e9fono: {phone}",
    after_hours_header="Fuera de horario: {phone}",
    printed="Impreso: {printed}  \u00b7  \u00daltima revisi\u00f3n: {reviewed}",
    page="P\u00e1gina {number} de {total}",
    handout_note="Esta hoja no reemplaza los consejos de su equipo de atenci\u00f3n m\u00e9dica.",
    clinician_note=CLINICIAN_NOTE,
    questions="\u00bfPreguntas?",
    call="Llame a {clinic} al <b>{phone}</b>.",
    ask="Pregunte a su equipo de atenci\u00f3n en {clinic}.",
    your_clinic="su cl\u00ednica",
    emergency="En una emergencia, llame al 911 o al n\u00famero de emergencias local.",
    call_us="Ll\u00e1menos",
    day_phone="De d\u00eda",
    after_hours="Fuera de horario",
    after_hours_call="fuera de horario al {phone}",
    patient="Nombre del paciente",
    next_visit="Pr\u00f3xima cita",
    ride="Qui\u00e9n me lleva a casa",
    ride_phone="Su tel\u00e9fono",
)
PAGE_TEXTS: dict[str, PageText] = {"en": ENGLISH, "es": SPANISH}


@dataclass(frozen=True)
class WriteIn:
    """What a nurse may fill in on a patient handout for this patient: printed, never stored (blank lines if not)."""

    patient: str = ""
    next_visit: str = ""
    ride: str = ""
    ride_phone: str = ""


@dataclass(frozen=True)
class PrintOptions:
    """What the clinic adds to a printed page, and how large the print is."""

    clinic: str = ""
    phone: str = ""  # the clinic's day phone
    after_hours_phone: str = ""
    logo: Path | None = None
    large_print: bool = False
    paper: str = DEFAULT_PAPER
    base_pt: float = BASE_PT
    printed_on: dt.date | None = None
    text: PageText = field(default_factory=PageText)
    write_in: WriteIn = field(default_factory=WriteIn)

    def words(self, card: Card) -> PageText:
        """The page text a card prints with: its own language's (a packet may mix languages), else options.text."""
        if card.lang != self.text.lang and card.lang in PAGE_TEXTS:
            return PAGE_TEXTS[card.lang]
        return self.text

    def large_for(self, card: Card) -> bool:
        """Large print is for patients: a clinician's reference sheet keeps its size."""
        return self.large_print and card.is_handout

    def body_pt(self, card: Card) -> float:
        """Body text size in points: 12 or more, 16 or more for a handout in large print."""
        return max(self.base_pt, LARGE_PRINT_PT if self.large_for(card) else BASE_PT)

    def chrome_scale(self, card: Card) -> float:
        """How much larger than usual the header and footer print: a large-print handout's grow with its text."""
        return LARGE_PRINT_CHROME if self.large_for(card) else 1.0


NO_PHONE = (
    "A patient handout needs the clinic's phone: give --phone (and --after-hours-phone), or set it in "
    "Preferences or the site file, or give --no-clinic to print without it. Nothing was written."
)


def lacks_phone(cards: Sequence[Card], options: PrintOptions) -> bool:
    """True when a patient handout would print with no clinic phone for the patient to call."""
    return any(card.is_handout for card in cards) and not options.phone.strip()


def check_paper(paper: str) -> None:
    """Raise KetarefError for a paper size KetaRef does not print on."""
    if paper not in PAPERS:
        raise KetarefError(f"Unknown paper size '{paper}' ({' or '.join(PAPERS)}).")


def check_logo(logo: Path | None) -> None:
    """Raise KetarefError when a logo is given but is missing or not a readable image."""
    if logo is None:
        return
    from PySide6.QtGui import QImageReader

    if Path(logo).is_dir():
        raise KetarefError(f"The logo {logo} is a folder: give an image file (PNG or JPEG).")
    if not Path(logo).is_file():
        raise KetarefError(f"The logo file {logo} does not exist.")
    reader = QImageReader(str(logo))
    if not reader.canRead():
        raise KetarefError(f"The logo file {logo} is not an image KetaRef can read (use PNG or JPEG).")
    if reader.read().isNull():  # damaged, or too large to load: it would silently be left off every page
        raise KetarefError(
            f"The logo file {logo} could not be loaded ({reader.errorString()}); "
            "use a PNG or JPEG of a few hundred pixels."
        )
