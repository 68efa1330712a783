"""POST/GET /api/v1/activities: storing, idempotency, bad input, paging and scope."""

import json
import threading
from datetime import datetime, timedelta

import pytest

from fieldkit.extensions import db
from fieldkit.models import Activity, AuditEvent
from tests.factories import INSIDE_B, VN, sql_statements, talk


def post(client, body, **kwargs):
    return client.post("/api/v1/activities", json=body, **kwargs)


def count():
    return db.session.scalar(db.select(db.func.count(Activity.id)))


def test_post_stores_the_activity_with_its_commune(client, officer):
    body = talk()
    response = post(client, body)
    assert response.status_code == 201, response.json
    stored = response.json
    assert stored["uuid"] == body["uuid"]
    assert stored["area_code"] == "90001"
    assert stored["area_name"] == "Phường An Thử"
    assert stored["officer"] == officer.username
    assert stored["status"] == "submitted"
    assert stored["participants"] == 40 and stored["format"] == "dialogue"
    assert stored["photos"] == [] and stored["flags"] == []
    assert response.headers["Location"].endswith(body["uuid"])
    activity = db.session.scalar(db.select(Activity))
    assert (activity.people_reached, activity.poor_reached, activity.near_poor_reached) == (40, 5, 8)
    assert activity.utc_offset_min == 420
    assert db.session.scalar(db.select(AuditEvent.action)) == "create"


