"""A city supervisor opens the coverage map on a phone and on a desktop: no CDN, no tiles, no console error.

The map library is served by the app (any other host is blocked and fails the test); FIELDKIT_TILE_URL is "none",
so the communes and activities must show on their own.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.timeutil import utcnow
from tests.e2e.browser import log_in
from tests.factories import INSIDE_B

TALKS_IN_A = [(10.0100, 105.7100), (10.0104, 105.7103), (10.0098, 105.7106)]  # close enough to cluster


@pytest.fixture
def mapped(app, areas, make_user):
    """Three talks in commune A, a banner in B, no tile server; answer the city supervisor."""
    app.config["FIELDKIT_TILE_URL"] = "none"
    officer = make_user("officer", areas[0])
    spots = [("talk", where) for where in TALKS_IN_A] + [("banner", INSIDE_B)]
    for i, (kind, (lat, lon)) in enumerate(spots):
        db.session.add(
            Activity(
                uuid=f"00000000-0000-4000-8000-00000000000{i}",
                type=kind,
                occurred_at=utcnow() - timedelta(days=1),
                officer_id=officer.id,
                lat=lat,
                lon=lon,
                area_code="90002" if kind == "banner" else "90001",
                declared_area_code="90001",
                topic=f"<b>Chủ đề {i}</b>",
                details={"format": "talk", "participants": 30} if kind == "talk" else {"kind": "panel", "quantity": 2},
                content_hash="x",
            )
        )
    db.session.commit()
    return make_user("supervisor")


@pytest.fixture
def open_desktop(open_page):
    """Return a callable that opens a desktop-sized page; like open_phone it blocks other hosts and fails on errors."""
    return lambda: open_page(viewport={"width": 1366, "height": 900})


def open_map(page, user):
    log_in(page, user, tap=False)
    page.goto("/map")
    page.wait_for_function("() => window.FieldkitMap && FieldkitMap.maps.length === 1")


def check_map(page):
    """Leaflet from the app, one feature per commune, clusters and single points drawn."""
    assert page.evaluate("typeof window.L === 'object' && L.version") == "1.9.3"
    assert page.evaluate("FieldkitMap.maps[0]._fieldkit.communes.getLayers().length") == 2
    assert page.locator("canvas.leaflet-zoom-animated").count() >= 1  # the communes, drawn on canvas
    expect(page.locator(".marker-cluster").first).to_be_visible()
    expect(page.locator(".fk-point")).to_have_count(1)  # the lone banner
    expect(page.locator(".fk-legend")).to_be_attached()


def test_the_map_on_a_phone(open_phone, mapped, artifacts):
    page = open_phone()
    open_map(page, mapped)
    check_map(page)
    page.screenshot(path=str(artifacts / "e2e-map-phone.png"))


def test_the_map_on_a_desktop(open_desktop, mapped, artifacts):
    page = open_desktop()
    open_map(page, mapped)
    check_map(page)
    # A popup fetches its details and shows the entry's texts as text.
    page.locator(".fk-point").click()
    expect(page.locator(".fk-popup-topic")).to_have_text("<b>Chủ đề 3</b>")
    expect(page.locator(".fk-popup a.fk-open")).to_have_attribute(
        "href", "/activities/00000000-0000-4000-8000-000000000003"
    )
    # The legend switches the choropleth to the gap score; the heat layer draws on its own canvas.
    page.locator(".fk-legend input[value=gap_score]").check()
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-overlays input").last.check()
    expect(page.locator("canvas.fk-heat")).to_have_count(1)
    page.locator(".leaflet-control-layers-overlays input").last.uncheck()
    page.mouse.move(600, 500)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "e2e-map.png"))


def test_the_small_maps_and_the_report_work_under_the_content_security_policy(open_desktop, mapped, live_server):
    """The commune page, the review page (its map inline, no frame) and the report's Print button, with the policy on.

    open_desktop fails the test on any console error, which is where Chromium reports a blocked script.
    """
    page = open_desktop()
    open_map(page, mapped)
    violations = "window.__csp = []; addEventListener('securitypolicyviolation', e => __csp.push(e.blockedURI))"
    for path, frame in (
        ("/coverage/90001", ".commune-map-frame"),
        ("/review/00000000-0000-4000-8000-000000000003", ".review-map"),
    ):
        response = page.goto(path)
        assert "'nonce-" in response.headers["content-security-policy"]
        page.evaluate(violations)
        expect(page.locator(f"{frame} .leaflet-container")).to_be_visible()
        expect(page.locator(f"{frame} .leaflet-overlay-pane path, {frame} canvas").first).to_be_attached()
        assert page.evaluate("window.__csp") == []
    page.goto("/reports/" + utcnow().strftime("%Y-%m"))
    page.evaluate("window.print = () => { window.__printed = true }")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.__printed") is True
