"""The one write surface (activities/services): edits, withdrawals, photo removals and replays, through the API
and the services themselves; a refusal never takes back the caller's other work."""

import io
import json
import uuid as uuid_module
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, AuditEvent, Photo
from fieldkit.models.audit import record as audit
from tests.factories import INSIDE_A, PASSWORD, VN, jpeg, talk

API = "/api/v1/activities"


def post(client, body):
    return client.post(API, json=body)


def put(client, body, version=None):
    edit = {**body, **({"version": version} if version is not None else {})}
    return client.put(f"{API}/{body['uuid']}", json=edit)


def test_an_edit_answers_the_record_with_the_next_version(client, officer):
    body = talk()
    assert post(client, body).json["version"] == 1
    answer = put(client, {**body, "topic": "Đối thoại chính sách"}, version=1)
    assert answer.status_code == 200
    assert answer.json["topic"] == "Đối thoại chính sách" and answer.json["version"] == 2
    assert client.get(f"{API}/{body['uuid']}").json["topic"] == "Đối thoại chính sách"
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["create", "update"]


def test_an_edit_of_an_older_version_is_409_and_changes_nothing(client, officer):
    body = talk()
    post(client, body)
    put(client, {**body, "topic": "Lần một"}, version=1)
    stale = put(client, {**body, "topic": "Lần hai"}, version=1)
    assert stale.status_code == 409 and stale.json["error"] == "stale" and "version" in stale.json["fields"]
    assert client.get(f"{API}/{body['uuid']}").json["topic"] == "Lần một"


def test_the_stored_content_again_is_200_whatever_the_version(client, officer):
    body = talk()
    post(client, body)
    first = put(client, {**body, "topic": "Sửa"}, version=1)
    again = put(client, {**body, "topic": "Sửa"}, version=1)  # the phone resends an edit whose answer it lost
    assert again.status_code == 200 and again.json == first.json


def test_a_verified_entry_cannot_be_edited_or_withdrawn(client, officer):
    body = talk()
    post(client, body)
    db.session.execute(sa.update(Activity).values(status=ActivityStatus.VERIFIED))
    db.session.commit()
    edit = put(client, {**body, "topic": "Sửa"}, version=1)
    assert edit.status_code == 409 and edit.json["error"] == "verified"
    withdrawal = client.delete(f"{API}/{body['uuid']}")
    assert withdrawal.status_code == 409
    assert db.session.scalar(sa.select(Activity.deleted_at)) is None


def test_a_replay_of_the_first_post_after_an_edit_is_409_edited(client, officer):
    body = talk()
    post(client, body)
    put(client, {**body, "participants": 41}, version=1)
    replay = post(client, body)
    assert replay.status_code == 409 and replay.json["error"] == "edited"
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1


def test_the_edit_body_must_be_this_entrys(client, officer):
    body = talk()
    post(client, body)
    response = client.put(f"{API}/{body['uuid']}", json={**body, "uuid": str(uuid_module.uuid4())})
    assert response.status_code == 400 and "uuid" in response.json["fields"]


def test_a_withdrawal_is_204_twice_and_the_entry_leaves_every_list(app, client, officer, make_user):
    body = talk()
    post(client, body)
    assert client.delete(f"{API}/{body['uuid']}").status_code == 204
    assert client.delete(f"{API}/{body['uuid']}").status_code == 204
    assert client.get(API).json["items"] == []
    assert client.get(f"{API}/{body['uuid']}").status_code == 404
    supervisor, boss = app.test_client(), make_user("supervisor", None)
    supervisor.post("/login", data={"username": boss.username, "password": PASSWORD})
    assert supervisor.get("/api/v1/coverage").json["totals"]["activities"]["talk"] == 0
    stored = db.session.scalar(sa.select(Activity))
    assert stored.deleted_at is not None  # kept
    assert db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all() == ["create", "withdraw"]


def test_a_photo_removal_is_204_twice_and_the_receipt_shows_it(client, officer):
    body = talk()
    post(client, body)
    assert client.put(f"{API}/{body['uuid']}/photos/0", data=jpeg(), content_type="image/jpeg").status_code == 201
    assert client.delete(f"{API}/{body['uuid']}/photos/0").status_code == 204
    assert client.delete(f"{API}/{body['uuid']}/photos/0").status_code == 204
    assert client.get(f"{API}/{body['uuid']}").json["photos"] == []
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 0


def test_a_verified_entry_keeps_its_photos(client, officer):
    body = talk()
    post(client, body)
    client.put(f"{API}/{body['uuid']}/photos/0", data=jpeg(), content_type="image/jpeg")
    db.session.execute(sa.update(Activity).values(status=ActivityStatus.VERIFIED))
    db.session.commit()
    assert client.delete(f"{API}/{body['uuid']}/photos/0").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 1


def payload(**overrides) -> dict:
    """A talk as a validated form hands it to the services."""
    data = {
        "uuid": str(uuid_module.uuid4()),
        "type": "talk",
        "occurred_at": datetime.now(VN).replace(microsecond=0) - timedelta(hours=3),
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "accuracy_m": 10.0,
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": "Chuyên đề",
        "notes": "",
        "details": {"format": "talk", "participants": 30},
    }
    return data | overrides


@pytest.fixture
def officer_user(make_user, areas):
    return make_user("officer", "90001")


def test_a_refused_replay_keeps_the_callers_other_work(app, officer_user, make_user):
    stored, _ = services.receive(officer_user, payload())
    db.session.commit()
    audit(officer_user.id, "note", "test", "kept")  # the caller's own pending work
    other = make_user("officer", "90001")
    with pytest.raises(services.Conflict):
        services.receive(other, payload(uuid=stored.uuid))
    db.session.commit()
    assert db.session.scalar(sa.select(AuditEvent.entity_id).where(AuditEvent.action == "note")) == "kept"


def test_an_edit_that_meets_a_newer_version_keeps_the_callers_other_work(app, officer_user):
    stored, _ = services.receive(officer_user, payload())
    db.session.commit()
    assert stored.version == 1  # read, then someone else's write lands before ours
    db.session.execute(sa.text("UPDATE activity SET version = version + 1"))
    audit(officer_user.id, "note", "test", "kept")
    with pytest.raises(services.Stale) as refused:
        services.revise(officer_user, stored, {**payload(uuid=stored.uuid), "topic": "Sửa"})
    assert refused.value.version == 2
    db.session.commit()
    assert db.session.scalar(sa.select(AuditEvent.entity_id).where(AuditEvent.action == "note")) == "kept"
    assert db.session.scalar(sa.select(Activity.topic)) == "Chuyên đề"


def test_a_service_savepoint_never_commits_the_callers_transaction(app, officer_user):
    """SQLite: a SAVEPOINT sent before any write would open the transaction itself, and its RELEASE commit it."""
    services.receive(officer_user, payload())  # savepoints inside
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_one_outbox_file_is_one_transaction(client, officer):
    good, bad = talk(), talk(participants=None)
    entries = [{"officer": officer.username, "activity": good}, {"officer": officer.username, "activity": bad}]
    document = json.dumps({"format": "fieldkit-outbox", "version": 1, "entries": entries}).encode()
    answer = client.post(
        "/outbox/import",
        data={"file": (io.BytesIO(document), "outbox.json", "application/json")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert [r["status"] for r in answer.json["results"]] == ["stored", "rejected"]
    assert db.session.scalars(sa.select(Activity.uuid)).all() == [good["uuid"]]