def test_repeat_of_same_content_answers_200_and_keeps_one_row(client, officer):
    body = talk()
    first = post(client, body)
    again = post(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    assert count() == 1


def test_a_post_runs_a_bounded_number_of_statements(client, officer):
    """What one post costs the database (this is the phone's hot path): a guard against a reload or a query per
    neighbour creeping in. The list is printed when it grows."""
    now = datetime.now(VN)
    for hours in (3, 1):  # entries before and after, so the flags have neighbours to compare with
        assert post(client, talk(occurred_at=(now - timedelta(hours=hours)).isoformat())).status_code == 201
    with sql_statements() as statements:
        response = post(client, talk(occurred_at=(now - timedelta(hours=2)).isoformat()))
    assert response.status_code == 201
    # user, declared commune, uuid, commune table's version, insert, audit, flags (5), the answer's commune;
    # the coverage rollup (10, and a lock on PostgreSQL): its state, the day's rows (3), the every-commune rows (2),
    # the dekad's rows (2), the month's rows (2)
    assert len(statements) <= 23, "\n\n".join(statements)


def test_same_uuid_with_different_content_is_409_and_changes_nothing(client, officer):
    body = talk()
    post(client, body)
    response = post(client, {**body, "participants": 41})
    assert response.status_code == 409
    assert response.json["error"] == "conflict" and "uuid" in response.json["fields"]
    assert count() == 1
    assert db.session.scalar(db.select(Activity.people_reached)) == 40


def test_two_concurrent_posts_of_one_uuid_leave_one_row(app, officer, make_user):
    body = talk()
    barrier = threading.Barrier(4)
    statuses = []
    username = officer.username

    def send():
        own = app.test_client()
        own.post("/login", data={"username": username, "password": "correct-horse-9"})
        barrier.wait()
        statuses.append(own.post("/api/v1/activities", json=body).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    db.session.expire_all()
    assert count() == 1


def _future():
    return (datetime.now(VN) + timedelta(minutes=30)).isoformat()


BAD = [
    ("no type", {"type": None}, "type"),
    ("unknown type", {"type": "concert"}, "type"),
    ("lat too big", {"lat": 91}, "lat"),
    ("lon too small", {"lon": -181}, "lon"),
    ("lat as text", {"lat": "north"}, "lat"),
    ("lat NaN as text", {"lat": "NaN"}, "lat"),
    ("lat infinity as text", {"lat": "Infinity"}, "lat"),
    ("lat alone", {"lon": None}, "lon"),
    ("lon alone", {"lat": None}, "lat"),
    ("negative accuracy", {"accuracy_m": -5}, "accuracy_m"),
    ("absurd accuracy", {"accuracy_m": 1e7}, "accuracy_m"),
    ("occurred_at missing", {"occurred_at": None}, "occurred_at"),
    ("occurred_at unparseable", {"occurred_at": "yesterday"}, "occurred_at"),
    ("occurred_at in the future", {"occurred_at": "FUTURE"}, "occurred_at"),
    ("occurred_at before 2025", {"occurred_at": "2024-12-31T23:00:00+07:00"}, "occurred_at"),
    ("negative count", {"participants": -1}, "participants"),
    ("absurd count", {"participants": 100_001}, "participants"),
    ("fractional count", {"participants": 2.5}, "participants"),
    (
        "more poor members than participants",
        {"participants": 10, "poor_members": 8, "near_poor_members": 5},
        "poor_members",
    ),
    ("topic over 200", {"topic": "x" * 201}, "topic"),
    ("notes over 2000", {"notes": "x" * 2001}, "notes"),
    ("unknown commune", {"declared_area_code": "99999"}, "declared_area_code"),
    ("missing required count", {"participants": None}, "participants"),
    ("field of another type", {"copies": 100}, "copies"),
    ("unknown field", {"participant": 3}, "participant"),
    ("nested value", {"topic": {"a": 1}}, "topic"),
    ("boolean as a number", {"participants": True}, "participants"),
    ("bad uuid", {"uuid": "not-a-uuid"}, "uuid"),
    ("no uuid", {"uuid": None}, "uuid"),
    ("bad format choice", {"format": "party"}, "format"),
    (
        "no position and no commune",
        {"lat": None, "lon": None, "accuracy_m": None, "location_source": None, "declared_area_code": None},
        "declared_area_code",
    ),
    ("position source none with a position", {"location_source": "none"}, "location_source"),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD, ids=[case for case, _, _ in BAD])
def test_bad_input_is_400_naming_the_field_and_stores_nothing(client, officer, case, change, field):
    change = {key: _future() if value == "FUTURE" else value for key, value in change.items()}
    body = talk(**change)
    for key, value in change.items():
        if value is None:
            body.pop(key, None)
    response = post(client, body)
    assert response.status_code == 400, response.json
    assert response.json["error"] == "invalid"
    assert field in response.json["fields"], response.json
    assert field in response.json["message"]
    assert count() == 0


def test_non_finite_json_numbers_are_refused(client, officer):
    raw = json.dumps(talk()).replace('"lat": 10.01', '"lat": NaN')
    response = client.post("/api/v1/activities", data=raw, content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json["message"]
    raw = json.dumps(talk()).replace('"lat": 10.01', '"lat": 1e999')
    assert client.post("/api/v1/activities", data=raw, content_type="application/json").status_code == 400
    assert count() == 0


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"[" * 5000 + b"]" * 5000, b"\xff\xfe"])
def test_malformed_json_is_400(client, officer, raw):
    response = client.post("/api/v1/activities", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json and response.json["error"] == "invalid"
    assert count() == 0


def test_wrong_content_type_is_400(client, officer):
    response = client.post("/api/v1/activities", data=json.dumps(talk()), content_type="text/plain")
    assert response.status_code == 400 and response.json["error"] == "bad_content_type"
    response = client.post("/api/v1/activities", data=talk())
    assert response.status_code == 400
    assert count() == 0


def test_body_over_the_limit_is_413_json(client, officer):
    response = post(client, talk(notes="x" * 70_000))
    assert response.status_code == 413 and response.json["error"] == "too_large"
    assert count() == 0


def test_media_needs_no_position(client, officer):
    body = talk(
        type="media",
        lat=None,
        lon=None,
        accuracy_m=None,
        location_source=None,
        format=None,
        participants=None,
        poor_members=None,
        near_poor_members=None,
        women=None,
        channel="web",
        items=2,
        link="https://cantho.gov.vn/tin-tuc",
    )
    response = post(client, body)
    assert response.status_code == 201, response.json
    assert response.json["area_code"] is None and response.json["location_source"] == "none"


def test_without_fix_the_declared_commune_places_it(client, officer):
    body = talk(lat=None, lon=None, accuracy_m=None, location_source=None, declared_area_code="90002")
    response = post(client, body)
    assert response.status_code == 201
    assert response.json["area_code"] is None and response.json["declared_area_code"] == "90002"


def test_flags_low_accuracy_and_mismatch(client, officer, app):
    response = post(client, talk(lat=INSIDE_B[0], lon=INSIDE_B[1], accuracy_m=350))
    assert response.status_code == 201
    assert set(response.json["flags"]) == {"low_accuracy", "area_mismatch"}


def test_anonymous_is_401_json(client, areas):
    response = post(client, talk())
    assert response.status_code == 401 and response.json["error"] == "unauthorized"
    assert client.get("/api/v1/activities").status_code == 401


def test_supervisors_do_not_record(client, make_user, login, areas):
    login(make_user("supervisor"))
    assert post(client, talk()).status_code == 403


def test_get_returns_the_receipt_and_hides_others_entries(client, officer, make_user, login):
    body = talk()
    post(client, body)
    response = client.get(f"/api/v1/activities/{body['uuid']}")
    assert response.status_code == 200 and response.json["photos"] == []
    client.post("/logout")
    login(make_user("officer", "90001"))
    assert client.get(f"/api/v1/activities/{body['uuid']}").status_code == 404
    assert client.get("/api/v1/activities").json["items"] == []


def test_list_pages_newest_first_and_stays_stable_while_rows_are_added(client, officer):
    sent = [talk()["uuid"] for _ in range(5)]
    for uuid in sent:
        post(client, talk(uuid=uuid))
    first = client.get("/api/v1/activities?limit=2").json
    assert [a["uuid"] for a in first["items"]] == sent[:-3:-1]
    post(client, talk())  # a new row must not shift the next page
    second = client.get(f"/api/v1/activities?limit=2&cursor={first['next']}").json
    assert [a["uuid"] for a in second["items"]] == [sent[2], sent[1]]
    third = client.get(f"/api/v1/activities?limit=2&cursor={second['next']}").json
    assert [a["uuid"] for a in third["items"]] == [sent[0]] and third["next"] is None


def test_list_filters_and_bad_filters(client, officer):
    post(client, talk())
    post(
        client,
        talk(
            type="banner",
            format=None,
            participants=None,
            poor_members=None,
            near_poor_members=None,
            women=None,
            kind="banner",
            quantity=3,
        ),
    )
    assert [a["type"] for a in client.get("/api/v1/activities?type=banner").json["items"]] == ["banner"]
    assert client.get("/api/v1/activities?area=90002").json["items"] == []
    bad = client.get("/api/v1/activities?from=yesterday")
    assert bad.status_code == 400 and "from" in bad.json["fields"]
    assert client.get("/api/v1/activities?cursor=%%%").status_code == 400


def test_commune_supervisor_sees_only_their_commune(client, officer, make_user, login):
    post(client, talk())
    post(client, talk(lat=INSIDE_B[0], lon=INSIDE_B[1], declared_area_code="90002"))
    client.post("/logout")
    login(make_user("supervisor", "90002"))
    items = client.get("/api/v1/activities").json["items"]
    assert [a["area_code"] for a in items] == ["90002"]
    client.post("/logout")
    login(make_user("supervisor"))
    assert len(client.get("/api/v1/activities").json["items"]) == 2


def test_unknown_api_route_is_json_404(client, officer):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.is_json


def test_vietnamese_text_is_stored_in_nfc(client, officer):
    decomposed = "Tuye\u0302n truye\u0302\u0300n"
    response = post(client, talk(topic=decomposed))
    assert response.json["topic"] == "Tuyên truyền"
