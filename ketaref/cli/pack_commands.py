"""Building and describing packs: `ketaref pack`, `ketaref info` and `ketaref lint`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KetarefError
from ..model import CATEGORY_LABELS
from .common import Failure, open_current, progress_bar, user_errors


@click.command("pack")
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
    from ..atomic import NotAFileError, check_target
    from ..pack import build
    from ..paths import cached_pack, resources_dir
    from ..signing import secret_key_id, sign_file, signature_path

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
        update, finish = progress_bar("Rendering cards")
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
    from ..store import open_pack

    if not path.is_file():
        return None
    try:
        with open_pack(path) as pack:
            return pack.meta["content_version"], pack.meta["content_sha256"]
    except KetarefError:
        return None


@click.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def info_cmd(ctx: click.Context, as_json: bool) -> None:
    """Describe the pack in use: versions, build date, cards per category, changes since the previous pack."""
    from ..trust import pack_trust
    from ..updates import changes_for

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


@click.command("lint")
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder laid out like resources/. Default: the bundled resources.",
)
def lint_cmd(source: Path | None) -> None:
    """Check the card sources: format, links, sources, review dates, handout reading grade (body and summary)."""
    from ..lint import MAX_HANDOUT_GRADE, MIN_SPANISH_EASE, TARGET_SPANISH_EASE, lint
    from ..paths import resources_dir

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
