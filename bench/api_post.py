"""Time POST /api/v1/activities against a real server (gunicorn, loopback): median of 200 posts.

Runs on a fresh SQLite database (and PostgreSQL when FIELDKIT_BENCH_POSTGRES_URL is set), loaded with the demo
communes and users but no activities, and appends the figures to docs/benchmarks.md.
"""

import http.client
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

from bench.report import publish
from bench.server import fresh_postgres, prepare, serve, token

POSTS = 200
VN = timezone(timedelta(hours=7))


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


def measure(env: dict, bearer: str) -> list[float]:
    """Serve with gunicorn and time POSTS posts, one after another, on one keep-alive connection."""
    with serve(env) as server:
        connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=30)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {bearer}"}
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


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench.sqlite")]
        if os.environ.get("FIELDKIT_BENCH_POSTGRES_URL"):
            targets.append(("PostgreSQL", fresh_postgres(os.environ["FIELDKIT_BENCH_POSTGRES_URL"])))
        for name, url in targets:
            env = prepare(url, folder)
            times = measure(env, token(env, "canbo1"))
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
