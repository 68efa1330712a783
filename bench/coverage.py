"""Coverage at 10^6 activities: the rollup kept by the write path, against counting the entries and against pandas.

A fresh database (SQLite in a temporary folder, and PostgreSQL when FIELDKIT_BENCH_POSTGRES_URL is set: dropped and
made again) is migrated and loaded with the demo communes and users, then filled with synthetic activities by bulk
INSERTs (a year of entries of every type, 1 in 10 without a position, bodies and costs as officers record them, 1 in
200 withdrawn), and `flask coverage rebuild` counts them into the rollup (its wall time is a figure). One process
then times, interleaved, best of 3 after a first run, over the default period (the last 90 days) as the city
supervisor:

- coverage.compute from the rollup, and from the entries (the rollup's state row taken away meanwhile);
- pandas: read_sql of the same rows' columns and a groupby per commune and type (the peer a supervisor would
  otherwise pick: export, then a notebook);
- GET /api/v1/coverage and GET /coverage through the test client, with the rollup and without it;
- the write path: 100 entries received and committed one by one, with the rollup kept and without it.

    python -m bench.coverage [--rows N] [--existing URL …]
"""

import argparse
import json
import os
import platform
import random
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from bench.report import publish
from bench.server import fresh_postgres, prepare

DAYS = 365
TYPES = {"talk": 30, "banner": 20, "leaflet": 25, "broadcast": 15, "media": 10}
BATCH = 20_000


def fill(rows: int, seed: int = 159) -> None:
    """Bulk-insert synthetic activities into the app's database (inside an app context)."""
    from sqlalchemy import insert

    from fieldkit.extensions import db
    from fieldkit.models import Activity, Area, Organization, Role, User

    rng = random.Random(seed)
    areas = db.session.execute(db.select(Area.code, Area.centroid_lat, Area.centroid_lon)).all()
    officers = db.session.scalars(db.select(User.id).where(User.role == Role.OFFICER)).all()
    bodies = db.session.scalars(db.select(Organization.id)).all()
    end = datetime.combine(date.today(), datetime.min.time()) - timedelta(hours=7)
    kinds, weights = list(TYPES), list(TYPES.values())

    def row(n: int) -> dict:
        code, lat, lon = rng.choice(areas)
        located = n % 10 != 0
        stamp = end - timedelta(seconds=rng.randrange(DAYS * 86400))
        people = rng.randint(10, 120)
        return {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
            "type": rng.choices(kinds, weights)[0],
            "occurred_at": stamp,
            "utc_offset_min": 420,
            "received_at": stamp,
            "updated_at": stamp,
            "officer_id": rng.choice(officers),
            "organization_id": rng.choice(bodies) if n % 4 else None,
            "lat": lat + rng.uniform(-0.005, 0.005) if located else None,
            "lon": lon + rng.uniform(-0.005, 0.005) if located else None,
            "accuracy_m": 12.0 if located else None,
            "location_source": "gps" if located else "none",
            "area_code": code if located else None,
            "declared_area_code": code,
            "topic": "Tuyên truyền giảm nghèo bền vững",
            "notes": "",
            "details": {},
            "people_reached": people,
            "poor_reached": people // 8,
            "near_poor_reached": people // 12,
            "items": rng.randint(0, 5),
            "status": "verified" if n % 5 == 0 else "submitted",
            "review_comment": "",
            "flags": [],
            "cost_vnd": rng.randint(200, 9000) * 1000 if n % 3 else None,
            "content_hash": "bench",
            "deleted_at": stamp if n % 200 == 0 else None,
            "version": 1,
        }

    for start in range(0, rows, BATCH):
        db.session.execute(insert(Activity.__table__), [row(n) for n in range(start, min(rows, start + BATCH))])
        db.session.commit()


@contextmanager
def without_rollup():
    """Take the rollup's state row away, so that everything counts the entries; put it back afterwards."""
    from flask import g

    from fieldkit.extensions import db
    from fieldkit.models import CoverageRollupState

    state = db.session.get(CoverageRollupState, 1)
    zone, built = state.zone, state.built_at
    db.session.delete(state)
    db.session.commit()
    g.pop("rollup_zone", None)
    try:
        yield
    finally:
        db.session.add(CoverageRollupState(id=1, zone=zone, built_at=built))
        db.session.commit()
        g.pop("rollup_zone", None)


