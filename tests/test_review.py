"""The supervisors' review: who sees the queue and which entries, verify and return with audit, CSRF, the map."""

import re
import unicodedata
import uuid as uuid_module
from datetime import datetime, timedelta
from html import unescape

import pytest

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import ActivityStatus, AuditEvent
from fieldkit.photos.services import attach, prepare
from maps.assets import Assets
from maps.review import Commune, entry_map
from tests.factories import INSIDE_A, INSIDE_B, SQUARES, VN, assets_from_elsewhere, jpeg, square

COMMENT = "Thiếu ảnh hiện trường"


def payload(where=INSIDE_A, declared="90001", minutes=0, **overrides) -> dict:
    """A talk as a validated form hands it to the service."""
    data = {
        "uuid": str(uuid_module.uuid4()),
        "type": "talk",
        "occurred_at": datetime.now(VN).replace(microsecond=0) - timedelta(days=1, minutes=-minutes),
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
def entries(make_user, areas):
    """One officer's entry in commune A and another's in commune B; return (officer A, entry A, entry B)."""
    officer_a, officer_b = make_user("officer", "90001"), make_user("officer", "90002")
    entry_a, _ = services.receive(officer_a, payload())
    entry_b, _ = services.receive(officer_b, payload(INSIDE_B, "90002"))
    db.session.commit()
    return officer_a, entry_a, entry_b


@pytest.fixture
def supervisor(make_user, login, areas):
    """A logged-in city-wide supervisor."""
    user = make_user("supervisor")
    login(user)
    return user


@pytest.mark.parametrize(
    ("role", "area", "sees_a", "sees_b"),
    [
        ("officer", "90001", None, None),
        ("supervisor", "90001", True, False),
        ("supervisor", None, True, True),
        ("admin", None, True, True),
    ],
)
def test_who_may_review_what(client, make_user, login, entries, role, area, sees_a, sees_b):
    _officer, entry_a, entry_b = entries
    login(make_user(role, area))
    queue = client.get("/review")
    if sees_a is None:
        assert queue.status_code == 403
        assert client.get(f"/review/{entry_a.uuid}").status_code == 403
        assert client.post(f"/review/{entry_a.uuid}", data={"decision": "verify"}).status_code == 403
        assert "/review" not in client.get("/").text
        return
    assert queue.status_code == 200 and 'href="/review"' in client.get("/", follow_redirects=True).text
    for entry, seen in ((entry_a, sees_a), (entry_b, sees_b)):
        assert (entry.uuid in queue.text) is seen
        assert client.get(f"/review/{entry.uuid}").status_code == (200 if seen else 404)
    response = client.post(f"/review/{entry_b.uuid}", data={"decision": "verify"})
    assert response.status_code == (302 if sees_b else 404)


def test_verify_records_an_audit_event_and_ends_editing(client, supervisor, entries, login):
    officer, entry, _ = entries
    response = client.post(f"/review/{entry.uuid}", data={"decision": "verify", "version": entry.version})
    assert response.status_code == 302 and response.headers["Location"] == "/review"
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.VERIFIED
    event = db.session.scalar(db.select(AuditEvent).filter_by(entity_id=entry.uuid, action="verify"))
    assert event.user_id == supervisor.id
    assert event.before["status"] == "submitted" and event.after["status"] == "verified"
    assert entry.uuid not in client.get("/review").text, "the queue shows submitted entries by default"
    assert entry.uuid in client.get("/review?status=verified").text
    again = client.post(f"/review/{entry.uuid}?lang=en", data={"decision": "verify"})
    assert "This entry is already verified." in client.get(again.headers["Location"]).text
    client.post("/logout")
    login(officer)
    assert client.get(f"/activities/{entry.uuid}/edit").status_code == 403


def test_return_needs_a_comment_that_names_the_field(client, supervisor, entries):
    _officer, entry, _ = entries
    response = client.post(f"/review/{entry.uuid}?lang=en", data={"decision": "return", "comment": "   "})
    assert response.status_code == 400
    field = re.search(r'<div class="field has-error" id="field-comment">(.*?)</div>', response.text, re.S)
    assert field and "Comment for the officer" in field.group(1)
    assert "Required when returning an entry" in field.group(1)
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.SUBMITTED
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(action="return")) == 0
    too_long = client.post(f"/review/{entry.uuid}", data={"decision": "return", "comment": "x" * 2001})
    assert too_long.status_code == 400


