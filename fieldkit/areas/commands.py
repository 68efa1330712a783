"""``flask --app app areas …``: import commune boundaries and poverty statistics."""

import os
import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from fieldkit.areas import stats_import
from fieldkit.extensions import db
from fieldkit.models import Area

areas = AppGroup("areas", help="Import communes (boundaries) and their poverty statistics.")
TOP_MOVES = 10


@areas.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--code-field", help="Property with the commune code (default: guessed, e.g. ma_xa).")
@click.option("--name-field", help="Property with the commune name (default: guessed, e.g. ten_xa).")
@click.option("--kind-field", help="Property with Xã / Phường / Đặc khu (default: loai, else the name's prefix).")
@click.option("--province-code", help="Province code for every commune (default: the file's ma_tinh, else 92).")
@click.option("--layer", help="Layer to read when the file has several.")
@click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")
def import_areas(path, code_field, name_field, kind_field, province_code, layer, dry_run) -> None:
    """Import communes from GeoJSON, a zipped Shapefile, GeoPackage or KML, in any declared CRS."""
    from fieldkit.areas import importer, sync  # GDAL and PROJ load only when a file is imported

    started = time.perf_counter()
    notices: list[str] = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            imported = importer.read(path, code_field, name_field, kind_field, province_code, layer, notices)
        except importer.ImportProblem as problem:
            _echo_notes(notices)
            title = f"nothing imported from {os.path.basename(path)}"
            raise click.ClickException(_listed(title, problem.problems)) from None
        _echo_notes(notices)
        try:
            summary = sync.apply(imported, current_app.config["FIELDKIT_AREA_TOLERANCE_M"])
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    click.echo(f"read {len(imported)} communes from {os.path.basename(path)}")
    click.echo(
        f"communes: {len(summary.added)} added, {len(summary.updated)} updated, {len(summary.unchanged)} unchanged"
        + (f"; {len(summary.kept)} stored but not in the file, kept as they were" if summary.kept else "")
    )
    click.echo(f"activities: {summary.placed} with a position placed again, {summary.moved} moved commune")
    for (old, new), count in summary.moves.most_common(TOP_MOVES):
        click.echo(f"  {_named(summary, old)} → {_named(summary, new)}: {count}")
    click.echo(f"activities now outside every commune: {summary.outside} ({summary.newly_outside} newly)")
    click.echo(f"quality flags recomputed for the {summary.moved} that moved: {summary.flags_changed} changed")
    click.echo(("dry run: nothing written" if dry_run else "done") + f" in {time.perf_counter() - started:.1f} s")


@areas.command("stats")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="The year the figures are for.")
@click.option("--source", help="Where the figures come from (default: the file name).")
def import_stats(path: str, year: int, source: str | None) -> None:
    """Import households, poor and near-poor households per commune from a CSV file."""
    with open(path, "rb") as handle:
        data = handle.read()
    known = set(db.session.scalars(db.select(Area.code)))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            rows = stats_import.parse(data, known)
        except stats_import.StatsProblem as problem:
            lines = [f"row {row}: {message}" for row, message in problem.problems]
            raise click.ClickException(_listed(f"nothing imported from {os.path.basename(path)}", lines)) from None
    added, updated, unchanged = stats_import.save(rows, year, (source or os.path.basename(path))[:300])
    db.session.commit()
    click.echo(f"statistics for {year}: {added} added, {updated} updated, {unchanged} unchanged")


def _listed(title: str, problems: list[str]) -> str:
    return f"{title}; {len(problems)} problem(s):\n" + "\n".join(f"  - {problem}" for problem in problems)


def _echo_notes(notices: list[str]) -> None:
    for notice in notices:
        click.echo(f"note: {notice}", err=True)


def _named(summary, code: str | None) -> str:
    return f"{code} {summary.names.get(code, '')}".strip() if code else "(outside)"
