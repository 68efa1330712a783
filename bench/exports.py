"""Export 10^6 activities to CSV and GeoJSON: fieldkit's streaming writers against pandas and geopandas.

The database is a temporary SQLite file: migrated, loaded with the demo communes and users (no demo activities),
then filled with synthetic activities by one executemany (`demo load --activities 1000000` would take far
longer and measure nothing more). Every case runs in its own subprocess and reads the same SELECT — the one the
export builds (services.query) — and writes a file; the subprocess reports its wall time, its time to the first
byte written, and its peak resident memory (getrusage) and the resident memory before the work began.

pandas reads that SELECT with read_sql and writes to_csv; geopandas builds points from lon/lat and writes
to_file(driver="GeoJSON") (pyogrio). The JSON columns (details, flags) come out of SQLAlchemy as dicts and lists,
which GDAL cannot store: for geopandas they are turned back into JSON text, which is counted in its time.

    python -m bench.exports [--rows N] [--keep DIR]      (make bench runs it with the default 10^6 rows)
"""

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.report import publish

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VN = timezone(timedelta(hours=7))
DAYS = 100
CASES = ["fieldkit-csv", "pandas-csv", "fieldkit-geojson", "geopandas-geojson", "fieldkit-csv-tenth"]
TOPICS = [
    "Tuyên truyền giảm nghèo bền vững",
    "Đối thoại chính sách tín dụng cho hộ nghèo",
    "Phát tờ rơi về bảo hiểm y tế cho hộ cận nghèo",
    "Treo băng rôn hưởng ứng phong trào Vì người nghèo",
    '=HYPERLINK("http://example.com","x")',
]


