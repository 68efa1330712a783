"""Bulk verification: a confirmation that says how many, one audit event per entry, changed entries skipped and
reported, the supervisor's scope, CSRF, and errors that name the field."""

import re
import uuid as uuid_module
from datetime import datetime, timedelta
from html import unescape

import pytest

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, AuditEvent
from fieldkit.review import bulk
from fieldkit.review import services as review
from tests.factories import INSIDE_A, INSIDE_B, VN


def payload(where=INSIDE_A, declared="90001", days=1, **overrides) -> dict:
    """A talk as a validated form hands it to the service."""
    data = {
        "uuid": str(uuid_module.uuid4()),
        "type": "talk",
        "occurred_at": datetime.now(VN).replace(microsecond=0) - timedelta(days=days),
        "lat": where[0],
        "lon": where[1],
        "accuracy_m": 12.0,
        "location_source": "gps",
        "declared_area_code": declared,
        "topic": "Tuyên truyền giảm nghèo",
        "notes": "",
        "details": {"format": "talk", "participants": 30},
    }
    data.update(overrides)
    return data


@pytest.fixture
def officers(make_user, areas):
    """An officer in commune A and one in commune B."""
    return make_user("officer", "90001"), make_user("officer", "90002")


@pytest.fixture
def receive(officers):
    """Return a callable that stores an entry of the officer of A (or of B with in_b=True) and commits."""

    def make(in_b=False, **overrides) -> Activity:
        officer = officers[1] if in_b else officers[0]
        where = {"where": INSIDE_B, "declared": "90002"} if in_b else {}
        activity, _ = services.receive(officer, payload(**where, **overrides))
        db.session.commit()
        return activity

    return make


def pick(activity: Activity) -> str:
    return f"{activity.uuid}:{activity.version}"


def verify_events(activity: Activity) -> int:
    query = db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.entity_id == activity.uuid, AuditEvent.action == "verify"
    )
    return db.session.scalar(query)


def status(activity: Activity) -> str:
    db.session.expire_all()
    return db.session.get(Activity, activity.id).status


def test_ticked_entries_are_verified_after_a_confirmation_with_one_audit_event_each(
    client, make_user, login, receive, officers
):
    first, second, third = receive(days=1), receive(days=2), receive(days=3)
    supervisor = make_user("supervisor")
    login(supervisor)
    queue = client.get("/review?lang=en").text
    assert "3 entries wait for a decision" in queue
    assert f'value="{pick(first)}" form="bulk-form"' in queue

    confirm = client.post("/review/bulk?lang=en", data={"mode": "selected", "entry": [pick(first), pick(second)]})
    assert confirm.status_code == 200
    assert "2 entries will be verified." in confirm.text
    assert confirm.text.count('type="hidden" name="entry"') == 2
    assert status(first) == status(second) == ActivityStatus.SUBMITTED  # nothing happens before the confirmation

    done = client.post("/review/bulk/verify?lang=en", data={"mode": "selected", "entry": [pick(first), pick(second)]})
    assert done.status_code == 200 and "2 entries verified" in done.text and "skipped" not in done.text
    assert [status(a) for a in (first, second, third)] == ["verified", "verified", "submitted"]
    assert [verify_events(a) for a in (first, second, third)] == [1, 1, 0]
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.entity_id == first.uuid, AuditEvent.action == "verify")
    )
    assert (
        event.user_id == supervisor.id and event.before["status"] == "submitted" and event.after["status"] == "verified"
    )
    with pytest.raises(services.NotEditable):  # a verified entry can no longer be changed
        services.revise(officers[0], db.session.get(Activity, first.id), payload(uuid=first.uuid, topic="Sửa"))
    assert "1 entry waits for a decision" in client.get("/review?lang=en").text


def test_all_unflagged_of_the_filter_takes_the_submitted_entries_without_flags(client, make_user, login, receive):
    plain = [receive(days=d) for d in (1, 2)]
    vague = receive(days=3, accuracy_m=400.0)  # low accuracy: flagged
    in_b = receive(in_b=True)
    assert vague.flags == ["low_accuracy"] and not plain[0].flags
    login(make_user("supervisor"))
    queue = client.get("/review?area=90001&lang=en").text
    assert "3 entries wait for a decision" in queue
    assert "Verify all 2 unflagged entries of this filter" in queue

    confirm = client.post("/review/bulk?area=90001&lang=en", data={"mode": "unflagged"})
    assert "2 entries will be verified." in confirm.text
    assert vague.uuid not in confirm.text and in_b.uuid not in confirm.text
    entries = re.findall(r'type="hidden" name="entry" value="([^"]+)"', confirm.text)
    assert sorted(entries) == sorted(pick(a) for a in plain)

    done = client.post("/review/bulk/verify?area=90001", data={"mode": "unflagged", "entry": entries})
    assert done.status_code == 200
    assert [status(a) for a in (*plain, vague, in_b)] == ["verified", "verified", "submitted", "submitted"]
    assert "/review?area=90001" in done.text  # back to the same filter


