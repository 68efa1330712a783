"""Time the coverage map's build and measure its page at 10^3, 10^4 and 10^5 activities, beside folium's plain way.

fieldkit: ``maps.coverage.coverage_map`` with the points packed (maps/points.py), popups fetched on click.
Plain folium: one ``folium.Marker`` with a ``folium.Popup`` per point in a ``MarkerCluster``. Both draw the same 103
demo communes as a choropleth and render the whole page (``get_root().render()``); the page is the HTML alone
(Leaflet and the scripts are separate, cached files). Then the real thing: ``GET /map`` as the city supervisor on a
temporary SQLite database made with ``demo load --activities 100000``. Appends the figures to docs/benchmarks.md.
"""

import os
import platform
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import folium
import numpy as np
import shapely
from folium.plugins import MarkerCluster

from bench.report import publish
from fieldkit.activity_types import TYPES
from fieldkit.areas.placement import place
from fieldkit.demo.areas import build as demo_areas
from maps.assets import Assets
from maps.base import Tiles
from maps.coverage import coverage_map
from maps.data import Commune, Kind
from maps.points import Points

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000)
VN = timezone(timedelta(hours=7))
ASSETS = Assets("/static/vendor", ("/static/js/map-layers.js",), ("/static/css/map.css",))
OSM = Tiles("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors")


def communes(rng: random.Random) -> list[Commune]:
    """The 103 demo communes with made-up rates."""
    out = []
    for area in demo_areas():
        rate = rng.uniform(0.002, 0.05)
        reach = rng.uniform(0, 1)
        multi = rate * 2.5
        tip = (("Poverty rate", f"{rate:.1%}"), ("Reach", f"{reach:.0%}"))
        point = area.geometry.representative_point()
        out.append(
            Commune(
                area.code,
                f"{area.kind} {area.name}",
                area.geojson,
                (point.y, point.x),
                rate,
                multi,
                reach,
                multi * (1 - reach),
                {"talk": 3},
                tip,
            )
        )
    return out


def points(areas: list[Commune], n: int, seed: int) -> list[tuple[int, str, float, float]]:
    """n (id, type, lat, lon) rows, each inside a commune."""
    rng = np.random.default_rng(seed)
    polygons = [shapely.geometry.shape(a.geometry) for a in areas]
    west, south, east, north = shapely.total_bounds(polygons)
    lons, lats = np.empty(0), np.empty(0)
    while len(lons) < n:
        x, y = rng.uniform(west, east, 2 * n), rng.uniform(south, north, 2 * n)
        inside = place(polygons, x, y) >= 0
        lons, lats = np.concatenate([lons, x[inside]]), np.concatenate([lats, y[inside]])
    kinds = rng.choice([t.value for t in TYPES], n)
    rows = zip(kinds, lats[:n], lons[:n], strict=True)
    return [(i + 1, str(k), float(lat), float(lon)) for i, (k, lat, lon) in enumerate(rows)]


def ours(areas, kinds, rows) -> str:
    """The page as fieldkit builds it."""
    fmap = coverage_map(
        areas,
        kinds,
        Points.from_rows(rows),
        assets=ASSETS,
        tile_server=OSM,
        popup_url="/map/activities/{id}.json",
        gap_rate=0.05,
    )
    return fmap.get_root().render()


def plain(areas, kinds, rows) -> str:
    """The page as folium's documentation would build it: a marker with its popup per point."""
    by_key = {k.key: k for k in kinds}
    fmap = folium.Map(location=[9.8, 105.8], zoom_start=9, tiles="OpenStreetMap")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": a.geometry, "properties": {"name": a.name, "rate": a.poverty_rate}}
            for a in areas
        ],
    }
    folium.GeoJson(collection, style_function=lambda f: {"fillColor": "#fd8d3c", "weight": 1}).add_to(fmap)
    cluster = MarkerCluster().add_to(fmap)
    for activity_id, kind, lat, lon in rows:
        body = (
            f"<b>{by_key[kind].label}</b><br>12/11/2025 08:30<br>Nguyễn Văn A<br>Xã Long Hưng<br>"
            f"Participants: 40<br><img src='/activities/{activity_id}/photos/0.thumb.jpg' width='160'>"
        )
        folium.Marker([lat, lon], popup=folium.Popup(body, max_width=280)).add_to(cluster)
    return fmap.get_root().render()


