"""Load: many field officers at once against gunicorn (2 workers), then check that nothing was lost or doubled.

Each simulated officer (a coroutine with its own bearer token) posts demo-like activities, GPS inside the
officer's commune, in a loop for the duration. "no photos" (goal: at least 200 activities a second) posts
entries only; "photos" (goal: p95 under 250 ms) sends 1–2 phone-sized JPEGs with each; "bare-photos" sends them to
a bare endpoint that only writes them (bench/bare_app.py), the floor a photo PUT is compared with. As a phone on a bad
network does, 1 entry in 20 is sent again after its answer, 1 in 50 is sent twice at once, and 1 photo in 20
again: each must answer 200 and store nothing new. Afterwards the database is compared with what the clients
were told: every acknowledged uuid stored exactly once, as many rows as distinct uuids sent, every acknowledged
photo stored with the sha256 the client computed. Exits 1 when a check fails. Runs on SQLite in a temporary
folder, and on PostgreSQL when FIELDKIT_BENCH_POSTGRES_URL is set (that database is dropped and made again);
appends the figures to docs/benchmarks.md.

    python -m bench.load [--duration 60] [--officers 50] [--scenario no-photos|photos|bare-photos] [--pace SECONDS]
                         [--worker-class sync|gthread] [--threads 4] [--no-publish]
"""

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from datetime import datetime

import aiohttp

from bench.load_checks import check
from bench.load_data import VN, Activities, photos
from bench.load_phone import Phone, Run
from bench.report import publish
from bench.server import Server, fresh_postgres, officers, postgres_cpu_seconds, prepare, serve

SCENARIOS = {"no-photos": None, "photos": "api", "bare-photos": "bare"}  # how the phones send photos
GOALS = {
    "no-photos": ("≥ 200 activities/s", lambda r: r.rate >= 200),
    "photos": ("p95 < 250 ms", lambda r: r.p95 < 250),
    "bare-photos": ("— (the floor)", None),
}


async def drive(server: Server, database_cpu, phones: list[Phone], duration: float, pace: float) -> Run:
    """Warm each worker up with one entry per officer (not timed), then let every officer send until the end."""
    run = phones[0].run
    # A connection per phone (two while it sends an entry twice), dropped before gunicorn drops it (2 s).
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=1)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(server.url, connector=connector, timeout=timeout) as http:
        await asyncio.gather(*(phone.entry(http) for phone in phones))
        run.timing = True
        server_cpu, database, client_cpu = server.cpu_seconds(), database_cpu(), time.process_time()
        start = time.perf_counter()
        await asyncio.gather(*(phone.loop(http, start + duration, pace) for phone in phones))
        run.elapsed = time.perf_counter() - start
        run.server_cpu, run.client_cpu = server.cpu_seconds() - server_cpu, time.process_time() - client_cpu
        run.database_cpu = database_cpu() - database
    return run


def measure(name: str, url: str, folder: str, scenario: str, args, jpegs: list[bytes], cache: dict) -> Run:
    """Make a fresh database, serve it, load it, stop, and check it."""
    work = tempfile.mkdtemp(dir=folder)
    env = prepare(url, work)
    team = officers(env, args.officers)
    if "activities" not in cache:
        cache["activities"] = Activities([who.area_code for who in team])
    run = Run()
    phones = [Phone(who, cache["activities"], jpegs, SCENARIOS[scenario], run, seed=n) for n, who in enumerate(team)]
    log = os.path.join(work, "gunicorn.log")
    print(f"{name}, {scenario}: {args.officers} officers for {args.duration} s …", file=sys.stderr, flush=True)
    env["FIELDKIT_BENCH_BARE"] = bare = os.path.join(work, "bare")
    os.makedirs(bare)
    serving = {"workers": 2, "worker_class": args.worker_class, "threads": args.threads, "log": log}
    with serve(env, app="bench.bare_app:app", **serving) as server:
        run.load_before = os.getloadavg()[0]
        asyncio.run(drive(server, database_cpu(url), phones, args.duration, args.pace))
        run.load_after = os.getloadavg()[0]
    run.failures = check(env, run, bare if scenario == "bare-photos" else None)
    run.database, run.scenario = name, scenario
    summary(run, log)
    return run


