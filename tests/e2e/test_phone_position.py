"""Honest positions on a 360-px phone: the small map of commune outlines (offline too), a point placed by a tap or
typed in, the read-only GPS accuracy, and the phone placing points in communes exactly as the server does."""

import os
import random

import pytest
from playwright.sync_api import expect

from fieldkit.areas import outlines as outline_module
from fieldkit.areas.index import AreaIndex
from fieldkit.extensions import db
from fieldkit.models import Activity, Area
from tests.e2e.browser import log_in
from tests.e2e.test_offline import ENTRY_URL, record_talk, stored, visit_once_online, wait_for

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def officer(make_user, areas):
    return make_user("officer", areas[0])


def outlines_kept(page) -> bool:
    """Whether the phone's IndexedDB holds the officer's outlines."""
    script = """user => new Promise(resolve => {
      const open = indexedDB.open("fieldkit-outlines", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("outlines");
      open.onsuccess = () => {
        const get = open.result.transaction("outlines").objectStore("outlines").get("outlines:" + user);
        get.onsuccess = () => resolve(!!(get.result && get.result.areas.length));
        get.onerror = () => resolve(false);
      };
      open.onerror = () => resolve(false);
    })"""
    return page.evaluate(script, page.locator("#form-map").get_attribute("data-officer"))


def tap_in_commune(page, code: str) -> None:
    """Tap the map where the commune's outline shows (the middle of its visible part)."""
    svg = page.locator("#form-map-svg").bounding_box()
    area = page.locator(f"#form-map-svg path[data-code='{code}']").bounding_box()
    left, right = max(svg["x"], area["x"]), min(svg["x"] + svg["width"], area["x"] + area["width"])
    top, bottom = max(svg["y"], area["y"]), min(svg["y"] + svg["height"], area["y"] + area["height"])
    assert right - left > 10 and bottom - top > 10, f"commune {code} is not on the map"
    page.touchscreen.tap((left + right) / 2, (top + bottom) / 2)


def test_the_map_shows_the_outlines_offline_and_a_tap_sets_the_point_and_the_commune(
    persistent_phone, restartable_server, officer, artifacts
):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    expect(page.locator("#form-map-svg path.area")).to_have_count(2)
    assert wait_for(page, lambda: outlines_kept(page))
    persistent_phone.close()
    restartable_server.stop()

    page = persistent_phone.open(offline=True)
    page.set_viewport_size(SMALL_PHONE)
    page.goto("/activities/new")
    expect(page.locator("#form-map")).to_be_visible()
    expect(page.locator("#form-map-svg path.area")).to_have_count(2)
    expect(page.locator("#location_source")).to_have_value("gps")  # the phone's GPS needs no network
    expect(page.locator("#declared_area_code")).to_have_value("90001")
    expect(page.locator("#form-map-svg circle.marker")).to_be_visible()
    page.locator("#gps").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "phone-position-offline-map.png")

    tap_in_commune(page, "90002")
    expect(page.locator("#location_source")).to_have_value("map")
    expect(page.locator("#accuracy_m")).to_have_value("")
    expect(page.locator("#declared_area_code")).to_have_value("90002")  # placed on the phone, offline
    expect(page.locator("#form-map-caption")).to_contain_text("Bình Thử")
    expect(page.locator("#form-map-svg path.here")).to_have_attribute("data-code", "90002")
    assert float(page.input_value("#lon")) > 105.7202
    page.screenshot(path=artifacts / "phone-position-placed.png")
    record_talk(page, "Đặt trên bản đồ khi mất sóng")

    restartable_server.start()
    page.context.set_offline(False)
    assert wait_for(page, lambda: len(stored()) == 1, seconds=60)
    (entry,) = stored()
    assert (entry.location_source, entry.accuracy_m) == ("map", None)
    assert (entry.area_code, entry.declared_area_code) == ("90002", "90002")
    assert entry.flags == ["manual_position"]  # and not "other commune than chosen"


def test_typed_coordinates_are_marked_typed_and_the_accuracy_is_read_only(page, officer, artifacts):
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, officer)
    page.goto("/activities/new")
    accuracy = page.locator("#accuracy_m")
    expect(accuracy).to_have_value("8")
    expect(page.locator("#location_source")).to_have_value("gps")
    expect(accuracy).not_to_be_editable()
    expect(page.locator("#form-map-svg circle.accuracy")).to_have_attribute("r", "8")

    page.fill("#lat", "10.012")
    page.fill("#lon", "105.735")
    expect(page.locator("#location_source")).to_have_value("typed")
    expect(accuracy).to_have_value("")
    expect(page.locator("#gps-status")).to_have_attribute("data-state", "typed")
    expect(page.locator("#declared_area_code")).to_have_value("90002")
    expect(page.locator("#form-map-svg circle.accuracy")).to_have_attribute("r", "0")
    page.locator("#gps").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "phone-position-typed.png")
    page.fill("input[name=topic]", "Nhập tọa độ tay")
    page.select_option("select[name=format]", "talk")
    page.fill("input[name=participants]", "30")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(ENTRY_URL, timeout=20_000)
    expect(page.locator("main")).to_contain_text("nhập tay")
    expect(page.locator(".flags")).to_contain_text("không đo bằng GPS")
    db.session.expire_all()
    entry = db.session.scalar(db.select(Activity))
    assert (entry.location_source, entry.accuracy_m, entry.area_code) == ("typed", None, "90002")
    assert entry.flags == ["manual_position"]