def timed(build, *args, repeat: int = 1) -> tuple[float, int]:
    """Best time of `repeat` builds, and the page's size in bytes."""
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        page = build(*args)
        best = min(best, time.perf_counter() - start)
        size = len(page.encode())
    return best, size


def real_map(count: int) -> list[tuple[str, float, int]]:
    """GET /map as the city supervisor on a fresh demo database of `count` activities, in both modes."""
    from fieldkit import create_app
    from fieldkit.demo import load
    from fieldkit.extensions import db

    results = []
    with tempfile.TemporaryDirectory() as folder:
        uri = f"sqlite:///{folder}/bench.sqlite"
        for label, limit in (("points (limit 100,000)", 100_000), ("per-commune totals (default limit)", None)):
            config = {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False}
            if limit:
                config["FIELDKIT_MAP_MAX_POINTS"] = limit
            app = create_app(config, instance_path=folder)
            with app.app_context():
                if not results:
                    from fieldkit import schema

                    schema.upgrade()
                    load(activities=count, seed=7)
                db.engine.dispose()
            client = app.test_client()
            answer = client.post("/login", data={"username": "giamsat", "password": "demo-giamsat-2025"})
            if answer.status_code != 302:
                raise RuntimeError(f"the demo supervisor could not log in: {answer.status_code}")
            times, size = [], 0
            for _ in range(4):
                start = time.perf_counter()
                response = client.get("/map")
                times.append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise RuntimeError(f"GET /map answered {response.status_code}")
                size = len(response.data)
            results.append((label, min(times[1:]), size))
    return results


def main() -> None:
    rng = random.Random(159)
    areas = communes(rng)
    kinds = [Kind(t.value, str(i.label), i.colour, i.icon) for t, i in TYPES.items()]
    rows_all = points(areas, max(SIZES), seed=7)
    table = []
    for n in SIZES:
        rows = rows_all[:n]
        our_time, our_size = timed(ours, areas, kinds, rows, repeat=3)
        plain_time, plain_size = timed(plain, areas, kinds, rows)
        table.append((n, our_time, our_size, plain_time, plain_size))
        print(f"{n}: fieldkit {our_time:.3f} s, {our_size:,} B; plain folium {plain_time:.2f} s, {plain_size:,} B")
    real = real_map(100_000)
    write(table, real)


def write(table, real) -> None:
    lines = [
        f"\n## Map page — {datetime.now(VN):%Y-%m-%d %H:%M}\n",
        "Build and render of the whole page (`get_root().render()`) from plain data with the 103 demo communes as "
        "a choropleth; fieldkit packs the points (delta-coded integers, maps/points.py) and fetches a popup on "
        "click, plain folium writes one `folium.Marker` with its `folium.Popup` per point into a `MarkerCluster`. "
        "Page = the HTML alone; "
        f"fieldkit best of 3, plain folium once; {platform.processor() or 'cpu'}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, folium {folium.__version__}.\n",
        "| activities | fieldkit build (s) | fieldkit page (MB) | plain folium build (s) | plain page (MB) "
        "| faster | smaller |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, our_time, our_size, plain_time, plain_size in table:
        lines.append(
            f"| {n:,} | {our_time:.3f} | {our_size / 1e6:.2f} | {plain_time:.2f} | {plain_size / 1e6:.1f} "
            f"| {plain_time / our_time:.0f}× | {plain_size / our_size:.0f}× |"
        )
    lines += [
        "",
        "`GET /map` through the app (test client, city supervisor, SQLite, `demo load --activities 100000`, "
        "best of 3 after a first request):",
        "",
        "| map shows | response (s) | page (MB) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {label} | {seconds:.2f} | {size / 1e6:.2f} |" for label, seconds, size in real]
    text = "\n".join(lines) + "\n"
    publish(text)


if __name__ == "__main__":
    main()
