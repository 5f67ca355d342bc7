"""The command line: thin click commands over the same functions the window uses."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import CardError, KetarefError, NotFoundError
from .model import AUDIENCES, CATEGORIES, CATEGORY_LABELS


class Failure(click.ClickException):
    """A user-facing problem: one line on stderr, exit 1."""

    def format_message(self) -> str:
        return self.message


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn KetaRef errors into one clear line and exit 1 (card errors list every problem first)."""
    try:
        yield
    except CardError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise Failure(str(exc)) from exc
    except KetarefError as exc:
        raise Failure(str(exc)) from exc
    except OSError as exc:  # a full disk, a folder that cannot be written: one line, never a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        raise Failure(f"Could not finish: {exc.strerror or exc}{where}.") from exc


def _progress(label: str) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A terminal progress bar for long builds (nothing when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        return None, lambda: None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done

    def finish() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, finish


def _notice(message: str) -> None:
    click.echo(message, err=True)


def open_current(ctx: click.Context) -> Any:
    """Open the pack chosen by --pack, KETAREF_PACK or the default (built on first use); a pack refused for its
    signature is a KetarefError, and a damaged installed update or cached pack gives way with a notice."""
    from .packchoice import open_chosen

    update, finish = _progress("Building the default pack")
    try:
        return open_chosen(ctx.obj.get("pack"), progress=update, notice=_notice)
    finally:
        finish()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--pack",
    "pack_path",
    type=click.Path(dir_okay=False),
    help="Pack file to use (default: KETAREF_PACK, else the bundled pack).",
)
@click.version_option(__version__, "--version", prog_name="ketaref", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, pack_path: str | None) -> None:
    """KetaRef: offline reference on ketamine and esketamine for depression.

    With no command, opens the desktop app.
    """
    if ctx.invoked_subcommand != "search":  # the hot path logs nothing and skips importing logging
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["pack"] = pack_path
    if ctx.invoked_subcommand is None:
        from .gui.app import run

        with user_errors():
            sys.exit(run(pack_path))


@main.command("pack")
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder laid out like resources/ (cards/, synonyms.toml). Default: the bundled resources.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Pack file to write (a new path or a file to replace). Default: the default pack in the user cache.",
)
@click.option(
    "--sign",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Secret key (from `ketaref keys new`) to sign the pack with: writes PACK.minisig beside it.",
)
def pack_cmd(source: Path | None, output: Path | None, key_file: Path | None) -> None:
    """Check the cards as `ketaref lint` does and build a pack file (atomically: a failed build keeps the old pack)."""
    from .atomic import NotAFileError, check_target
    from .pack import build
    from .paths import cached_pack, resources_dir
    from .signing import secret_key_id, sign_file, signature_path

    other_source_into_default = source is not None and output is None
    source = source or resources_dir()
    output = output or cached_pack()

    with user_errors():
        try:
            check_target(output)
        except NotAFileError as exc:
            raise KetarefError(f"Not written: {exc}.") from exc
        key_id = secret_key_id(key_file) if key_file else None  # a bad key stops before anything is built
        before = _pack_identity(output)
        update, finish = _progress("Rendering cards")
        try:
            meta = build(source, output, update, lambda problem: click.echo(str(problem), err=True), keep_grades=True)
        finally:
            finish()
        signature = signature_path(output.resolve())
        if key_file:
            try:  # after the pack's rename: the signature is of the bytes in place
                sign_file(output.resolve(), key_file)
            except KetarefError as exc:
                signature.unlink(missing_ok=True)  # never a signature that does not match the pack beside it
                raise KetarefError(f"Built {output}, but it is not signed: {exc}") from exc
        elif signature.is_file():
            signature.unlink()
            click.echo(f"note: removed {signature}, the signature of the pack this build replaced.", err=True)
    signed = f", signed by key {key_id} into {signature}" if key_id else ""
    click.echo(f"Built {meta['cards']} cards into {output} (content version {meta['content_version']}{signed}).")
    if other_source_into_default:
        click.echo(
            "note: this is the default pack, which KetaRef rebuilds from its bundled cards when they differ; "
            "give --output to keep a pack built from another folder.",
            err=True,
        )
    if before and before[0] == meta["content_version"] and before[1] != meta["content_sha256"]:
        click.echo(
            f"warning: the cards changed but content_version is still {meta['content_version']}: raise it in "
            "pack.toml, or workstations will not take this pack as an update.",
            err=True,
        )


