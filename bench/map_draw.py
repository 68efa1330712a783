"""Draw the coverage map in headless Chromium: fieldkit's /map against folium's FastMarkerCluster, same points.

One temporary SQLite database (migrated, demo communes and users, then synthetic activities by one executemany,
like bench/exports.py) holds 10^6 located activities of every type, each within about 1 km of its commune's centre.
They are dated so that a `from` date picks the newest 10^3, 10^4, 10^5 or all 10^6 (the map's other filters stay
at their defaults). fieldkit is served by gunicorn (one gthread worker of 8 threads, like gunicorn.conf.py;
FIELDKIT_MAP_MAX_POINTS above every size so the points are sent; no tiles) and opened as the city supervisor.
The peers are static pages written by folium from the same rows (lat, lon as stored) with the same communes as
a GeoJSON layer and no tiles, served by a local http.server with the same vendored Leaflet and markercluster
files: FastMarkerCluster at every size, and plain ``folium.Marker``s with a popup in a MarkerCluster at 10^3.

Each load is a fresh browser context (empty cache). The same "done" for every page: the first cluster badge
(``.marker-cluster``) is in the DOM, then one animation frame and a task later (it has been painted), timed from
navigation start with performance.now(); "client" is that minus the first byte of the page (the folium pages
are prebuilt, so server time is reported apart: the first byte minus the request). JS heap: CDP
Performance.getMetrics JSHeapUsedSize after HeapProfiler.collectGarbage. Page: the HTML with its inline data,
gzipped at level 6 (scripts and styles are separate, cached files). Phone: 360×740, touch, CDP
Emulation.setCPUThrottlingRate 4, timed to first contentful paint and to the same "done". Cases are interleaved
round by round after one unrecorded load of each fieldkit page; the median of the rounds is kept.

    python -m bench.map_draw [--rounds 3] [--sizes 1000,10000,100000,1000000] [--folium-million] [--keep DIR]
"""

import argparse
import gzip
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.report import publish
from bench.server import prepare, serve

