"""``flask --app app photos sweep``."""

import click
from flask.cli import AppGroup

from fieldkit.photos import sweep as sweeping
from fieldkit.photos.storage import StorageError

photos = AppGroup("photos", help="Manage stored photo files.")


@photos.command("sweep")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@click.option(
    "--older-than", "minutes", type=click.IntRange(min=1), default=60, show_default=True, help="Grace time, minutes."
)
def sweep(dry_run: bool, minutes: int) -> None:
    """Remove photo files no stored photo names (replaced photos, files of a hard kill)."""
    try:
        swept = sweeping.sweep(minutes * 60, dry_run=dry_run)
    except StorageError as error:
        raise click.ClickException(f"the photo store cannot be swept now: {error}") from None
    for name in swept.removed:
        click.echo(("would remove " if dry_run else "removed ") + name)
    for name in swept.unknown:
        click.echo(f"left alone (not a photo file): {name}")
    verb = "would be removed" if dry_run else "removed"
    click.echo(f"{len(swept.removed)} orphan files {verb}, {len(swept.unknown)} unknown files left alone")
