"""The map page, its popup JSON and zoomed-in points, per role; the vendored map libraries."""

import json
import re
import uuid as uuid_module
from datetime import timedelta

import pytest

from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.timeutil import utcnow
from maps.points import unpack
from tests.factories import INSIDE_A, INSIDE_B

URL = re.compile(r"https?://[^\s\"'<>)\\]+")
BBOX_A = "105.70,10.00,105.72,10.02"
BBOX_ALL = "105.6,9.9,105.8,10.1"


@pytest.fixture
def make_activity(app):
    """Return a callable that stores an activity of an officer at a point."""

    def make(officer, where=INSIDE_A, area="90001", kind="talk", topic="Tuyên truyền", days_ago=1, **columns):
        activity = Activity(
            uuid=str(uuid_module.uuid4()),
            type=kind,
            occurred_at=utcnow() - timedelta(days=days_ago),
            utc_offset_min=420,
            officer_id=officer.id,
            lat=where[0],
            lon=where[1],
            accuracy_m=10,
            location_source="gps",
            area_code=area,
            declared_area_code=area,
            topic=topic,
            details={"format": "talk", "participants": 40} if kind == "talk" else {"kind": "banner", "quantity": 2},
            content_hash="x",
            **columns,
        )
        db.session.add(activity)
        db.session.commit()
        return activity

    return make


@pytest.fixture
def world(areas, make_user, make_activity):
    """Two officers, one per commune, each with entries; answer who is who and the entries' ids."""
    lan, binh = make_user("officer", "90001"), make_user("officer", "90002")
    entries = {
        "lan_talk": make_activity(lan),
        "lan_banner": make_activity(lan, kind="banner"),
        "binh_talk": make_activity(binh, INSIDE_B, "90002"),
    }
    return {"lan": lan, "binh": binh, **{key: a.id for key, a in entries.items()}}


def page_data(html: str) -> list:
    return [
        json.loads(text) for text in re.findall(r'<script type="application/json" id="[\w-]+">(.*?)</script>', html)
    ]


def point_ids(html: str) -> set[int]:
    """The ids of the points the page carries, over all types."""
    ids = set()
    for value in page_data(html):
        if isinstance(value, dict) and "ids" in value:
            ids |= set(unpack(value)[0])
    return ids


def commune_codes(html: str) -> list[str]:
    (collection,) = [v for v in page_data(html) if isinstance(v, dict) and v.get("type") == "FeatureCollection"]
    return [f["id"] for f in collection["features"]]


def test_anonymous_is_sent_to_log_in(client, world):
    for path in ("/map", f"/map/activities/{world['lan_talk']}.json", f"/map/points.json?bbox={BBOX_ALL}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize(
    ("role", "area", "communes", "sees"),
    [
        ("supervisor", None, ["90001", "90002"], {"lan_talk", "lan_banner", "binh_talk"}),
        ("supervisor", "90002", ["90002"], {"binh_talk"}),
        ("admin", None, ["90001", "90002"], {"lan_talk", "lan_banner", "binh_talk"}),
    ],
)
def test_supervisors_see_their_scope(client, make_user, login, world, role, area, communes, sees):
    login(make_user(role, area))
    response = client.get("/map")
    assert response.status_code == 200
    html = response.text
    assert commune_codes(html) == communes
    assert point_ids(html) == {world[key] for key in sees}
    assert "FieldkitMap.kind(" in html and "FieldkitMap.aggregates(" not in html


def test_officers_see_their_own_entries(client, login, world):
    login(world["lan"])
    html = client.get("/map").text
    assert point_ids(html) == {world["lan_talk"], world["lan_banner"]}


def test_filters_apply_to_points_and_communes(client, make_user, login, world):
    login(make_user("supervisor"))
    assert point_ids(client.get("/map?type=banner").text) == {world["lan_banner"]}
    html = client.get("/map?area=90002").text
    assert commune_codes(html) == ["90002"] and point_ids(html) == {world["binh_talk"]}


def test_nothing_comes_from_outside_but_the_tiles(app, client, make_user, login, world):
    login(make_user("supervisor"))
    html = client.get("/map").text
    assert set(URL.findall(html)) <= {app.config["FIELDKIT_TILE_URL"]}
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/bundle/map.js?v=" in html  # all on this server
    app.config["FIELDKIT_TILE_URL"] = "none"
    html = client.get("/map").text
    assert not URL.findall(html) and "L.tileLayer" not in html and "FieldkitMap.communes(" in html


