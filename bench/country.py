"""The whole country at 10^6 activities: the quarter report and a boundary re-import, each beside a peer.

The database is built once per backend with the country demo (fieldkit/demo/country.py: 3,321 communes, an
officer per commune, N activities over the 90 days before TODAY) and reused while it holds that many entries
(``--rebuild`` makes it again). SQLite is a file (``--sqlite``); PostgreSQL is FIELDKIT_BENCH_POSTGRES_URL when set.

- Report: ``reports.services.build`` for the quarter of TODAY (city-wide) and its XLSX workbook, against pandas:
  ``read_sql`` of the same rows (the year to the quarter's end) and groupby for the same figures — per commune and
  type in the quarter (activities, items, people, poor, near-poor, last), year-to-date counts, per body and per
  (commune, body, funding source) spending. The two answers are checked to agree.
- Re-import: ``areas.sync.apply`` with other boundaries for the same communes (the demo's drawing around
  centres moved by about a third of each commune's radius, so many borders move), committed: every entry placed
  again, the changed ones updated, the flags of those that moved refreshed. Peer: ``geopandas.sjoin`` of the
  same points against the demo's boundaries again (back to where they were) and a bulk UPDATE (executemany) of
  the rows whose commune changed, with the communes' geometry rows; no tolerance search and no flags (sjoin has
  neither).

Cases run one after another in one process, ours then the peer's, per backend.

    python -m bench.country [--activities N] [--sqlite PATH] [--rebuild]
"""

import argparse
import math
import os
import platform
import random
import sys
import time
import warnings
from datetime import UTC, date, datetime, timedelta, timezone

import geopandas
import numpy as np
import pandas
import shapely
import sqlalchemy as sa

from bench.report import publish
from fieldkit import create_app, demo, periods, schema
from fieldkit.activities import rollup
from fieldkit.areas import sync
from fieldkit.areas.importer import ImportedArea
from fieldkit.demo import country
from fieldkit.demo.areas import shaped
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, CoverageRollupState, Organization
from fieldkit.reports import services

VN = timezone(timedelta(hours=7))
TODAY = date(2026, 12, 1)  # the demo's entries fall in the 90 days before: 2026-Q3 and Q4
PERIOD = "2026-Q4"


def app_for(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "FIELDKIT_UPLOADS": "/tmp/fk-bench-up"})


def prepare(url: str, activities: int, rebuild: bool) -> float | None:
    """Make the country demo unless the database already holds it; answer the load's seconds (None: reused)."""
    app = app_for(url)
    with app.app_context():
        if not rebuild:
            try:
                held = db.session.scalar(sa.select(sa.func.count()).select_from(Activity))
                communes = db.session.scalar(sa.select(sa.func.count()).select_from(Area))
                if held == activities and communes > 3000:
                    schema.upgrade()  # a database made by an earlier version: this version's schema and rollup
                    if db.session.get(CoverageRollupState, 1) is None:
                        rollup.rebuild()
                        db.session.commit()
                    return None
            except sa.exc.DBAPIError:
                db.session.rollback()
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.engine.dispose()
            path = url.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        schema.upgrade()
        started = time.perf_counter()
        demo.load(activities, country=True, today=TODAY)
        return time.perf_counter() - started


def report_ours(app) -> tuple[float, float, dict]:
    """The report's figures, then its workbook: seconds of each and the figures to compare."""
    from fieldkit.reports.xlsx import workbook

    with app.app_context(), app.test_request_context():
        started = time.perf_counter()
        built = services.build(services.city_reporter(), periods.parse(PERIOD))
        figures = time.perf_counter() - started
        workbook(built)
        book = time.perf_counter() - started - figures
        db.session.remove()
    found = {}
    for block in built.communes:
        for line in block.forms:
            if line.activities or line.year_to_date:
                found[(block.code, line.label)] = (line.activities, line.year_to_date)
    return figures, book, found