def test_return_then_the_officer_fixes_and_it_comes_back(client, supervisor, entries, login):
    officer, entry, _ = entries
    decomposed = unicodedata.normalize("NFD", COMMENT)
    response = client.post(f"/review/{entry.uuid}", data={"decision": "return", "comment": decomposed})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.RETURNED and entry.review_comment == COMMENT
    event = db.session.scalar(db.select(AuditEvent).filter_by(entity_id=entry.uuid, action="return"))
    assert event.before["status"] == "submitted" and event.after == {"status": "returned", "review_comment": COMMENT}

    client.post("/logout")
    login(officer)
    assert entry.uuid in client.get("/").text
    assert COMMENT in client.get(f"/activities/{entry.uuid}").text
    form = {
        "uuid": entry.uuid,
        "type": "talk",
        "occurred_at": entry.local_occurred_at.strftime("%Y-%m-%dT%H:%M"),
        "lat": str(INSIDE_A[0]),
        "lon": str(INSIDE_A[1]),
        "accuracy_m": "12",
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": "Đã bổ sung ảnh",
        "format": "talk",
        "participants": "30",
    }
    assert client.post(f"/activities/{entry.uuid}/edit", data=form).status_code == 302
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.SUBMITTED
    fixed = db.session.scalar(db.select(AuditEvent).filter_by(entity_id=entry.uuid, action="update"))
    assert fixed.user_id == officer.id
    assert fixed.before["status"] == "returned" and fixed.after["status"] == "submitted"

    client.post("/logout")
    login(supervisor)
    assert entry.uuid in client.get("/review").text
    history = client.get(f"/review/{entry.uuid}?lang=en").text
    assert "returned for fixing" in history and COMMENT in history and "changed by the officer" in history


def test_a_decision_on_a_changed_entry_is_refused(client, supervisor, entries):
    _officer, entry, _ = entries
    seen = entry.version
    entry.topic = "Changed by the officer meanwhile"
    db.session.commit()
    response = client.post(f"/review/{entry.uuid}?lang=en", data={"decision": "verify", "version": seen})
    assert response.status_code == 302
    assert "changed while you were looking" in client.get(response.headers["Location"] + "?lang=en").text
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.SUBMITTED


