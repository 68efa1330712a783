"""Time POST /api/v1/activities against a real server (gunicorn, loopback): median of 200 posts.

Runs on a fresh SQLite database (and PostgreSQL when FIELDKIT_BENCH_POSTGRES_URL is set), loaded with the demo
communes and users but no activities, and appends the figures to docs/benchmarks.md.
"""

import http.client
import json
import os
import platform
import socket
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
POSTS = 200
VN = timezone(timedelta(hours=7))


def flask(env: dict, *args: str, stdin: str | None = None) -> str:
    """Run a fieldkit command and return its output."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres(url: str) -> str:
    """Recreate the database named in url, so the demo loads into an empty one."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def prepare(database_url: str, folder: str) -> tuple[dict, str]:
    """Migrate, load communes and users, and make an officer's token."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FIELDKIT_SECRET_KEY": "bench",
        "FIELDKIT_UPLOADS": os.path.join(folder, "uploads"),
    }
    flask(env, "db", "upgrade")
    flask(env, "demo", "load", "--activities", "0")
    token = flask(env, "tokens", "create", "--user", "canbo1").strip().splitlines()[-1]
    return env, token


def body(lat: float, lon: float) -> bytes:
    return json.dumps(
        {
            "uuid": str(uuid.uuid4()),
            "type": "talk",
            "occurred_at": datetime.now(VN).isoformat(timespec="seconds"),
            "lat": lat,
            "lon": lon,
            "accuracy_m": 9,
            "location_source": "gps",
            "topic": "Tuyên truyền giảm nghèo",
            "format": "talk",
            "participants": 40,
            "poor_members": 6,
            "near_poor_members": 9,
            "women": 22,
        }
    ).encode()


def measure(env: dict, token: str) -> list[float]:
    """Serve with gunicorn and time POSTS posts, one after another, on one keep-alive connection."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        times = []
        for i in range(POSTS + 10):
            payload = body(10.0300 + (i % 20) * 0.001, 105.7800)
            start = time.perf_counter()
            connection.request("POST", "/api/v1/activities", payload, headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            if response.status != 201:
                raise RuntimeError(f"POST answered {response.status}")
            if i >= 10:  # the first few warm the process up
                times.append(elapsed * 1000)
        return times
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench.sqlite")]
        if os.environ.get("FIELDKIT_BENCH_POSTGRES_URL"):
            targets.append(("PostgreSQL", fresh_postgres(os.environ["FIELDKIT_BENCH_POSTGRES_URL"])))
        for name, url in targets:
            env, token = prepare(url, folder)
            times = measure(env, token)
            results.append((name, statistics.median(times), statistics.quantiles(times, n=20)[18]))
    lines = [
        f"\n## POST /api/v1/activities — {datetime.now(VN):%Y-%m-%d %H:%M}\n",
        f"{POSTS} talks posted one after another over one keep-alive connection to gunicorn (1 worker) on "
        f"loopback, bearer token, commune assigned from the 103 demo communes; {platform.processor() or 'cpu'}, "
        f"{os.cpu_count()} cores.\n",
        "| database | median (ms) | p95 (ms) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {median:.1f} | {p95:.1f} |" for name, median, p95 in results]
    text = "\n".join(lines) + "\n"
    publish(text)


if __name__ == "__main__":
    main()