def report_peer(app) -> tuple[float, dict]:
    """pandas: read the year's rows to the quarter's end and group them as the report does."""
    period = periods.parse(PERIOD)
    with app.app_context():
        start, year_start = _utc(period.start), _utc(period.year_start)
        end = _utc(period.end + timedelta(days=1))
        a = Activity.__table__.c
        query = sa.select(
            sa.func.coalesce(a.area_code, a.declared_area_code).label("code"),
            a.type,
            a.occurred_at,
            a["items"],
            a.people_reached,
            a.poor_reached,
            a.near_poor_reached,
            a.organization_id,
            a.cost_vnd,
            a.funding_source,
        ).where(a.deleted_at.is_(None), a.occurred_at >= year_start, a.occurred_at < end)
        started = time.perf_counter()
        with db.engine.connect() as connection:
            rows = pandas.read_sql(query, connection)
        rows["occurred_at"] = pandas.to_datetime(rows["occurred_at"])
        quarter = rows[rows["occurred_at"] >= pandas.Timestamp(start)]
        sums = {"items": "sum", "people_reached": "sum", "poor_reached": "sum", "near_poor_reached": "sum"}
        by_type = quarter.groupby(["code", "type"]).agg(
            activities=("type", "size"),
            people=("people_reached", "sum"),
            last=("occurred_at", "max"),
            **{k: (k, v) for k, v in sums.items() if k != "people_reached"},
        )
        to_date = rows.groupby(["code", "type"]).size()
        quarter.groupby("organization_id", dropna=False).agg(
            activities=("type", "size"),
            communes=("code", "nunique"),
            spent=("cost_vnd", "sum"),
            **{k: (k, v) for k, v in sums.items()},
        )
        quarter.groupby(["code", "organization_id", "funding_source"], dropna=False)["cost_vnd"].sum()
        seconds = time.perf_counter() - started
        db.engine.dispose()
    found = {}
    for (code, kind), count in to_date.items():
        quarter_row = by_type.loc[(code, kind)] if (code, kind) in by_type.index else None
        found[(code, kind)] = (int(quarter_row["activities"]) if quarter_row is not None else 0, int(count))
    return seconds, found


def _utc(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), VN).astimezone(UTC).replace(tzinfo=None)


def other_boundaries(stored_codes: set[str]) -> list[ImportedArea]:
    """The same communes drawn again around centres moved by about a third of each commune's radius, as a new
    survey would move their borders; answered as an import file would bring them."""
    rng = random.Random(16)
    areas = country.communes()
    for area in areas:
        radius_deg = math.sqrt(area.area_km2 / math.pi) / 111.32
        area.centre_lat += rng.gauss(0, radius_deg / 3)
        area.centre_lon += rng.gauss(0, radius_deg / 3)
    found = []
    for area in shaped(areas):
        if area.code in stored_codes:
            row = area.row()
            found.append(
                ImportedArea(
                    area.code,
                    area.name,
                    area.kind,
                    area.province_code,
                    row["geometry"],
                    row["centroid_lat"],
                    row["centroid_lon"],
                    row["bbox"],
                )
            )
    return found


def reimport_ours(app, imported: list[ImportedArea]) -> tuple[float, sync.SyncSummary]:
    with app.app_context():
        started = time.perf_counter()
        summary = sync.apply(imported, app.config["FIELDKIT_AREA_TOLERANCE_M"])
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds, summary


def reimport_peer(app, boundaries: dict[str, dict]) -> tuple[float, int]:
    """geopandas.sjoin of every placed entry against these boundaries, then UPDATE the changed rows and areas."""
    a = Activity.__table__.c
    with app.app_context():
        started = time.perf_counter()
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(Area.__table__).where(Area.__table__.c.code == sa.bindparam("key")),
                [{"key": code, "geometry": geometry} for code, geometry in boundaries.items()],
            )
            rows = pandas.read_sql(
                sa.select(a.id, a.lat, a.lon, a.area_code).where(a.lat.is_not(None), a.lon.is_not(None)), connection
            )
            areas = geopandas.GeoDataFrame(
                {"code": list(boundaries)}, geometry=[shapely.geometry.shape(g) for g in boundaries.values()], crs=4326
            )
            points = geopandas.GeoDataFrame(rows, geometry=geopandas.points_from_xy(rows.lon, rows.lat), crs=4326)
            joined = geopandas.sjoin(points, areas, how="left", predicate="intersects")
            joined = joined[~joined.index.duplicated()]
            new = joined["code"].astype(object).where(joined["code"].notna(), None)
            changed = joined[new.to_numpy() != joined["area_code"].to_numpy()]
            updates = [
                {"key": int(i), "new_code": c, "distance": 0.0 if c else None}
                for i, c in zip(changed["id"], new[changed.index], strict=True)
            ]
            if updates:
                connection.execute(
                    sa.update(Activity.__table__)
                    .where(a.id == sa.bindparam("key"))
                    .values(area_code=sa.bindparam("new_code"), area_distance_m=sa.bindparam("distance")),
                    updates,
                )
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds, len(updates)


