"""``flask --app app allocations import FILE.csv``."""

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from fieldkit.extensions import db
from fieldkit.funding import services

allocations = AppGroup("allocations", help="Money allocated to communes and bodies, by year and funding source.")


@allocations.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_allocations(path: str) -> None:
    """Import allocations from a CSV with columns code, year, source, amount_vnd; nothing is written if a row is
    bad. A row sets the amount of its code, year and source."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        result = services.import_csv(data)
    except services.AllocationFileError as error:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request to choose a language
            for problem in error.errors:
                click.echo(str(problem), err=True)
        db.session.rollback()
        raise click.ClickException(f"{len(error.errors)} problem(s) in {path}; nothing was imported") from None
    db.session.commit()
    click.echo(
        f"allocations: {result.rows} rows — {result.created} new, {result.updated} changed, "
        f"{result.unchanged} unchanged"
    )
