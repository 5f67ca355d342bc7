"""Pack updates for scripts: `ketaref update --check`, `--install` and `--rollback`."""

from __future__ import annotations

import click

from ..errors import KetarefError
from .common import Failure, open_current, user_errors


@click.command("update")
@click.option("--check", "action", flag_value="check", help="Say which update would be offered, and why not others.")
@click.option("--install", "action", flag_value="install", help="Install that update (the same checks as the window).")
@click.option("--rollback", "action", flag_value="rollback", help="Go back to the pack in use before the last update.")
@click.pass_context
def update_cmd(ctx: click.Context, action: str | None) -> None:
    """Pack updates for scripts: exit 0 when an update is (or was) found, installed or rolled back, else 1.

    The updates folder is KETAREF_UPDATES, else the site file's updates_folder.
    """
    import logging

    from .. import updates

    if action is None:
        raise click.UsageError("Give one of --check, --install or --rollback.")
    logging.getLogger(updates.__name__).setLevel(logging.ERROR)  # the reasons a pack is passed over: printed below
    with user_errors():
        if action == "rollback":
            restored = updates.rollback()
            from ..store import open_pack

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
