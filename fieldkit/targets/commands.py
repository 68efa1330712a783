"""``flask --app app targets import FILE.csv``."""

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from fieldkit.extensions import db
from fieldkit.targets import services

targets = AppGroup("targets", help="The plan's targets per commune, year and activity type.")


@targets.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_targets(path: str) -> None:
    """Import targets from a CSV with columns code, year, type, quantity; nothing is written if a row is bad."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        result = services.import_csv(data)
    except services.TargetFileError as error:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request to choose a language
            for problem in error.errors:
                click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.errors)} problem(s) in {path}; nothing was imported") from None
    db.session.commit()
    click.echo(
        f"targets: {result.rows} rows — {result.created} new, {result.updated} changed, {result.unchanged} unchanged"
    )