VN = timezone(timedelta(hours=7))
SIZES = (1_000, 10_000, 100_000, 1_000_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESK = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 180_000
PAGE_BYTES: dict[str, bytes] = {}  # each page's HTML, by URL
# Marks the first painted cluster badge: a badge in the DOM, then a frame, then a task.
DONE_SCRIPT = """
(() => {
  const seen = () => {
    if (window.__seen || !document.querySelector(".marker-cluster")) return false;
    window.__seen = true;
    requestAnimationFrame(() => setTimeout(() => { window.__drawn = performance.now(); }, 0));
    return true;
  };
  const watch = new MutationObserver(() => { if (seen()) watch.disconnect(); });
  watch.observe(document, { childList: true, subtree: true });
})();
"""
# FastMarkerCluster's default callback makes awesome-markers icons (a CDN plugin our maps leave out): Leaflet's own.
PLAIN_MARKER = "function (row) { return L.marker(new L.LatLng(row[0], row[1])); }"
TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {drawn: window.__drawn, firstByte: nav.responseStart, request: nav.requestStart,
          fcp: paint ? paint.startTime : null};
}"""


def build(path: str, total: int) -> tuple[dict, dict[int, str]]:
    """Migrate and load the demo communes and users, then bulk-insert ``total`` located activities; answer the
    ``from`` date (YYYY-MM-DD) that selects the newest n, for each n in SIZES up to total."""
    folder = os.path.dirname(path)
    env = prepare(f"sqlite:///{path}", folder)
    from fieldkit.activity_types import TYPES

    kinds = [t.value for t in TYPES]
    connection = sqlite3.connect(path)
    areas = connection.execute("SELECT code, centroid_lat, centroid_lon FROM area").fetchall()
    officers = [row[0] for row in connection.execute("SELECT id FROM user WHERE role = 'officer'")]
    today = datetime.now(VN).date()
    # The newest 10^3 on today, the next 9,000 on the day before, and so on: day k back holds SIZES[k] - SIZES[k-1].
    days, starts = [], {}
    previous = 0
    for back, n in enumerate(s for s in SIZES if s <= total):
        days += [back] * (n - previous)
        starts[n] = (today - timedelta(days=back)).isoformat()
        previous = n
    rng = random.Random(159)
    columns = (
        "uuid, type, occurred_at, utc_offset_min, received_at, updated_at, officer_id, lat, lon, accuracy_m, "
        "location_source, area_code, declared_area_code, topic, notes, details, people_reached, poor_reached, "
        "near_poor_reached, items, status, review_comment, flags, content_hash, version"
    )
    insert = f"INSERT INTO activity ({columns}) VALUES ({', '.join('?' * 25)})"  # noqa: S608 — fixed names

    def make(n: int) -> tuple:
        code, lat, lon = rng.choice(areas)
        local = datetime.combine(today - timedelta(days=days[n]), datetime.min.time()) + timedelta(hours=8)
        stamp = (local - timedelta(hours=7, seconds=n % 3600)).strftime("%Y-%m-%d %H:%M:%S.000000")
        details = json.dumps({"format": "talk", "participants": 30, "poor_members": 4, "women": 20})
        return (
            str(uuid.UUID(int=rng.getrandbits(128))),
            rng.choice(kinds),
            stamp,
            420,
            stamp,
            stamp,
            rng.choice(officers),
            round(lat + rng.uniform(-0.01, 0.01), 6),
            round(lon + rng.uniform(-0.01, 0.01), 6),
            8.0,
            "gps",
            code,
            code,
            "Tuyên truyền giảm nghèo bền vững",
            "",
            details,
            30,
            4,
            0,
            0,
            "submitted",
            "",
            "[]",
            "bench",
            1,
        )

    for start in range(0, total, 50_000):
        connection.executemany(insert, (make(n) for n in range(start, min(total, start + 50_000))))
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    # The rows went around the app: count them into the coverage rollup, as `flask coverage rebuild` is documented.
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "coverage", "rebuild"], env=env, check=True)
    return env, starts


def folium_pages(path: str, folder: Path, starts: dict[int, str], sizes, million: bool) -> dict[str, Path]:
    """Write the folium pages of the same rows; answer {case: file}."""
    import folium
    from folium.plugins import FastMarkerCluster, MarkerCluster

    from maps.assets import Assets, localize

    assets = Assets("/static/vendor")
    connection = sqlite3.connect(path)
    communes = [
        {"type": "Feature", "geometry": json.loads(geometry), "properties": {"name": name}}
        for name, geometry in connection.execute("SELECT name, geometry FROM area")
    ]
    pages = {}
    for n in sizes:
        if n == 1_000_000 and not million:
            continue
        rows = connection.execute(
            "SELECT lat, lon FROM activity WHERE occurred_at >= ? ORDER BY occurred_at DESC",
            [(datetime.fromisoformat(starts[n]) - timedelta(hours=7)).strftime("%Y-%m-%d %H:%M:%S")],
        ).fetchall()
        if len(rows) != n:
            raise RuntimeError(f"expected {n} rows from {starts[n]}, got {len(rows)}")
        cases = [("FastMarkerCluster", None)] + ([("folium markers", None)] if n == 1_000 else [])
        for name, _ in cases:
            m = folium.Map(tiles=None, prefer_canvas=True, maxZoom=19)  # markercluster needs a maxZoom
            folium.GeoJson(
                {"type": "FeatureCollection", "features": communes},
                style_function=lambda f: {"fillColor": "#fd8d3c", "color": "#4d4d4d", "weight": 1},
            ).add_to(m)
            if name == "FastMarkerCluster":
                FastMarkerCluster([list(r) for r in rows], callback=PLAIN_MARKER).add_to(m)
            else:
                cluster = MarkerCluster().add_to(m)
                for i, (lat, lon) in enumerate(rows):
                    folium.Marker([lat, lon], popup=folium.Popup(f"<b>Activity {i}</b>", max_width=280)).add_to(cluster)
            lats, lons = [r[0] for r in rows], [r[1] for r in rows]
            m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
            localize(m, assets)
            file = folder / f"{name.replace(' ', '-')}-{n}.html"
            file.write_text(m.get_root().render(), encoding="utf-8")
            pages[f"{name}|{n}"] = file
    connection.close()
    return pages


def static_server(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve folder (the folium pages, and the vendored files under static/vendor) on a free loopback port."""
    import importlib

    from maps.vendor import PACKAGES

    vendor = folder / "static" / "vendor"
    vendor.mkdir(parents=True)
    for name, module in PACKAGES.items():
        (vendor / name).symlink_to(importlib.import_module(module).BASE_DIR)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def load(browser, url: str, size: dict, state: str | None, phone: bool) -> dict:
    """Open url in a fresh context and answer its figures."""
    context = browser.new_context(storage_state=state, **size)
    context.add_init_script(DONE_SCRIPT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    if phone:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        try:
            page.wait_for_function("() => window.__drawn !== undefined", timeout=TIMEOUT_MS, polling=50)
        except PlaywrightTimeout:
            return None  # not drawn in time: reported as such
        seen = page.evaluate(TIMINGS)
        if url not in PAGE_BYTES:  # read again, once: Chromium drops a large body from its cache
            PAGE_BYTES[url] = context.request.get(url, timeout=TIMEOUT_MS).body()
        body = PAGE_BYTES[url]
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        context.close()
    return {
        "drawn": seen["drawn"] / 1000,
        "client": (seen["drawn"] - seen["firstByte"]) / 1000,
        "server": (seen["firstByte"] - seen["request"]) / 1000,
        "fcp": (seen["fcp"] or float("nan")) / 1000,
        "heap": metrics["JSHeapUsedSize"] / 1e6,
        "gzip": len(gzip.compress(body, 6)) / 1e3,
        "raw": len(body) / 1e3,
    }


def log_in(browser, base: str, folder: Path) -> str:
    """Log the demo city supervisor in once; answer the saved storage state's path."""
    context = browser.new_context(base_url=base, **DESK)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", "giamsat")
    page.fill("input[name=password]", "demo-giamsat-2025")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    state = str(folder / "state.json")
    context.storage_state(path=state)
    context.close()
    return state


def run(args) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright

    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[tuple[str, int, str], list[dict]] = {}
    timed_out: set[tuple[str, int, str]] = set()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        database, saved = folder / "bench.sqlite", folder / "starts.json"
        if saved.exists():  # --keep: the database of an earlier run
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "FIELDKIT_SECRET_KEY": "bench"}
            env["FIELDKIT_UPLOADS"] = str(folder / "uploads")
            starts = {int(n): day for n, day in json.loads(saved.read_text()).items()}
        else:
            folder.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            env, starts = build(str(database), max(sizes))
            saved.write_text(json.dumps(starts))
            print(f"database of {max(sizes):,} activities in {time.perf_counter() - started:.0f} s", flush=True)
        pages = folder / "pages"
        shutil.rmtree(pages, ignore_errors=True)
        pages.mkdir()
        files = folium_pages(str(database), pages, starts, sizes, args.folium_million)
        httpd, static = static_server(pages)
        env = env | {
            "FIELDKIT_MAP_MAX_POINTS": str(2 * max(sizes)),
            "FIELDKIT_TILE_URL": "none",
            "GUNICORN_CMD_ARGS": "--timeout 600",
        }
        try:
            with serve(env, worker_class="gthread", threads=8) as server, sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True
                )
                state = log_in(browser, server.url, folder)
                cases = [("fieldkit", n, f"{server.url}/map?from={starts[n]}", state) for n in sizes]
                cases += [
                    (key.split("|")[0], int(key.split("|")[1]), f"{static}/{f.name}", None) for key, f in files.items()
                ]
                cases.sort(key=lambda c: (c[1], c[0]))
                for name, _n, url, st in cases:  # warm up: gunicorn's first /map imports folium, the OS caches
                    if name == "fieldkit":
                        load(browser, url, DESK, st, phone=False)
                for round_ in range(args.rounds):
                    for name, n, url, st in cases:
                        for device, size in (("desk", DESK), ("phone", PHONE)):
                            if n == 1_000_000 and round_ >= args.million_rounds:
                                continue
                            found = load(browser, url, size, st, device == "phone")
                            if found is None:
                                timed_out.add((name, n, device))
                            else:
                                results.setdefault((name, n, device), []).append(found)
                            print(f"round {round_ + 1} {name} {n:,} {device}: {found}", flush=True)
                browser.close()
        finally:
            httpd.shutdown()
    medians = {
        key: {metric: statistics.median(r[metric] for r in runs) for metric in runs[0]} | {"runs": len(runs)}
        for key, runs in results.items()
    }
    return medians, timed_out