def test_dragging_the_point_moves_it(page, officer):
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, officer)
    page.goto("/activities/new")
    expect(page.locator("#location_source")).to_have_value("gps")
    page.locator("#form-map").scroll_into_view_if_needed()
    marker = page.locator("#form-map-svg circle.marker").bounding_box()
    x, y = marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2
    before = float(page.input_value("#lon"))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 10, steps=5)
    page.mouse.up()
    expect(page.locator("#location_source")).to_have_value("map")
    assert float(page.input_value("#lon")) > before
    expect(page.locator("#accuracy_m")).to_have_value("")


# --- the phone's rule against the server's ---------------------------------------------------------------------------


def sample_points(areas: list[Area], count: int, seed: int = 11) -> list[tuple[float, float]]:
    """Points over the whole city, and as many again within a few hundred (or tens of) metres of a commune's edge."""
    rng = random.Random(seed)
    west = min(a.bbox[0] for a in areas)
    south = min(a.bbox[1] for a in areas)
    east = max(a.bbox[2] for a in areas)
    north = max(a.bbox[3] for a in areas)
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(count)]
    for _ in range(count):
        ring = rng.choice(areas).geometry["coordinates"][0]
        if isinstance(ring[0][0], list):  # a MultiPolygon's first polygon
            ring = ring[0]
        lon, lat = rng.choice(ring)
        spread = rng.choice((0.003, 0.0003))  # up to about 330 m, or 33 m: in slivers, on edges, near the tolerance
        points.append((lat + rng.uniform(-spread, spread), lon + rng.uniform(-spread, spread)))
    return points


def js_placements(page, data: dict, points) -> list[dict]:
    return page.evaluate(
        "([outlines, points]) => points.map(p => FK.place.locate(outlines, p[0], p[1]))", [data, points]
    )


@pytest.mark.parametrize("simplified", [False, True], ids=["exact-outlines", "outlines-as-sent"])
def test_the_phone_places_points_in_communes_as_the_server_does(
    runner, shared_data, open_page, monkeypatch, simplified, artifacts
):
    result = runner.invoke(args=["areas", "import", os.path.join(shared_data, "cantho_communes_2025.geojson")])
    assert result.exit_code == 0, result.output
    if not simplified:
        monkeypatch.setattr(outline_module, "SIMPLIFY_DEG", 0.0)
        monkeypatch.setattr(outline_module, "DECIMALS", 9)
    tolerance = 200.0
    data = outline_module.outlines(None, tolerance)
    areas = list(db.session.scalars(db.select(Area).order_by(Area.code)))
    assert len(data["areas"]) == len(areas) == 103
    server = AreaIndex([(a.code, a.geometry) for a in areas])
    points = sample_points(areas, 2500)
    expected = [server.locate(lat, lon, tolerance) for lat, lon in points]

    page = open_page(viewport=SMALL_PHONE)
    page.goto("/login")
    page.add_script_tag(url="/static/js/place-offline.js")
    found = js_placements(page, data, points)

    near_border = 0
    disagree = []
    for (lat, lon), want, got in zip(points, expected, found, strict=True):
        near_border += want.distance_m not in (None, 0.0)
        if got["code"] != want.code:
            disagree.append(((lat, lon), want, got))
        elif want.distance_m:
            assert got["distance_m"] == pytest.approx(want.distance_m, rel=0.01, abs=1.0)
    assert near_border > 50  # the tolerance rule was exercised, not only points well inside
    if simplified:
        # The outlines a phone keeps are simplified to about 2 m: only points that close to an edge may differ.
        assert len(disagree) <= len(points) * 0.005, disagree[:5]
        for _point, want, got in disagree:
            close = [p for p in (want.distance_m, got["distance_m"]) if p is not None]
            assert (
                not close
                or min(abs(tolerance - d) for d in close) < 5
                or want.distance_m == 0
                or got["distance_m"] == 0
            )
    else:
        assert disagree == []
    (artifacts / f"placement-agreement-{'simplified' if simplified else 'exact'}.txt").write_text(
        f"{len(points)} points, {near_border} placed by the tolerance rule, {len(disagree)} differ\n"
    )