def _pack_identity(path: Path) -> tuple[str, str] | None:
    """(content_version, content_sha256) of the pack a build is about to replace, when there is one."""
    from .store import open_pack

    if not path.is_file():
        return None
    try:
        with open_pack(path) as pack:
            return pack.meta["content_version"], pack.meta["content_sha256"]
    except KetarefError:
        return None


def _mark(snippet: str) -> str:
    from .search import unescape

    text = re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="yellow"), snippet)
    return unescape(text)


@main.command("search")
@click.argument("query", nargs=-1)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only cards of this category.")
@click.option("--audience", type=click.Choice(AUDIENCES), help="Only clinician cards or patient handouts.")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="Most results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def search_cmd(
    ctx: click.Context, query: tuple[str, ...], category: str | None, audience: str | None, limit: int, as_json: bool
) -> None:
    """Search the cards (words match as prefixes; abbreviations and typos are forgiven)."""
    text = " ".join(query)
    with user_errors():
        with open_current(ctx) as pack:
            found = pack.search(text, limit=limit, category=category, audience=audience)
    if as_json:
        import json

        payload = {
            "query": found.query,
            "corrected_query": found.corrected_query,
            "unmatched": list(found.unmatched),
            "results": [
                {
                    "id": h.id,
                    "title": h.title,
                    "category": h.category,
                    "audience": h.audience,
                    "snippet": h.snippet,
                    "score": h.score,
                }
                for h in found.results
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if found.corrected_query:
        click.echo(f'Showing results for "{found.corrected_query}" (no card has "{found.replaced}").')
    if found.unmatched and found.matched_query:
        from .search import relaxed_notice

        click.echo(relaxed_notice(found) + ".")
    if not found.results:
        if text.strip():
            click.echo(f'No cards match "{text}".')
        else:
            click.echo("Nothing to search for: give a word, e.g. ketaref search TRD.", err=True)
        return
    for n, hit in enumerate(found.results, 1):
        badge = "  [patient handout]" if hit.audience == "patient" else ""
        click.echo(f"{n:>2}. {click.style(hit.title, bold=True)}  ({CATEGORY_LABELS[hit.category]}){badge}  {hit.id}")
        click.echo(f"    {_mark(hit.snippet)}")


@main.command("show")
@click.argument("card_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def show_cmd(ctx: click.Context, card_id: str, fmt: str) -> None:
    """Print one card by id."""
    import html

    from .render import card_document, strip_card_links

    with user_errors():
        with open_current(ctx) as pack:
            card = pack.card(card_id)
            titles = pack.titles()
    if fmt == "html":
        body = card_document(card, titles, review_due=card.review_due())
        head = f'<meta charset="utf-8"><title>{html.escape(card.title)}</title>'
        click.echo(f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>")
        return
    if fmt == "markdown":
        click.echo(card.body)
        return
    click.echo(click.style(card.title, bold=True))
    audience = ", patient handout" if card.is_handout else ""
    click.echo(f"{CATEGORY_LABELS[card.category]}{audience} | {card.id}\n")
    click.echo(card.summary + "\n")
    click.echo(strip_card_links(card.body, titles) + "\n")
    if card.related:
        click.echo("Related: " + ", ".join(card.related) + "\n")
    click.echo("Sources:")
    for n, source in enumerate(card.sources, 1):
        link = source.link()
        click.echo(f"  {n}. {source.cite}" + (f" {link}" if link else ""))
    due = " (due for review)" if card.review_due() else ""
    click.echo(f"\nLast reviewed {card.reviewed.isoformat()}{due}")


@main.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def info_cmd(ctx: click.Context, as_json: bool) -> None:
    """Describe the pack in use: versions, build date, cards per category, changes since the previous pack."""
    from .trust import pack_trust
    from .updates import changes_for

    with user_errors():
        with open_current(ctx) as pack:
            pack.verify()
            info = pack.info()
            path = pack.path
        trust = pack_trust(path)
    info["signature"] = trust.as_info()
    changes = changes_for(path)
    if changes:
        info["changes"] = changes.as_info()
    if as_json:
        import json

        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"Pack:            {path}")
    click.echo(f"Content version: {info['content_version']}")
    click.echo(f"Built:           {info['built_at']}")
    click.echo(f"Schema version:  {info['schema_version']}")
    click.echo(f"Content SHA-256: {info['content_sha256']}")
    click.echo(f"Signature:       {trust.label()}")
    click.echo(f"Cards:           {info['cards']}")
    for name, count in info["categories"].items():
        click.echo(f"  {CATEGORY_LABELS[name]:<20} {count}")
    if changes:  # the same release notes as Help > About: titles, ids and new review dates
        click.echo("Changes since the previous pack:")
        for line in changes.text().splitlines():
            click.echo(f"  {line}")


@main.command("handout")
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

    from .gui import settings as S
    from .gui.print_controller import print_options
    from .handout import NO_PHONE, PrintOptions, WriteIn, check_logo, ensure_app, lacks_phone, write_pdf
    from .translations import required_version

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


@main.command("lint")
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder laid out like resources/. Default: the bundled resources.",
)
def lint_cmd(source: Path | None) -> None:
    """Check the card sources: format, links, sources, review dates, handout reading grade (body and summary)."""
    from .lint import MAX_HANDOUT_GRADE, MIN_SPANISH_EASE, TARGET_SPANISH_EASE, lint
    from .paths import resources_dir

    with user_errors():
        report = lint(source or resources_dir(), keep_grades=True)
    for problem in report.problems:
        click.echo(str(problem), err=not problem.warning)
    for card_id, (path, grade) in sorted(report.grades.items()):
        boxed = report.summary_grades[card_id]
        verdict, boxed_verdict = ("ok" if g <= MAX_HANDOUT_GRADE else "too hard" for g in (grade, boxed))
        click.echo(f"{path}: reading grade {grade} (Flesch-Kincaid, {verdict}); summary {boxed} ({boxed_verdict})")
    for card_id, (path, ease, huerta) in sorted(report.ease.items()):
        verdict = "ok" if ease >= TARGET_SPANISH_EASE else "below target" if ease >= MIN_SPANISH_EASE else "too hard"
        click.echo(
            f"{path}: reading ease {ease} (INFLESZ, Szigriszt-Pazos, {verdict}); Fernández-Huerta {huerta}; "
            f"summary {report.summary_ease[card_id]}"
        )
    summary = f"{report.cards} cards: {len(report.errors)} error(s), {len(report.warnings)} warning(s)."
    if report.errors:
        raise Failure(summary)
    click.echo(summary)


@main.command("gui")
@click.option("--smoke", is_flag=True, help="Open, search, open a card, close; exit 0 (bundle and timing checks).")
@click.pass_context
def gui_cmd(ctx: click.Context, smoke: bool) -> None:
    """Open the desktop app (the same as running ketaref with no command)."""
    from .gui.app import run

    with user_errors():
        sys.exit(run(ctx.obj.get("pack"), smoke=smoke))


@main.group("keys")
def keys_group() -> None:
    """Signing keys for packs (Ed25519, in minisign's format)."""


@keys_group.command("new")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def keys_new_cmd(folder: Path) -> None:
    """Write a new key pair: FOLDER/ketaref.key (secret, mode 0600) and FOLDER/ketaref.pub (give this to IT)."""
    from .signing import load_public_key, new_keys

    with user_errors():
        secret, public = new_keys(folder)
        key_id = load_public_key(public).id_hex
    click.echo(f"Wrote {public} (public key {key_id}) and {secret} (secret: keep it private and backed up).")


@main.command("verify")
@click.argument("pack_file", metavar="PACK", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Trust only this public key file (default: the site file's trusted_keys and KETAREF_TRUSTED_KEYS).",
)
def verify_cmd(pack_file: Path, key_file: Path | None) -> None:
    """Say in one line whether a pack is intact, signed, and by which trusted key (exit 0 or 1)."""
    from .signing import load_public_key
    from .site import load_site
    from .store import open_pack
    from .trust import TrustedKeys, check_pack, describe_verdict, trusted_keys

    with user_errors():
        if not pack_file.is_file():
            raise KetarefError(f"{pack_file} is not a file.")
        keys = TrustedKeys((load_public_key(key_file),)) if key_file else trusted_keys(load_site())
        verdict = check_pack(pack_file, keys)
        accepted = verdict.ok or not keys.keys
        if accepted:
            open_pack(pack_file).close()  # intact as a pack too: its schema and SQLite's integrity check
    line = describe_verdict(pack_file, verdict, bool(keys.keys))
    if not accepted:
        raise Failure(line)
    click.echo(line)


@main.command("update")
@click.option("--check", "action", flag_value="check", help="Say which update would be offered, and why not others.")
@click.option("--install", "action", flag_value="install", help="Install that update (the same checks as the window).")
@click.option("--rollback", "action", flag_value="rollback", help="Go back to the pack in use before the last update.")
@click.pass_context
def update_cmd(ctx: click.Context, action: str | None) -> None:
    """Pack updates for scripts: exit 0 when an update is (or was) found, installed or rolled back, else 1.

    The updates folder is KETAREF_UPDATES, else the site file's updates_folder.
    """
    import logging

    from . import updates

    if action is None:
        raise click.UsageError("Give one of --check, --install or --rollback.")
    logging.getLogger(updates.__name__).setLevel(logging.ERROR)  # the reasons a pack is passed over: printed below
    with user_errors():
        if action == "rollback":
            restored = updates.rollback()
            from .store import open_pack

            with open_pack(restored) as pack:
                version = pack.content_version
            click.echo(f"Rolled back to content version {version} ({restored}).")
            return
        folder = updates.updates_folder()
        if folder is None:
            raise KetarefError(
                f"No updates folder: set {updates.UPDATES_ENV} or updates_folder in the site file (ketaref-site.toml)."
            )
        if not folder.is_dir():
            raise KetarefError(f"The updates folder {folder} is not there (or cannot be reached).")
        with open_current(ctx) as current:
            current_path, current_version = current.path, current.content_version
        skipped: updates.Skipped = []
        found = updates.find_update(folder, current_path, skipped=skipped)
        if action == "check":
            for path, reason in skipped:
                click.echo(f"skipped {path.name}: {reason}")
        if found is None:
            if action == "check":
                raise Failure(f"No update: content {current_version} in use is the latest usable pack in {folder}.")
            raise Failure(f"Nothing installed: no usable update in {folder} (content {current_version} in use).")
        offer = (
            f"content version {found.content_version} from {found.path} ({found.signature_label}); "
            f"{current_version} in use"
        )
        if action == "check":
            click.echo(f"Update available: {offer}.")
            return
        installed = updates.install_update(found)
    click.echo(f"Installed content version {found.content_version} ({found.signature_label}) as {installed}.")


@main.group("dose")
def dose_group() -> None:
    """Dose calculators: weight-based IV ketamine, esketamine nasal spray devices (the working is shown)."""


@dose_group.command("iv")
@click.option("--weight", required=True, help="Actual body weight (30-250 kg).")
@click.option("--unit", type=click.Choice(["kg", "lb"], case_sensitive=False), default="kg", show_default=True)
@click.option("--mg-per-kg", default="0.5", show_default=True, help="Dose in mg/kg (0.1-1.0).")
@click.option("--minutes", default="40", show_default=True, help="Infusion time in minutes (10-120).")
@click.option("--concentration", required=True, help="Vial strength in mg/mL: 10, 50 or 100 (never assumed).")
@click.option("--final-ml", default=None, help="Volume the dose is made up to, in mL (e.g. 50, 100, 250).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def dose_iv_cmd(
    weight: str, unit: str, mg_per_kg: str, minutes: str, concentration: str, final_ml: str | None, as_json: bool
) -> None:
    """IV ketamine: dose in mg, drug volume in mL and pump rate in mL/h, with the working."""
    from .dosing import iv_dose

    with user_errors():
        result = iv_dose(weight, concentration, unit=unit, mg_per_kg=mg_per_kg, minutes=minutes, final_ml=final_ml)
    if as_json:
        import json

        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(result.text())


@dose_group.command("spray")
@click.option("--dose", required=True, help="Esketamine dose in mg: 28, 56 or 84.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def dose_spray_cmd(dose: str, as_json: bool) -> None:
    """Esketamine nasal spray (SPRAVATO): devices, sprays and 5-minute rests, the day-1 rule and the schedules."""
    from .dosing import spray_dose

    with user_errors():
        result = spray_dose(dose)
    if as_json:
        import json

        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(result.text())


if __name__ == "__main__":
    main()
