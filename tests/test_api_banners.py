"""The banners API: inspections idempotent on their uuid, late ones never overriding newer ones, what is due,
photos through the photo pipeline, and the scope rules of entries."""

import uuid as uuid_module
from datetime import datetime, timedelta

import pytest

from fieldkit.banners import due as due_module
from fieldkit.extensions import db
from fieldkit.models import Banner, BannerInspection
from fieldkit.timeutil import utcnow
from tests.factories import INSIDE_A, INSIDE_B, VN, jpeg, talk
from tests.test_banners_assets import banner_entry


def inspection(**overrides) -> dict:
    """A valid inspection as the phone sends it: at the banner, a moment ago."""
    body = {
        "uuid": str(uuid_module.uuid4()),
        "state": "standing",
        "observed_at": (datetime.now(VN) - timedelta(minutes=5)).isoformat(timespec="seconds"),
        "lat": INSIDE_A[0] + 0.0001,
        "lon": INSIDE_A[1],
        "accuracy_m": 8,
        "location_source": "gps",
        "note": "Còn tốt",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


@pytest.fixture
def put_up(client, officer):
    """Return a callable that records a banner entry and answers its banners' codes."""

    def make(**overrides) -> list[str]:
        body = banner_entry(**overrides)
        assert client.post("/api/v1/activities", json=body).status_code == 201
        return [
            b["code"]
            for b in client.get("/api/v1/banners?limit=500").json["items"]
            if b["activity_uuid"] == body["uuid"]
        ]

    return make


def post(client, code, body):
    return client.post(f"/api/v1/banners/{code}/inspections", json=body)


def test_an_inspection_is_stored_once_and_sets_the_state(client, put_up):
    code = put_up(quantity=1)[0]
    body = inspection(state="damaged")
    first = post(client, code, body)
    assert first.status_code == 201, first.json
    assert first.json["state"] == "damaged" and first.json["flags"] == [] and first.json["distance_m"] < 20
    again = post(client, code, body)
    assert again.status_code == 200 and again.json == first.json
    assert db.session.scalar(db.select(db.func.count(BannerInspection.id))) == 1
    other = post(client, code, {**body, "state": "missing"})
    assert other.status_code == 409 and other.json["error"] == "conflict"
    banner = client.get(f"/api/v1/banners/{code}").json
    assert banner["state"] == "damaged" and banner["inspections_count"] == 1
    assert [i["uuid"] for i in banner["inspections"]] == [body["uuid"]]


def test_the_same_uuid_on_another_banner_is_a_conflict(client, put_up):
    first, second = put_up(quantity=2)
    body = inspection()
    assert post(client, first, body).status_code == 201
    assert post(client, second, body).status_code == 409


def test_a_late_older_inspection_never_overrides_a_newer_one(client, put_up):
    code = put_up(quantity=1)[0]
    now = datetime.now(VN)
    newer = inspection(state="removed", observed_at=(now - timedelta(minutes=10)).isoformat())
    older = inspection(state="damaged", observed_at=(now - timedelta(minutes=50)).isoformat())
    assert post(client, code, newer).status_code == 201
    assert post(client, code, older).status_code == 201  # arrives later: the phone was offline
    banner = client.get(f"/api/v1/banners/{code}").json
    assert banner["state"] == "removed" and banner["inspections_count"] == 2
    assert [i["state"] for i in banner["inspections"]] == ["removed", "damaged"]  # newest observation first
    assert banner["last_inspected_at"].startswith((now - timedelta(minutes=10)).astimezone().strftime("%Y-%m-%d"))


def test_bad_inspections_name_the_field(client, put_up):
    code = put_up(quantity=1)[0]
    cases = {
        "state": inspection(state="gone"),
        "observed_at": inspection(observed_at="2024-12-31T10:00:00+07:00"),
        "lon": inspection(lon=None),
        "uuid": inspection(uuid="not-a-uuid"),
    }
    for field, body in cases.items():
        response = post(client, code, body)
        assert response.status_code == 400, (field, response.json)
        assert field in response.json["fields"], (field, response.json)
    before = inspection(observed_at=(datetime.now(VN) - timedelta(days=3)).isoformat())
    response = post(client, code, before)  # the banner went up two hours ago
    assert response.status_code == 400 and "observed_at" in response.json["fields"]
    assert db.session.scalar(db.select(db.func.count(BannerInspection.id))) == 0


def test_an_inspection_far_from_the_banner_is_flagged(client, put_up):
    code = put_up(quantity=1)[0]
    response = post(client, code, inspection(lat=INSIDE_B[0], lon=INSIDE_B[1], accuracy_m=500))
    assert response.status_code == 201
    assert response.json["flags"] == ["low_accuracy", "far_from_banner"]
    assert response.json["distance_m"] > 2000


def test_due_for_inspection_and_overdue_for_removal(app, client, put_up):
    local_today = due_module.today()  # the installation's date, not the machine's (they differ 17:00–24:00 UTC)
    old, fresh = put_up(quantity=2, remove_by=local_today.isoformat())
    with app.app_context():
        banner = db.session.scalar(db.select(Banner).filter_by(code=old))
        banner.installed_at = utcnow() - timedelta(days=31)
        banner.remove_by = local_today - timedelta(days=2)
        db.session.commit()
    due = lambda kind: [b["code"] for b in client.get(f"/api/v1/banners?due={kind}").json["items"]]  # noqa: E731
    assert due("inspection") == [old] and due("removal") == [old]
    assert client.get(f"/api/v1/banners/{old}").json["inspection_due"] is True
    assert client.get(f"/api/v1/banners/{fresh}").json["inspection_due"] is False
    assert post(client, old, inspection()).status_code == 201  # inspected: no longer due, still to come down
    assert due("inspection") == [] and due("removal") == [old]
    assert post(client, old, inspection(state="removed")).status_code == 201
    assert due("removal") == []
    app.config["FIELDKIT_BANNER_INSPECT_DAYS"] = 0
    assert due("inspection") == [fresh]  # a removed banner is never due


def test_the_list_filters_by_state_and_commune(client, put_up):
    first, second = put_up(quantity=2)
    post(client, first, inspection(state="damaged"))
    codes = lambda query: sorted(b["code"] for b in client.get("/api/v1/banners?" + query).json["items"])  # noqa: E731
    assert codes("state=damaged") == [first]
    assert codes("state=standing") == [second]
    assert codes("area=90001") == sorted([first, second]) and codes("area=90002") == []
    bad = client.get("/api/v1/banners?due=soon")
    assert bad.status_code == 400 and "due" in bad.json["fields"]


def test_the_list_is_paged(client, put_up):
    codes = put_up(quantity=5)
    first = client.get("/api/v1/banners?limit=2").json
    second = client.get(f"/api/v1/banners?limit=2&cursor={first['next']}").json
    third = client.get(f"/api/v1/banners?limit=2&cursor={second['next']}").json
    seen = [b["code"] for page in (first, second, third) for b in page["items"]]
    assert sorted(seen) == sorted(codes) and third["next"] is None


def test_photos_go_through_the_photo_pipeline(client, put_up):
    code = put_up(quantity=1)[0]
    body = inspection()
    post(client, code, body)
    url = f"/api/v1/banners/{code}/inspections/{body['uuid']}/photos/0"
    image = jpeg()
    stored = client.put(url, data=image, content_type="image/jpeg")
    assert stored.status_code == 201, stored.json
    assert client.put(url, data=image, content_type="image/jpeg").status_code == 200
    other = client.put(url, data=jpeg(colour=(1, 2, 3)), content_type="image/jpeg")
    assert other.status_code == 409  # append-only: a photo once stored stays
    assert client.put(url, data=b"not an image", content_type="image/jpeg").status_code in (400, 409)
    assert client.put(url[:-1] + "5", data=image, content_type="image/jpeg").status_code == 400
    detail = client.get(f"/api/v1/banners/{code}").json
    assert detail["inspections"][0]["photos"] == [stored.json["photo"]]


def test_a_reused_photo_or_one_taken_elsewhere_is_flagged(client, put_up):
    code = put_up(quantity=1)[0]
    entry = talk()
    client.post("/api/v1/activities", json=entry)
    image = jpeg(colour=(9, 9, 9))
    client.put(f"/api/v1/activities/{entry['uuid']}/photos/0", data=image, content_type="image/jpeg")
    body = inspection()
    post(client, code, body)
    url = f"/api/v1/banners/{code}/inspections/{body['uuid']}/photos/"
    client.put(url + "0", data=image, content_type="image/jpeg")
    far = "?photo_lat=10.2&photo_lon=105.9&taken_at=2025-06-01T08:00:00%2B07:00"
    client.put(url + "1" + far, data=jpeg(colour=(200, 200, 0)), content_type="image/jpeg")
    flags = client.get(f"/api/v1/banners/{code}").json["inspections"][0]["flags"]
    assert flags == ["photo_far", "photo_time", "duplicate_photo"]


def test_only_the_inspector_adds_photos(client, put_up, make_user, login):
    code = put_up(quantity=1)[0]
    body = inspection()
    post(client, code, body)
    client.post("/logout")
    login(make_user("officer", "90001"))  # a colleague of the same commune sees the banner
    url = f"/api/v1/banners/{code}/inspections/{body['uuid']}/photos/0"
    assert client.put(url, data=jpeg(), content_type="image/jpeg").status_code == 403


@pytest.mark.parametrize(
    ("role", "area", "sees"),
    [
        ("officer", None, False),  # another officer, no commune: only their own
        ("officer", "90002", False),
        ("officer", "90001", True),  # the banner's commune
        ("supervisor", "90001", True),
        ("supervisor", "90002", False),
        ("supervisor", None, True),
        ("admin", None, True),
    ],
)
def test_who_sees_and_inspects_a_banner(client, put_up, make_user, login, role, area, sees):
    code = put_up(quantity=1)[0]
    client.post("/logout")
    login(make_user(role, area))
    listed = [b["code"] for b in client.get("/api/v1/banners").json["items"]]
    assert (code in listed) is sees
    assert client.get(f"/api/v1/banners/{code}").status_code == (200 if sees else 404)
    inspected = post(client, code, inspection()).status_code
    assert inspected == (201 if sees and role != "admin" else 403 if role == "admin" else 404)


def test_a_withdrawn_entrys_banners_are_gone(client, put_up):
    code = put_up(quantity=1)[0]
    entry = db.session.scalar(db.select(Banner.activity_uuid).filter_by(code=code))
    client.delete(f"/api/v1/activities/{entry}")
    assert client.get(f"/api/v1/banners/{code}").status_code == 404
    assert post(client, code, inspection()).status_code == 404


def test_a_typed_code_finds_the_banner(client, put_up):
    code = put_up(quantity=1)[0]
    typed = code.lower()[:3] + "-" + code.lower()[3:]
    assert client.get(f"/api/v1/banners/{typed}").json["code"] == code


def test_not_logged_in_is_401(client, put_up):
    code = put_up(quantity=1)[0]
    client.post("/logout")
    assert client.get(f"/api/v1/banners/{code}").status_code == 401