def pandas_coverage(engine, since: datetime):
    """The peer: the period's rows into a DataFrame, summed per commune and type."""
    import pandas as pd

    sql = (
        "SELECT coalesce(area_code, declared_area_code) AS code, type, items, people_reached, poor_reached, "
        "near_poor_reached, occurred_at FROM activity WHERE deleted_at IS NULL AND occurred_at >= %(since)s"
    )
    if engine.dialect.name == "sqlite":
        sql = sql.replace("%(since)s", ":since")
    frame = pd.read_sql_query(sql, engine, params={"since": since})
    sums = frame.groupby("code").agg(
        items=("items", "sum"),
        people=("people_reached", "sum"),
        poor=("poor_reached", "sum"),
        near_poor=("near_poor_reached", "sum"),
        last=("occurred_at", "max"),
    )
    per_type = frame.pivot_table(index="code", columns="type", values="items", aggfunc="size", fill_value=0)
    return sums.join(per_type)


def best(run, repeat: int = 3) -> float:
    run()  # a first run: caches warm, as a supervisor's second look would find them
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(name: str, url: str, rows: int, folder: str, existing: bool = False) -> dict:
    """Build one database (or take an existing one, migrated) and time every case on it; answer the figures."""
    import subprocess
    import sys

    if existing:
        env = {**os.environ, "DATABASE_URL": url, "FIELDKIT_SECRET_KEY": "bench"}
        env["FIELDKIT_UPLOADS"] = os.path.join(folder, "uploads")
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], env=env, check=True)
    else:
        env = prepare(url, folder)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "FIELDKIT_SECRET_KEY", "FIELDKIT_UPLOADS")})
    from fieldkit import create_app

    settings = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "WTF_CSRF_ENABLED": False}
    app = create_app(settings | {"FIELDKIT_UPLOADS": env["FIELDKIT_UPLOADS"]}, instance_path=folder)
    with app.app_context():
        from fieldkit.activities import coverage, services
        from fieldkit.activities.queries import Filters
        from fieldkit.coverage import period
        from fieldkit.extensions import db
        from fieldkit.models import Activity, Area, CoverageRollup, User

        started = time.perf_counter()
        if not existing:
            fill(rows)
        loaded = None if existing else time.perf_counter() - started
        rows = db.session.scalar(db.select(db.func.count()).select_from(Activity))
        communes = db.session.scalar(db.select(db.func.count()).select_from(Area))
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "coverage", "rebuild"], env=env, check=True, timeout=3600
        )
        rebuilt = time.perf_counter() - started
        rollup_rows = db.session.scalar(db.select(db.func.count()).select_from(CoverageRollup))
        supervisor = db.session.scalar(db.select(User).where(User.username == "giamsat"))
        filters, span = period.complete(Filters(), period.today(app.config["FIELDKIT_TIMEZONE"]))
        since = datetime.combine(span.start, datetime.min.time()) - timedelta(hours=7)
        client = app.test_client()
        answer = client.post("/login", data={"username": "giamsat", "password": "demo-giamsat-2025"})
        assert answer.status_code == 302, f"the demo supervisor could not log in: {answer.status_code}"

        def page(path):
            def get():
                answer = client.get(path)
                assert answer.status_code == 200, (path, answer.status_code)

            return get

        cases = {
            "compute": lambda: coverage.compute(supervisor, filters),
            "api": page("/api/v1/coverage"),
            "page": page("/coverage"),
        }
        figures = {}
        for round_ in range(2):  # interleaved: rollup, entries, pandas, then again
            for case, run in cases.items():
                figures.setdefault((case, "rollup"), []).append(best(run, 1 if round_ else 2))
                with without_rollup():
                    figures.setdefault((case, "entries"), []).append(best(run, 1 if round_ else 2))
            figures.setdefault(("compute", "pandas"), []).append(best(lambda: pandas_coverage(db.engine, since), 1))
        officer = db.session.scalar(db.select(User).where(User.role == "officer").order_by(User.id).limit(1))
        area = officer.area_code

        def writes():
            for _ in range(100):
                services.receive(
                    officer,
                    {
                        "uuid": str(uuid.uuid4()),
                        "type": "talk",
                        "occurred_at": datetime.now().astimezone() - timedelta(hours=3),
                        "lat": None,
                        "lon": None,
                        "accuracy_m": None,
                        "location_source": "none",
                        "declared_area_code": area,
                        "topic": "Đối thoại chính sách",
                        "notes": "",
                        "details": {"format": "talk", "participants": 30, "poor_members": 3},
                    },
                )
                db.session.commit()

        write_ms = {"rollup": best(writes, 1) * 10}
        with without_rollup():
            write_ms["entries"] = best(writes, 1) * 10
    got = {"/".join(key): min(values) for key, values in figures.items()}
    return {
        "name": name,
        "communes": communes,
        "rows": rows,
        "loaded": loaded,
        "rebuilt": rebuilt,
        "rollup_rows": rollup_rows,
    } | {
        "got": got,
        "write_ms": write_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--existing",
        metavar="URL",
        action="append",
        default=[],
        help="measure this database (e.g. `demo load --country`) too; may be given again",
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench.sqlite", False)]
        if os.environ.get("FIELDKIT_BENCH_POSTGRES_URL"):
            targets.append(("PostgreSQL", fresh_postgres(os.environ["FIELDKIT_BENCH_POSTGRES_URL"]), False))
        dialects = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        targets += [(dialects[url.split(":", 1)[0].split("+")[0]], url, True) for url in args.existing]
        for name, url, existing in targets:
            import subprocess
            import sys

            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import bench.coverage as b; b.child({name!r}, {url!r}, {args.rows}, {folder!r}, {existing})",
                ],
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    write(results)