def run(name: str, url: str, activities: int, rebuild: bool) -> dict:
    loaded = prepare(url, activities, rebuild)
    app = app_for(url)
    with app.app_context():
        stored = {code: geometry for code, geometry in db.session.execute(sa.select(Area.code, Area.geometry))}
        bodies = db.session.scalar(sa.select(sa.func.count()).select_from(Organization))
        db.session.remove()
    result = {"name": name, "loaded": loaded, "bodies": bodies, "load": os.getloadavg()[0]}
    result["figures"], result["workbook"], ours = report_ours(app)
    result["pandas"], theirs = report_peer(app)
    assert ours == theirs, f"report and pandas disagree on {len(set(ours.items()) ^ set(theirs.items()))} figures"
    print(
        f"{name}: report {result['figures']:.1f} + workbook {result['workbook']:.1f} s, pandas {result['pandas']:.1f} s"
    )
    imported = other_boundaries(set(stored))
    result["reimport"], summary = reimport_ours(app, imported)
    result["moved"], result["placed"], result["flags"] = summary.moved, summary.placed, summary.flags_changed
    result["sjoin"], result["sjoin_moved"] = reimport_peer(app, {a.code: stored[a.code] for a in imported})
    result["communes"] = len(imported)
    print(f"{name}: re-import {result['reimport']:.1f} s ({summary.moved} moved), sjoin+UPDATE {result['sjoin']:.1f} s")
    return result


def main() -> None:
    warnings.simplefilter("ignore", FutureWarning)
    warnings.simplefilter("ignore", UserWarning)
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--sqlite", default="/tmp/fieldkit-bench-country.sqlite")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    results = [run("SQLite", "sqlite:///" + args.sqlite, args.activities, args.rebuild)]
    if os.environ.get("FIELDKIT_BENCH_POSTGRES_URL"):
        results.append(run("PostgreSQL", os.environ["FIELDKIT_BENCH_POSTGRES_URL"], args.activities, args.rebuild))
    write(results, args.activities)


def write(results: list[dict], activities: int) -> None:
    lines = [
        f"\n## The whole country: quarter report and boundary re-import at {activities:,} activities — "
        f"{datetime.now(VN):%Y-%m-%d %H:%M}\n",
        "`python -m bench.country`: the country demo (3,321 communes, an officer per commune, entries over the 90 "
        f"days before {TODAY:%d/%m/%Y}), report {PERIOD} city-wide. Report: `reports.services.build` (figures) "
        "and its XLSX workbook, against pandas `read_sql` of the year's rows to the quarter's end and the same "
        "groupbys (per commune and type, year to date, per body, spending); the figures agree. Re-import: "
        "`areas.sync.apply` of other boundaries for the same communes (the demo's drawing around centres moved "
        "by ~⅓ of a commune's radius), committed — every "
        "entry placed again, changed rows updated, flags of the moved refreshed — against `geopandas.sjoin` of the "
        "same points back onto the demo's boundaries and an executemany UPDATE of the rows that changed (no "
        "tolerance search, no flags). One run each, ours then the peer. "
        f"{platform.processor() or 'cpu'}, {os.cpu_count()} cores shared with other work, Python "
        f"{sys.version.split()[0]}, pandas {pandas.__version__}, geopandas {geopandas.__version__}.\n",
        "| database | demo load (s) | report figures (s) | + workbook (s) | pandas (s) | report ÷ pandas "
        "| re-import (s) | entries placed / moved | sjoin + UPDATE (s) | re-import ÷ peer | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        loaded = f"{r['loaded']:.0f}" if r["loaded"] is not None else "(reused)"
        lines.append(
            f"| {r['name']} | {loaded} | {r['figures']:.1f} | {r['workbook']:.1f} | {r['pandas']:.1f} "
            f"| {r['figures'] / r['pandas']:.2f} | {r['reimport']:.1f} | {r['placed']:,} / {r['moved']:,} "
            f"| {r['sjoin']:.1f} | {r['reimport'] / r['sjoin']:.2f} | {r['load']:.1f} |"
        )
    publish("\n".join(lines) + "\n")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