def test_more_points_than_the_limit_shows_totals_and_loads_a_zoomed_view(app, client, make_user, login, world):
    app.config["FIELDKIT_MAP_MAX_POINTS"] = 2
    login(make_user("supervisor"))
    html = client.get("/map?status=submitted").text
    assert "FieldkitMap.aggregates(" in html and point_ids(html) == set()
    assert "3 activities match" in client.get("/map?lang=en").text
    assert '"pointsUrl":"/map/points.json?from=' in html and "status=submitted" in html
    zoomed = client.get(f"/map/points.json?bbox={BBOX_A}").get_json()
    assert zoomed["count"] == 2 and zoomed["types"]["banner"]["n"] == 1
    assert client.get(f"/map/points.json?bbox={BBOX_ALL}").get_json() == {"count": None, "types": None}


@pytest.mark.parametrize("bbox", ["", "1,2,3", "a,b,c,d", "106,10,105,11", "105,95,106,96"])
def test_a_bad_bbox_is_refused(client, make_user, login, world, bbox):
    login(make_user("supervisor"))
    assert client.get(f"/map/points.json?bbox={bbox}").status_code == 400


def test_popup_details_as_json(client, make_user, login, world):
    db.session.add(
        Photo(
            activity_id=world["lan_talk"],
            index=0,
            sha256="a" * 64,
            path="p",
            thumb_path="t",
            width=1,
            height=1,
            bytes=1,
        )
    )
    db.session.commit()
    login(make_user("supervisor"))
    answer = client.get(f"/map/activities/{world['lan_talk']}.json?lang=en")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    entry = db.session.get(Activity, world["lan_talk"])
    assert body["type"] == "talk" and body["topic"] == "Tuyên truyền"
    assert ["Officer", "Nguyễn Văn Test"] in body["rows"] and ["Commune", "Phường An Thử"] in body["rows"]
    assert body["thumb"] == f"/activities/{entry.uuid}/photos/0.thumb.jpg"
    assert body["url"] == f"/activities/{entry.uuid}"
    assert client.get(f"/map/activities/{entry.uuid}.json").get_json()["id"] == entry.id


@pytest.mark.parametrize(
    ("viewer", "entry"),
    [("lan", "binh_talk"), ("commune_b", "lan_talk"), ("city", "deleted"), ("city", "unknown")],
)
def test_popup_refuses_what_the_viewer_may_not_see(client, make_user, login, make_activity, world, viewer, entry):
    users = {"lan": world["lan"], "commune_b": make_user("supervisor", "90002"), "city": make_user("supervisor")}
    ids = {**world, "deleted": make_activity(world["lan"], deleted_at=utcnow()).id, "unknown": 999_999}
    login(users[viewer])
    answer = client.get(f"/map/activities/{ids[entry]}.json", headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"


def test_texts_from_entries_stay_data(client, make_user, login, make_activity, world):
    hostile = "</script><script>alert(1)</script>{{ 7*7 }}"
    entry = make_activity(world["lan"], topic=hostile)
    login(make_user("supervisor"))
    assert client.get(f"/map/activities/{entry.id}.json").get_json()["topic"] == hostile
    assert "<script>alert(1)" not in client.get("/map").text


def test_vendored_files_are_served(client):
    with client.get("/static/vendor/leaflet/leaflet.js") as leaflet:
        assert leaflet.status_code == 200 and b"Leaflet" in leaflet.data[:400]
    with client.get("/static/vendor/leaflet/images/layers.png") as image:
        assert image.mimetype == "image/png"
    for path in (
        "/static/vendor/leaflet-markercluster/leaflet.markercluster.js",
        "/static/vendor/jquery/jquery.min.js",
    ):
        with client.get(path) as response:
            assert response.status_code == 200, path
    for path in (
        "/static/vendor/bootstrap/x.js",
        "/static/vendor/leaflet/../../../../etc/passwd",
        "/static/vendor/leaflet/%2e%2e/__init__.py",
    ):
        assert client.get(path).status_code == 404, path


def test_a_map_without_communes_or_entries_still_opens(client, make_user, login):
    login(make_user("supervisor"))
    response = client.get("/map?lang=en")
    assert response.status_code == 200 and "No activities match these filters." in response.text
    assert commune_codes(response.text) == [] and "L.map(" in response.text


def test_a_commune_links_to_its_page_with_the_maps_period_and_filters(client, make_user, login, world):
    login(make_user("supervisor"))
    html = client.get("/map?from=2025-10-01&type=talk&area=90002&metric=gap_score").text
    assert '"communeUrl":"/coverage/{code}?from=2025-10-01\\u0026type=talk"' in html
