"""Export activities to CSV as a user does: the `flask --app app export` command against a pandas script.

The database is a temporary SQLite file per size: migrated, loaded with the demo communes and users (no demo
activities), then filled with synthetic activities by one executemany (`demo load --activities 1000000` would take
far longer and measure nothing more). Each case is a process of its own, timed from its start to its exit (start-up
included, as a user waits for it), with its peak resident memory and CPU time from the kernel (wait4):

- fieldkit: `flask --app app export --format csv --out FILE`, as a user types it (words in Vietnamese, photo links);
- pandas: a script that starts the app to build the same SELECT (services.query: the visibility rule and the
  filters) and runs pandas.read_sql on it, then DataFrame.to_csv — the peer the issue measured;
- pandas-sql: a script that imports only pandas and SQLAlchemy and reads the same SELECT as SQL text (compiled here
  once), then to_csv: what someone with pandas and the database would write, with no app to start.

The sizes and the cases are interleaved: each round runs every case once at every size, in turn.

    python -m bench.exports [--rows 1000 100000 1000000] [--rounds N] [--keep DIR] [--no-publish]
"""

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
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
CASES = ("fieldkit", "pandas", "pandas-sql")
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


PANDAS = """
import sys
import pandas
from fieldkit import create_app
from fieldkit.activities.queries import Filters
from fieldkit.exports import services
from fieldkit.extensions import db
from fieldkit.models import Role, User

with create_app().app_context():
    query = services.query(User(id=0, username="bench", role=Role.ADMIN, area_code=None), Filters())
    with db.engine.connect() as connection:
        frame = pandas.read_sql(query, connection)
frame.to_csv(sys.argv[1], index=False, encoding="utf-8-sig")
"""
PANDAS_SQL = """
import sys
import pandas
import sqlalchemy

engine = sqlalchemy.create_engine(sys.argv[2])
with engine.connect() as connection:
    frame = pandas.read_sql(sqlalchemy.text(open(sys.argv[3], encoding="utf-8").read()), connection)
frame.to_csv(sys.argv[1], index=False, encoding="utf-8-sig")
"""


def export_sql(url: str) -> str:
    """The export's SELECT for a city-wide administrator, as SQL text with its values written in."""
    from fieldkit import create_app
    from fieldkit.activities.queries import Filters
    from fieldkit.exports import services
    from fieldkit.extensions import db
    from fieldkit.models import Role, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        query = services.query(User(id=0, username="bench", role=Role.ADMIN, area_code=None), Filters())
        return str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))


def command(name: str, url: str, out: str, sql_file: str) -> list[str]:
    """The command line of one case."""
    if name == "fieldkit":
        return [str(BIN / "flask"), "--app", "app", "export", "--format", "csv", "--out", out]
    if name == "pandas":
        return [sys.executable, "-c", PANDAS, out]
    return [sys.executable, "-c", PANDAS_SQL, out, url, sql_file]


def measure(argv: list[str], url: str) -> dict:
    """Run one process to its end: wall seconds from start to exit, CPU seconds and peak memory (MB) from wait4."""
    env = {**os.environ, "DATABASE_URL": url, "FIELDKIT_SECRET_KEY": "bench-" + "x" * 32}
    env["FIELDKIT_INSTANCE_PATH"] = env.get("FIELDKIT_INSTANCE_PATH") or tempfile.mkdtemp(prefix="bench-instance-")
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{argv[:4]} failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def run(sizes: list[int], rounds: int, folder: str) -> dict:
    """Build one database per size, then run every case at every size once per round, interleaved."""
    urls, sql_files = {}, {}
    for rows in sizes:
        path = os.path.join(folder, f"bench-{rows}.sqlite")
        if not os.path.exists(path):
            started = time.perf_counter()
            build(path, rows)
            print(f"built {rows:,} activities in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        urls[rows] = f"sqlite:///{path}"
        sql_files[rows] = os.path.join(folder, f"bench-{rows}.sql")
        Path(sql_files[rows]).write_text(export_sql(urls[rows]), encoding="utf-8")
    results = {(rows, name): [] for rows in sizes for name in CASES}
    for _ in range(rounds):
        for rows in sizes:
            for name in CASES:
                out = os.path.join(folder, f"{name}-{rows}.csv")
                figures = measure(command(name, urls[rows], out, sql_files[rows]), urls[rows])
                figures["mb"] = os.path.getsize(out) / 1_048_576
                os.unlink(out)
                results[(rows, name)].append(figures)
                print(rows, name, figures, file=sys.stderr)
    return results


def table(sizes: list[int], rounds: int, results: dict) -> str:
    """The figures as a Markdown section: medians over the rounds, and fieldkit's time over each peer's."""
    load = os.getloadavg()
    lines = [
        f"\n## CSV export as a user runs it, {', '.join(f'{n:,}' for n in sizes)} activities — "
        f"{datetime.now(VN):%Y-%m-%d %H:%M}\n",
        "Each case a process of its own, timed from start to exit (start-up included); the sizes and cases "
        f"interleaved, {rounds} round(s), medians. fieldkit: `flask --app app export --format csv --out FILE` "
        "(Vietnamese words, photo links). pandas: a script that starts the app for the same SELECT "
        "(services.query), then read_sql and to_csv. pandas-sql: pandas and SQLAlchemy alone, the same SELECT "
        "as SQL text. One SQLite file per size (100 days of talks, 1 in 10 without a position); "
        f"{platform.processor() or 'cpu'}, {os.cpu_count()} cores shared, load average {load[0]:.1f} / "
        f"{load[1]:.1f} / {load[2]:.1f} at the end. Peak = the process's peak resident memory.\n",
        "| rows | case | wall (s) | CPU (s) | peak (MB) | output (MB) | fieldkit / this (wall) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for rows in sizes:
        ours = statistics.median(r["wall"] for r in results[(rows, "fieldkit")])
        for name in CASES:
            runs = results[(rows, name)]
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            ratio = "—" if name == "fieldkit" else f"{ours / wall:.2f}"
            lines.append(f"| {rows:,} | {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {runs[0]['mb']:.1f} | {ratio} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=1, help="Runs of each case at each size (medians are shown).")
    parser.add_argument("--keep", help="Build (or reuse) the databases in this folder instead of a temporary one.")
    parser.add_argument("--no-publish", action="store_true", help="Print the figures; leave docs/benchmarks.md.")
    args = parser.parse_args()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        results = run(args.rows, args.rounds, args.keep)
    else:
        with tempfile.TemporaryDirectory() as folder:
            results = run(args.rows, args.rounds, folder)
    text = table(args.rows, args.rounds, results)
    if args.no_publish:
        print(text)
    else:
        publish(text)


if __name__ == "__main__":
    main()