def child(name: str, url: str, rows: int, folder: str, existing: bool) -> None:
    """One database in its own process (the app binds one database per process)."""
    print(json.dumps(measure(name, url, rows, folder, existing)))


def write(results) -> None:
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    lines = [
        f"\n## Coverage at 10^6 activities — {stamp}\n",
        "\n`python -m bench.coverage`: a year of synthetic entries over the 103 demo communes (every type, 1 in 10 "
        "without a position, 1 in 200 withdrawn; an existing database, as `demo load --country` makes it, as it "
        "is), the default period (the last 90 days), the city supervisor; best "
        "of 3 after a first run, the cases interleaved in one process; pandas reads the period's rows with "
        f"read_sql and groups them per commune and type. cpu, 2 cores, Python {platform.python_version()}, "
        f"1-minute load {load:.1f} at the end (the machine was shared).\n",
        "\n| database | communes | activities | bulk insert (s) | `coverage rebuild` (s) | rollup rows | case | "
        "rollup (s) | entries (s) | pandas (s) | rollup vs entries | rollup vs pandas |\n",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n",
    ]
    labels = {"compute": "coverage.compute", "api": "GET /api/v1/coverage", "page": "GET /coverage"}
    for result in results:
        name, rows, got = result["name"], result["rows"], result["got"]
        loaded, rebuilt, rollup_rows = result["loaded"], result["rebuilt"], result["rollup_rows"]
        for case, label in labels.items():
            ours, entries = got[f"{case}/rollup"], got[f"{case}/entries"]
            peer = got.get(f"{case}/pandas")
            lines.append(
                f"| {name} | {result['communes']:,} | {rows:,} | {f'{loaded:.0f}' if loaded else '—'} | "
                f"{rebuilt:.1f} | {rollup_rows:,} | {label} | {ours:.3f} | "
                f"{entries:.3f} | {f'{peer:.3f}' if peer else '—'} | {entries / ours:.1f}× faster | "
                f"{f'{peer / ours:.1f}× faster' if peer else '—'} |\n"
            )
    lines.append(
        "\n| database | communes | write path: receive + commit, one entry (ms) | with the rollup kept | without "
        "| cost |\n|---|---:|---|---:|---:|---:|\n"
    )
    for result in results:
        name, write_ms = result["name"], result["write_ms"]
        extra = write_ms["rollup"] - write_ms["entries"]
        lines.append(
            f"| {name} | {result['communes']:,} | mean of 100 | {write_ms['rollup']:.1f} | "
            f"{write_ms['entries']:.1f} | {extra:+.1f} ms |\n"
        )
    publish("".join(lines))


if __name__ == "__main__":
    main()