def build(path: str, rows: int) -> None:
    """Migrate a fresh SQLite file, load communes and users, then bulk-insert synthetic activities."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "FIELDKIT_SECRET_KEY": "bench"}
    for args in (["db", "upgrade"], ["demo", "load", "--activities", "0"]):
        subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    connection = sqlite3.connect(path)
    areas = connection.execute("SELECT code, centroid_lat, centroid_lon FROM area").fetchall()
    officers = [row[0] for row in connection.execute("SELECT id FROM user WHERE role = 'officer'")]
    rng = random.Random(159)
    end = datetime(2025, 12, 31, 17, 0)
    columns = (
        "uuid, type, occurred_at, utc_offset_min, received_at, updated_at, officer_id, lat, lon, accuracy_m, "
        "location_source, area_code, declared_area_code, topic, notes, details, people_reached, poor_reached, "
        "near_poor_reached, items, status, review_comment, flags, content_hash, version"
    )
    insert = f"INSERT INTO activity ({columns}) VALUES ({', '.join('?' * 25)})"  # noqa: S608 — fixed names

    def make(n: int) -> tuple:
        code, lat, lon = rng.choice(areas)
        occurred = end - timedelta(seconds=int(DAYS * 86400 * (1 - n / rows)))
        stamp = occurred.strftime("%Y-%m-%d %H:%M:%S.000000")
        located = n % 10 != 0
        participants = rng.randint(10, 120)
        details = {"format": "talk", "participants": participants, "poor_members": participants // 8, "women": 20}
        return (
            str(uuid.UUID(int=rng.getrandbits(128))),
            "talk",
            stamp,
            420,
            stamp,
            stamp,
            rng.choice(officers),
            lat + rng.uniform(-0.01, 0.01) if located else None,
            lon + rng.uniform(-0.01, 0.01) if located else None,
            round(rng.uniform(3, 150), 1) if located else None,
            "gps" if located else "none",
            code if located else None,
            code,
            rng.choice(TOPICS),
            "Người dân ấp Mỹ Phước tham dự đông đủ." if n % 3 else "",
            json.dumps(details),
            participants,
            participants // 8,
            0,
            0,
            "submitted",
            "",
            '["low_accuracy"]' if located and n % 7 == 0 else "[]",
            "bench",
            1,
        )

    batch = 50_000
    for start in range(0, rows, batch):
        connection.executemany(insert, (make(n) for n in range(start, min(rows, start + batch))))
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def case(name: str, url: str, out: str) -> dict:
    """Run one case in this process and return its figures."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("FIELDKIT_SECRET_KEY", "bench")
    from fieldkit import create_app
    from fieldkit.activities.queries import Filters
    from fieldkit.exports import services
    from fieldkit.exports.columns import COLUMNS
    from fieldkit.exports.present import Presenter
    from fieldkit.extensions import db
    from fieldkit.models import Role, User

    heavy = name.startswith(("pandas", "geopandas"))
    if heavy:
        import geopandas  # noqa: F401 — imported before the baseline, like fieldkit's own modules
        import pandas  # noqa: F401

    app = create_app()
    with app.app_context():
        admin = User(id=0, username="bench", role=Role.ADMIN, area_code=None)
        filters = Filters()
        if name.endswith("-tenth"):
            newest = db.session.scalar(db.text("SELECT max(occurred_at) FROM activity"))
            last = datetime.fromisoformat(str(newest)).date()
            filters = Filters(date_from=last - timedelta(days=DAYS // 10 - 1))
        query = services.query(admin, filters)
        baseline = _rss_mb()
        started = time.perf_counter()
        first_byte = None
        if not heavy:
            fmt = "geojson" if "geojson" in name else "csv"
            with open(out, "wb") as handle:
                present = Presenter(COLUMNS, "http://127.0.0.1:5000/activities/", codes=True)
                for chunk in services.stream(fmt, query, present):
                    if first_byte is None and handle.tell() + len(chunk) > 4096:
                        first_byte = time.perf_counter() - started
                    handle.write(chunk)
        else:
            _with_pandas(name, query, out, db)
        elapsed = time.perf_counter() - started
    with open(out, "rb") as handle:
        size = handle.seek(0, 2)
    return {
        "case": name,
        "seconds": elapsed,
        "first_byte_s": first_byte,
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "bytes": size,
    }


def _with_pandas(name: str, query, out: str, db) -> None:
    import geopandas
    import pandas

    with db.engine.connect() as connection:
        frame = pandas.read_sql(query, connection)
    if name.startswith("pandas"):
        frame.to_csv(out, index=False, encoding="utf-8-sig")
        return
    frame = frame[frame["lat"].notna()]
    for column in ("details", "flags"):
        frame[column] = frame[column].map(json.dumps)
    points = geopandas.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    geopandas.GeoDataFrame(frame, geometry=points).to_file(out, driver="GeoJSON")


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(rows: int, folder: str) -> list[dict]:
    """Build the database once, then run each case in a fresh interpreter."""
    path = os.path.join(folder, "bench.sqlite")
    if not os.path.exists(path):
        started = time.perf_counter()
        build(path, rows)
        print(f"built {rows:,} activities in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    results = []
    for name in CASES:
        out = os.path.join(folder, f"{name}.out")
        done = subprocess.run(
            [sys.executable, "-m", "bench.exports", "--case", name, "--db", f"sqlite:///{path}", "--out", out],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1], file=sys.stderr)
        os.unlink(out)
    return results


def table(rows: int, results: list[dict]) -> str:
    """The figures as a Markdown section."""
    lines = [
        f"\n## Export {rows:,} activities — {datetime.now(VN):%Y-%m-%d %H:%M}\n",
        f"One SQLite file, the same SELECT for every case (services.query; {DAYS} days of talks, 1 in 10 without a "
        f"position); each case in its own process; {platform.processor() or 'cpu'}, {os.cpu_count()} cores. "
        "Peak = peak resident memory of the process; work = peak less the memory before the export began "
        "(interpreter, app and libraries). The last row exports a tenth of the rows (the last ten days), "
        "to show that fieldkit's memory does not grow with the rows.\n",
        "| case | rows | time (s) | first byte (s) | peak (MB) | work (MB) | output (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        first = f"{result['first_byte_s']:.2f}" if result["first_byte_s"] is not None else "at the end"
        count = rows // 10 if result["case"].endswith("-tenth") else rows
        lines.append(
            f"| {result['case']} | {count:,} | {result['seconds']:.1f} | {first} | {result['peak_mb']:.0f} | "
            f"{result['peak_mb'] - result['baseline_mb']:.0f} | {result['bytes'] / 1_048_576:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="Build (or reuse) the database in this folder instead of a temporary one.")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args.db, args.out)))
        return
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        results = run(args.rows, args.keep)
    else:
        with tempfile.TemporaryDirectory() as folder:
            results = run(args.rows, folder)
    text = table(args.rows, results)
    publish(text)


if __name__ == "__main__":
    main()
