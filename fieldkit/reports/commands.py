"""``flask --app app report --period 2025-Q4 --out FILE.xlsx [--area CODE]``."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from fieldkit import periods
from fieldkit.reports import services


@click.command("report")
@click.option("--period", "period_text", required=True, help="A year (2025), quarter (2025-Q4) or month (2025-11).")
@click.option(
    "--out", "path", required=True, type=click.Path(dir_okay=False, writable=True), help="The .xlsx to write."
)
@click.option("--area", "area_code", help="One commune's code; the whole city without it.")
@click.option("--all", "everything", is_flag=True, help="Every commune and form row, zeros included.")
@with_appcontext
def report(period_text: str, path: str, area_code: str | None, everything: bool) -> None:
    """Write the periodic report of Plan 159/KH-UBND as an XLSX workbook."""
    from fieldkit.reports.xlsx import workbook  # imported here rather than at start-up

    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request to choose a language
        try:
            period = periods.parse(period_text)
        except periods.PeriodError as error:
            raise click.BadParameter(str(error.message), param_hint="--period") from None
        try:
            built = services.build(services.city_reporter(), period, area_code, everything)
        except LookupError:
            raise click.BadParameter(f"unknown commune code {area_code!r}", param_hint="--area") from None
        data = workbook(built)
    with open(path, "wb") as handle:
        handle.write(data)
    click.echo(f"report {period.key} ({area_code or 'city'}): {len(built.communes)} communes, wrote {path}")
