"""``flask --app app backup`` and ``restore``."""

import click
from flask.cli import with_appcontext

from fieldkit.backup import services
from fieldkit.photos.storage import StorageError


@click.command("backup")
@click.option("--out", "target", required=True, help="The .tar.gz file to write.")
@with_appcontext
def backup(target: str) -> None:
    """Write a consistent copy of the database and the photos."""
    try:
        summary = services.backup(target)
    except (services.BackupError, StorageError) as error:  # StorageError: the photo store is down
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {summary.path}: {summary.dialect}, {summary.counts}, {summary.files} files")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(source: str, yes: bool) -> None:
    """Replace the database with a backup and put its photos back (stop the app servers first)."""
    if not yes:
        click.confirm("This replaces every record in the database with the backup's. Go on?", abort=True)
    try:
        summary = services.restore(source)
    except (services.BackupError, StorageError) as error:  # StorageError: the photo store is down
        raise click.ClickException(str(error)) from None
    click.echo(f"restored from {summary.path}: {summary.counts}, {summary.files} files")