def test_review_posts_need_the_csrf_token(client, app, supervisor, entries):
    _officer, entry, _ = entries
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/review/{entry.uuid}", data={"decision": "verify"}).status_code == 400
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.SUBMITTED
    page = client.get(f"/review/{entry.uuid}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.split('action="/review/')[1]).group(1)
    response = client.post(f"/review/{entry.uuid}", data={"decision": "verify", "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.status == ActivityStatus.VERIFIED


def test_queue_filters_flagged_first_and_pages(client, app, supervisor, entries):
    officer, entry_a, entry_b = entries
    vague, _ = services.receive(officer, payload(minutes=30, accuracy_m=400.0))
    db.session.commit()
    assert vague.flags == ["low_accuracy"]
    only = client.get("/review?flag=low_accuracy").text
    assert vague.uuid in only and entry_a.uuid not in only and entry_b.uuid not in only
    assert "Low GPS accuracy" in client.get("/review?lang=en").text
    in_b = client.get("/review?area=90002").text
    assert entry_b.uuid in in_b and entry_a.uuid not in in_b
    by_officer = client.get(f"/review?officer={officer.username}").text
    assert entry_b.uuid not in by_officer and entry_a.uuid in by_officer

    app.config["FIELDKIT_PAGE_SIZE"] = 2
    seen = []
    url = "/review?flagged_first=y"
    while url:
        page = client.get(url).text
        seen += re.findall(r'href="/review/([0-9a-f-]{36})"', page)
        more = re.search(r'href="(/review\?[^"]*cursor=[^"]+)"', page)
        url = unescape(more.group(1)) if more else None
    assert seen == [vague.uuid, entry_b.uuid, entry_a.uuid]
    assert client.get("/review?cursor=nonsense").status_code == 400
    assert client.get("/review?flag=unknown").status_code == 400


def test_the_entry_page_explains_flags_with_numbers_and_draws_the_map(client, supervisor, make_user):
    officer = make_user("officer", "90001")
    entry, _ = services.receive(officer, payload(INSIDE_B, "90001", accuracy_m=150.0))
    db.session.commit()
    page = client.get(f"/review/{entry.uuid}?lang=en").text
    assert "The GPS fix was accurate to ±150 m; the limit is 100 m." in page
    assert "The GPS point lies in Xã Bình Thử, but the officer chose Phường An Thử." in page
    assert "/static/vendor/leaflet/leaflet.js" in page  # the map is on the page itself, with the CSP nonce
    assert assets_from_elsewhere(page) == []
    assert page.count("bindTooltip") == 2  # the declared commune and the GPS commune


def test_travel_is_explained_with_distance_time_and_speed(client, supervisor, make_user):
    officer = make_user("officer", "90001")
    first, _ = services.receive(officer, payload())
    second, _ = services.receive(officer, payload(INSIDE_B, "90002", minutes=1))
    db.session.commit()
    page = client.get(f"/review/{second.uuid}?lang=en").text
    assert "2.2 km from the officer&#39;s previous entry, 60 seconds earlier: 132 km/h (the limit is 120 km/h)." in page
    assert f'href="/review/{first.uuid}"' in page


def test_photo_flags_are_explained_per_photo(client, supervisor, make_user):
    officer = make_user("officer", "90001")
    first, _ = services.receive(officer, payload())
    second, _ = services.receive(officer, payload(minutes=300))
    photo = jpeg()
    attach(first, 0, prepare(photo, lat=10.05, lon=INSIDE_A[1]))  # 4.4 km north of the entry
    attach(second, 0, prepare(photo, taken_at=second.local_occurred_at - timedelta(hours=30)))
    db.session.commit()
    page = client.get(f"/review/{first.uuid}?lang=en").text
    assert "Photo 1 was taken 4.4 km from where the entry was recorded." in page
    assert "Photo 1 is also used in 1 other entry." in page and f'href="/review/{second.uuid}"' in page
    assert "Photo 1 was taken 30 hours before the activity." in client.get(f"/review/{second.uuid}?lang=en").text


def test_entry_map_draws_the_point_and_both_communes_without_a_cdn():
    a, b = (Commune(code, name, square(box)) for code, (name, _kind, box) in SQUARES.items())
    m = entry_map(Assets("/static/vendor"), None, INSIDE_B, 500.0, declared=a, located=b)
    html = m.get_root().render()
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', html))
    assert html.count("L.circle(") == 1 and html.count("L.circleMarker(") == 1
    (south, west), (north, east) = m.get_bounds()
    assert (south, west) == pytest.approx((10.0, 105.70)) and (north, east) == pytest.approx((10.02, 105.74))
    same = entry_map(Assets("/static/vendor"), None, INSIDE_A, None, declared=a, located=a).get_root().render()
    assert same.count("bindTooltip") == 1 and "L.circle(" not in same


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"point": (105.7, 10.0, 3)}, "Expected two (lat, lon) values"),
        ({"point": (105.7, 200.0)}, "Expected (lat, lon) in degrees"),
        ({"point": INSIDE_A, "accuracy_m": -1.0}, "Expected an accuracy in metres"),
    ],
)
def test_entry_map_refuses_bad_input_naming_the_value(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        entry_map(Assets("/static/vendor"), None, **kwargs)
    with pytest.raises(ValueError, match="Expected a GeoJSON Polygon"):
        Commune("1", "x", {"type": "Point", "coordinates": [105.7, 10.0]})