def database_cpu(url: str):
    """A function that answers the CPU seconds used so far by PostgreSQL for this database (none for SQLite)."""
    if not url.startswith("postgres"):
        return lambda: 0.0
    name = url.rsplit("/", 1)[1]
    return lambda: postgres_cpu_seconds(name)


def summary(run: Run, log: str) -> None:
    """Print one run's figures, its first errors and failed checks, and the server's tracebacks if any."""
    print(
        f"  {run.requests} requests, {run.created} activities in {run.elapsed:.1f} s = {run.rate:.1f}/s, "
        f"{run.error_count} errors, load {run.load_before:.2f} → {run.load_after:.2f}; CPU per activity: "
        f"server {run.per_activity(run.server_cpu):.1f} ms, database {run.per_activity(run.database_cpu):.1f} ms, "
        f"client {run.per_activity(run.client_cpu):.1f} ms",
        file=sys.stderr,
    )
    for kind, (p50, p95, p99, count) in run.percentiles().items():
        print(f"  {kind:<26} {count:>7} p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms", file=sys.stderr)
    for sample in run.samples:
        print(f"  error: {sample}", file=sys.stderr)
    for failure in run.failures:
        print(f"  CHECK FAILED: {failure}", file=sys.stderr)
    with open(log, encoding="utf-8", errors="replace") as lines:
        text = lines.read()
    for line in [line for line in text.splitlines() if "ERROR" in line or "error:" in line][:5]:
        print(f"  gunicorn: {line}", file=sys.stderr)
    start = text.find("Traceback")
    if start >= 0:  # the server's first traceback, up to its next log line
        lines = text[start:].splitlines()
        end = next((n for n, line in enumerate(lines) if line.startswith("[")), len(lines))
        print("  gunicorn: " + "\n  gunicorn: ".join(lines[:end][-60:]), file=sys.stderr)