def test_entries_that_changed_meanwhile_are_skipped_and_reported(client, make_user, login, receive, officers):
    edited, decided, withdrawn, kept = (receive(days=d) for d in (1, 2, 3, 4))
    login(make_user("supervisor"))
    confirm = client.post(
        "/review/bulk", data={"mode": "selected", "entry": [pick(a) for a in (edited, decided, withdrawn, kept)]}
    )
    chosen = re.findall(r'type="hidden" name="entry" value="([^"]+)"', confirm.text)
    assert len(chosen) == 4

    # Between the confirmation and the click: the officer edits one and withdraws another, a colleague returns one.
    services.revise(officers[0], edited, payload(uuid=edited.uuid, topic="Đã sửa nội dung"))
    review.return_to_officer(make_user("supervisor"), decided, "Thiếu ảnh")
    services.withdraw(officers[0], withdrawn)
    db.session.commit()

    done = client.post("/review/bulk/verify?lang=en", data={"mode": "selected", "entry": chosen})
    assert "1 entry verified" in done.text and "3 entries skipped" in done.text
    assert "The officer changed it after you chose it." in done.text
    assert "Its status changed meanwhile: it is now “returned for fixing”." in done.text
    assert "It was withdrawn, or is not in your scope." in done.text
    assert [status(a) for a in (edited, decided, kept)] == ["submitted", "returned", "verified"]
    assert [verify_events(a) for a in (edited, decided, withdrawn, kept)] == [0, 0, 0, 1]


def test_a_refusal_inside_the_batch_undoes_only_that_entry(app, make_user, receive):
    first, second = receive(days=1), receive(days=2)
    supervisor = make_user("supervisor")
    stale = bulk.Pick(first.uuid, first.version)
    first.topic = "changed behind the supervisor's back"  # a write the version check must catch
    db.session.commit()
    outcome = bulk.verify_all(supervisor, [stale, bulk.Pick(second.uuid, second.version)])
    db.session.commit()
    assert [a.uuid for a in outcome.verified] == [second.uuid]
    assert [(s.uuid, str(s.reason)) for s in outcome.skipped] == [(first.uuid, str(bulk.CHANGED))]
    assert (status(first), status(second)) == ("submitted", "verified")


def test_a_commune_supervisor_cannot_bulk_verify_another_communes_entries(client, make_user, login, receive):
    own, other = receive(), receive(in_b=True)
    login(make_user("supervisor", "90001"))
    assert "1 entry waits for a decision" in client.get("/review?lang=en").text

    confirm = client.post("/review/bulk?lang=en", data={"mode": "selected", "entry": [pick(own), pick(other)]})
    assert "1 entry will be verified." in confirm.text and "It was withdrawn, or is not in your scope." in confirm.text
    # Even posted straight to the last step, the other commune's entry is left alone.
    done = client.post("/review/bulk/verify?lang=en", data={"mode": "selected", "entry": [pick(own), pick(other)]})
    assert "1 entry verified" in done.text and "1 entry skipped" in done.text
    assert (status(own), status(other)) == ("verified", "submitted")
    assert verify_events(other) == 0
    nothing = client.post("/review/bulk?area=90002&lang=en", data={"mode": "unflagged"})
    assert "Nothing to verify" in nothing.text and other.uuid not in nothing.text


def test_bulk_posts_need_the_csrf_token(client, app, make_user, login, receive):
    entry = receive()
    login(make_user("supervisor"))
    app.config["WTF_CSRF_ENABLED"] = True
    for path in ("/review/bulk", "/review/bulk/verify"):
        assert client.post(path, data={"mode": "selected", "entry": [pick(entry)]}).status_code == 400
    assert status(entry) == "submitted"
    token = re.search(
        r'id="bulk-form"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"', client.get("/review").text
    )
    data = {"mode": "selected", "entry": [pick(entry)], "csrf_token": token.group(1)}
    assert client.post("/review/bulk/verify", data=data).status_code == 200
    assert status(entry) == "verified"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "selected"}, "Entries: Tick at least one entry to verify."),
        ({"mode": "selected", "entry": ["../etc/passwd"]}, "Entries: Not an entry of the list: '../etc/passwd'."),
        ({"mode": "everything", "entry": ["x"]}, "Verify: Not a valid choice."),
    ],
)
def test_bad_bulk_input_goes_back_to_the_queue_naming_the_field(client, make_user, login, receive, data, message):
    entry = receive()
    login(make_user("supervisor"))
    response = client.post("/review/bulk?area=90001&lang=en", data=data)
    assert response.status_code == 303 and response.headers["Location"].startswith("/review?area=90001")
    assert message in unescape(client.get(response.headers["Location"]).text)
    assert client.post("/review/bulk/verify?lang=en", data=data).status_code == 303
    assert status(entry) == "submitted"


def test_officers_have_no_bulk_decision(client, make_user, login, receive):
    entry = receive()
    login(db.session.get(type(entry.officer), entry.officer_id))
    assert client.post("/review/bulk/verify", data={"mode": "selected", "entry": [pick(entry)]}).status_code == 403
    assert status(entry) == "submitted"


def test_a_filter_with_more_than_the_limit_is_verified_in_batches(app, make_user, receive, monkeypatch):
    entries = [receive(days=d) for d in (1, 2, 3)]
    monkeypatch.setattr(bulk, "LIMIT", 2)
    supervisor = make_user("supervisor")
    plan = bulk.plan_unflagged(supervisor, review.QueueFilters(review.Filters()))
    assert (len(plan.entries), plan.total) == (2, 3)
    assert [a.uuid for a in plan.entries] == [
        entries[2].uuid,
        entries[1].uuid,
    ]  # the queue's order: last received first
