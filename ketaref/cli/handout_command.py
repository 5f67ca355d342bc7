"""Printing cards to PDF: `ketaref handout`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KetarefError, NotFoundError
from .common import Failure, open_current, user_errors


@click.command("handout")
@click.argument("card_ids", nargs=-1, required=True, metavar="ID [ID ...]")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="PDF file to write.")
@click.option("--clinic", default=None, help="Clinic name for the page header (default: Preferences, site file).")
@click.option("--phone", default=None, help="Clinic day phone for the header and the Call us box.")
@click.option("--after-hours-phone", default=None, help="Clinic phone after hours, printed beside the day phone.")
@click.option("--no-clinic", is_flag=True, help="Print patient handouts without the clinic's name and phones.")
@click.option("--patient", default="", help="Patient name, printed on the handout's write-in line (never stored).")
@click.option("--next-visit", default="", help="Next visit, printed on the handout's write-in line (never stored).")
@click.option("--logo", type=click.Path(path_type=Path), help="Logo image (PNG or JPEG) for the header.")
@click.option("--large-print", is_flag=True, help="16 pt body text on patient handouts (not clinician sheets).")
@click.option(
    "--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: Preferences, site file, letter)."
)
@click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    default="en",
    show_default=True,
    help="es: print the Spanish version of each id (a Spanish id, handout-x-es, prints in Spanish anyway).",
)
@click.pass_context
def handout_cmd(
    ctx: click.Context,
    card_ids: tuple[str, ...],
    output: Path,
    clinic: str | None,
    phone: str | None,
    after_hours_phone: str | None,
    no_clinic: bool,
    patient: str,
    next_visit: str,
    logo: Path | None,
    large_print: bool,
    paper: str | None,
    lang: str,
) -> None:
    """Print cards (patient handouts or reference sheets) to one PDF, each starting on a new page.

    --lang es prints the Spanish version of each id (a Spanish id given as such prints in Spanish with any --lang,
    so one packet may mix languages).

    The clinic's name, phones, logo and paper come from these options, else Preferences, else the site file.
    """
    import dataclasses

    from ..gui import settings as S
    from ..gui.print_controller import print_options
    from ..handout import NO_PHONE, PrintOptions, WriteIn, check_logo, ensure_app, lacks_phone, write_pdf
    from ..translations import required_version

    given = {"--clinic": clinic, "--phone": phone, "--after-hours-phone": after_hours_phone}
    if no_clinic and any(value is not None for value in given.values()):
        named = ", ".join(flag for flag, value in given.items() if value is not None)
        raise Failure(f"--no-clinic prints without the clinic's details: leave out {named}.")
    with user_errors():
        with open_current(ctx) as pack:
            cards = []
            for card_id in card_ids:
                try:
                    card = pack.card(card_id)
                except NotFoundError as exc:  # names the id and the nearest ones
                    raise KetarefError(f"{exc} Nothing was written.") from exc
                cards.append(card if lang == "en" else required_version(pack, card, lang))
            titles = pack.titles()
        ensure_app()
        check_logo(logo)
        options = print_options(S.Settings())  # Preferences, each unset one from the site file
        options = dataclasses.replace(
            options,
            clinic=options.clinic if clinic is None else clinic.strip(),
            phone=options.phone if phone is None else phone.strip(),
            after_hours_phone=options.after_hours_phone if after_hours_phone is None else after_hours_phone.strip(),
            paper=paper or options.paper,
            logo=logo or options.logo,
            large_print=large_print,  # the flag alone, and the standard size: as before Preferences were read here
            base_pt=PrintOptions().base_pt,
            write_in=WriteIn(patient=patient, next_visit=next_visit),
        )
        if no_clinic:
            options = dataclasses.replace(options, clinic="", phone="", after_hours_phone="")
        elif lacks_phone(cards, options):
            raise KetarefError(NO_PHONE)
        pages = write_pdf(cards, output, options, titles)
    click.echo(f"Wrote {output} ({pages} page{'s' if pages != 1 else ''}).")
    sheets = [card.id for card in cards if not card.is_handout]
    if large_print and sheets:
        click.echo(f"Large print is for patient handouts: {', '.join(sheets)} printed at the normal size.")