def report(runs: list[Run], args, jpegs: list[bytes]) -> str:
    """The section for docs/benchmarks.md."""
    spec = "sync workers" if args.worker_class == "sync" else f"gthread workers, {args.threads} threads each"
    sizes = f"{min(map(len, jpegs)) // 1024}–{max(map(len, jpegs)) // 1024} KB"
    pace = f"an entry every {args.pace:g} s on average each" if args.pace else "each entry as soon as the last is done"
    lines = [
        f"\n## Load: {args.officers} officers at once — {datetime.now(VN):%Y-%m-%d %H:%M}\n",
        f"`{' '.join(['python -m bench.load', *sys.argv[1:]])}`: {args.officers} simulated officers (aiohttp "
        f"coroutines, a bearer token each) post demo-like activities with GPS inside their commune for "
        f"{args.duration:g} s, {pace}, to gunicorn (2 {spec}) on loopback. 1 entry in 20 is sent again after its "
        "answer, 1 in 50 twice at once; with photos, each entry has 1–2 JPEGs of 1600 px "
        f"({sizes}) and 1 photo in 20 is sent again. Client and server share the machine "
        f"({platform.processor() or 'cpu'}, {os.cpu_count()} cores): the CPU that gunicorn (server, with SQLite in "
        "it), PostgreSQL's processes for the database and the client spent per activity, and the 1-minute load "
        "average before and after each run, are shown. Checks: every "
        "acknowledged uuid stored exactly once, rows = distinct uuids sent, every acknowledged photo stored with "
        "the client's sha256, no error. Back to back, the officers keep the server saturated by design: a request "
        "waits behind the others in flight, so latency ≈ officers ÷ requests per second; `--pace` offers a set "
        "load instead.\n",
        "| database | scenario | requests | activities/s | errors | goal | measured | checks "
        "| CPU ms/activity: server, database, client | load avg |",
        "|---|---|---:|---:|---:|---|---:|---|---:|---|",
    ]
    for run in runs:
        goal, met = GOALS[run.scenario]
        measured = f"{run.rate:.1f}/s" if run.scenario == "no-photos" else f"{run.p95:.0f} ms"
        verdict = "" if met is None else " ✓" if met(run) else " ✗"
        lines.append(
            f"| {run.database} | {run.scenario} | {run.requests:,} | {run.rate:.1f} | {run.error_count} | {goal} | "
            f"{measured}{verdict} | {'pass' if not run.failures else 'FAIL'} | "
            f"{run.per_activity(run.server_cpu):.1f}, {run.per_activity(run.database_cpu):.1f}, "
            f"{run.per_activity(run.client_cpu):.1f} | "
            f"{run.load_before:.1f} → {run.load_after:.1f} |"
        )
    lines += per_photo(runs)
    lines += [
        "",
        "| database | scenario | request | count | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for run in runs:
        for kind, (p50, p95, p99, count) in run.percentiles().items():
            lines.append(
                f"| {run.database} | {run.scenario} | {kind} | {count:,} | {p50:.1f} | {p95:.1f} | {p99:.1f} |"
            )
    return "\n".join(lines) + "\n"


def per_photo(runs: list[Run]) -> list[str]:
    """Server CPU per photo PUT, where one database ran the no-photos scenario and a photo one: what the photo run
    spent beyond its entries (each costing what an entry of the no-photos run cost), over its photo PUTs (first
    sends and resends); the photo endpoint's as a ratio to the bare one's when both ran."""
    lines = []
    for database in dict.fromkeys(run.database for run in runs):
        by = {run.scenario: run for run in runs if run.database == database}
        entries = by.get("no-photos")
        if entries is None or not entries.created:
            continue
        entry_cost = (entries.server_cpu + entries.database_cpu) / entries.created
        each = {}
        for scenario in ("photos", "bare-photos"):
            run = by.get(scenario)
            puts = run and sum(len(times) for kind, times in run.times.items() if kind.startswith("photo"))
            if puts:
                each[scenario] = (run.server_cpu + run.database_cpu - run.created * entry_cost) / puts * 1000
                lines.append(
                    f"\n{database}, {scenario}: {each[scenario]:.1f} ms of server and database CPU per photo PUT "
                    f"({puts:,} PUTs; the run's CPU less {run.created:,} entries at the no-photos run's "
                    f"{entry_cost * 1000:.1f} ms each)."
                )
        if len(each) == 2 and each["bare-photos"] > 0:
            lines.append(f"\n{database}: a photo PUT costs {each['photos'] / each['bare-photos']:.1f}× the bare one.")
    return lines


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per run (default 60)")
    parser.add_argument("--officers", type=int, default=50, help="simulated officers at once (default 50)")
    parser.add_argument("--scenario", choices=SCENARIOS, action="append", help="run only this one (repeatable)")
    parser.add_argument(
        "--pace",
        type=float,
        default=0,
        help="seconds between an officer's entries on average (default 0: back to back)",
    )
    # sync, as the README deploys it: with gthread, threads that write to SQLite queue up behind its one write lock
    # (and the GIL), and past the busy timeout answer 503; on 2 cores threads bring no more throughput.
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync", help="gunicorn's (sync)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--no-publish", action="store_true", help="print the figures, leave docs/ alone")
    return parser.parse_args()


def main() -> None:
    args = options()
    jpegs = photos()
    runs, cache = [], {}
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", lambda: f"sqlite:///{tempfile.mkdtemp(dir=folder)}/load.sqlite")]
        if os.environ.get("FIELDKIT_BENCH_POSTGRES_URL"):
            targets.append(("PostgreSQL", lambda: fresh_postgres(os.environ["FIELDKIT_BENCH_POSTGRES_URL"])))
        for name, fresh in targets:
            for scenario in args.scenario or list(SCENARIOS):
                runs.append(measure(name, fresh(), folder, scenario, args, jpegs, cache))
    text = report(runs, args, jpegs)
    if args.no_publish:
        print(text)
    else:
        publish(text)
    if any(run.failures for run in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