def write(medians: dict, timed_out: set, load_before: str, load_after: str) -> None:
    def get(name, n, device, metric):
        found = medians.get((name, n, device))
        return found[metric] if found else None

    def cell(value, fmt):
        return "—" if value is None else format(value, fmt)

    def ratio(peer, ours):
        return "—" if peer is None or ours is None or not ours else f"{peer / ours:.1f}×"

    sizes = sorted({n for _, n, _ in medians})
    chromium = subprocess.run([shutil.which("chromium"), "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"\n## Map drawing in Chromium — {datetime.now(VN):%Y-%m-%d %H:%M}\n",
        "`python -m bench.map_draw`: fieldkit's `/map` (gunicorn, one gthread worker, SQLite, city supervisor, "
        "no tiles) against "
        "folium's FastMarkerCluster page of the same rows with the same communes (static file, same vendored "
        "Leaflet and markercluster), and plain `folium.Marker`s in a MarkerCluster at 10^3. Done = first "
        "`.marker-cluster` in the DOM, then a frame and a task; *total* from navigation start, *client* from the "
        "page's first byte (the folium pages are prebuilt, fieldkit's server time is its own column). Heap: "
        "JSHeapUsedSize after a GC. Page: the HTML with its data, gzipped (level 6). Phone: 360×740 at 4× CPU "
        "slowdown, first contentful paint and done. Median of the rounds (runs column), cases interleaved; "
        f"{chromium}; {platform.processor() or 'cpu'}, {os.cpu_count()} cores shared with other work "
        f"(load average before {load_before}, after {load_after}).\n",
        "| activities | page | total (s) | client (s) | server (s) | JS heap (MB) | page gzip (KB) "
        "| phone FCP (s) | phone done (s) | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        for name in ("fieldkit", "FastMarkerCluster", "folium markers"):
            if (name, n, "desk") not in medians:
                continue
            lines.append(
                f"| {n:,} | {name} | {cell(get(name, n, 'desk', 'drawn'), '.2f')} "
                f"| {cell(get(name, n, 'desk', 'client'), '.2f')} | {cell(get(name, n, 'desk', 'server'), '.2f')} "
                f"| {cell(get(name, n, 'desk', 'heap'), '.0f')} | {cell(get(name, n, 'desk', 'gzip'), ',.0f')} "
                f"| {cell(get(name, n, 'phone', 'fcp'), '.2f')} | {cell(get(name, n, 'phone', 'drawn'), '.2f')} "
                f"| {medians[(name, n, 'desk')]['runs']} |"
            )
    for name, n, device in sorted(timed_out):
        lines.append(f"| {n:,} | {name} ({device}) | not drawn within {TIMEOUT_MS // 1000} s | | | | | | | |")
    lines += [
        "",
        "FastMarkerCluster ÷ fieldkit (above 1× fieldkit is better):",
        "",
        "| activities | total | client | JS heap | page gzip | phone done |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        if ("FastMarkerCluster", n, "desk") not in medians:
            continue
        row = [
            ratio(get("FastMarkerCluster", n, d, m), get("fieldkit", n, d, m))
            for d, m in (("desk", "drawn"), ("desk", "client"), ("desk", "heap"), ("desk", "gzip"), ("phone", "drawn"))
        ]
        lines.append(f"| {n:,} | " + " | ".join(row) + " |")
    if ("folium markers", 1_000, "desk") in medians:
        row = [
            ratio(get("folium markers", 1_000, d, m), get("fieldkit", 1_000, d, m))
            for d, m in (("desk", "drawn"), ("desk", "client"), ("desk", "heap"), ("desk", "gzip"), ("phone", "drawn"))
        ]
        lines += [
            "",
            "Plain folium markers ÷ fieldkit at 1,000: "
            + ", ".join(
                f"{label} {value}"
                for label, value in zip(("total", "client", "heap", "gzip", "phone done"), row, strict=True)
            )
            + ".",
        ]
    publish("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--million-rounds", type=int, default=1, help="rounds for the 10^6 cases (slow)")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--folium-million", action="store_true", help="also FastMarkerCluster at 10^6")
    parser.add_argument("--no-publish", action="store_true")
    parser.add_argument("--keep", help="a folder for the database, kept and used again by the next run")
    args = parser.parse_args()
    before = os.getloadavg()
    medians, timed_out = run(args)
    after = os.getloadavg()
    if args.no_publish:
        for key, value in sorted(medians.items()):
            print(key, value)
        print("not drawn in time:", sorted(timed_out))
        return
    write(medians, timed_out, f"{before[0]:.1f}", f"{after[0]:.1f}")


if __name__ == "__main__":
    main()
