"""An entry's history shows each change as "field: before → after", in the reader's language and words."""

import re
import uuid as uuid_module
from datetime import datetime
from html import unescape

import pytest

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import AuditEvent
from fieldkit.review import history
from fieldkit.review import services as review
from tests.factories import INSIDE_A, INSIDE_B, VN, jpeg


def talk(**overrides) -> dict:
    data = {
        "uuid": str(uuid_module.uuid4()),
        "type": "talk",
        "occurred_at": datetime(2025, 10, 6, 9, 30, tzinfo=VN),
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "accuracy_m": 12.0,
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": "Tuyên truyền giảm nghèo",
        "notes": "",
        "details": {"format": "talk", "participants": 30, "poor_members": 4},
    }
    data.update(overrides)
    return data


@pytest.fixture
def entry(make_user, areas):
    """A talk in commune A, then edited by its officer: later time, another format, more participants, moved to B."""
    officer = make_user("officer", "90001")
    activity, _ = services.receive(officer, talk())
    db.session.commit()
    edited = talk(
        uuid=activity.uuid,
        occurred_at=datetime(2025, 10, 6, 14, 0, tzinfo=VN),
        lat=INSIDE_B[0] + 0.000004,
        lon=INSIDE_B[1],
        location_source="map",
        declared_area_code="90002",
        topic="Đối thoại chính sách",
        details={"format": "dialogue", "participants": 1250, "women": 12},
    )
    services.revise(officer, activity, edited)
    db.session.commit()
    return activity


def lines(page: str) -> list[str]:
    """The changes the history shows, as text."""
    found = re.findall(r'<li><span class="field">(.*?)</span>: <del>(.*?)</del> → <ins>(.*?)</ins></li>', page)
    return [unescape(f"{label}: {before} → {after}") for label, before, after in found]


def steps(activity):
    return history.steps(review.history(activity))


def test_an_edit_shows_each_changed_field_with_words_not_codes(app, entry):
    with app.test_request_context("/?lang=en"):
        created, edited = steps(entry)
        assert created.changes == []
        shown = [f"{c.label}: {c.before} → {c.after}" for c in edited.changes]
    assert shown == [
        "Format: Thematic talk → Policy dialogue",
        "Participants: 30 → 1,250",
        "Participants from poor households: 4 → —",
        "Women participants: — → 12",
        "Date and time: 06/10/2025 09:30 → 06/10/2025 14:00",
        "Latitude: 10.01 → 10.010004",  # a move of less than a metre still shows
        "Longitude: 105.71 → 105.73",
        "Position from: GPS → placed on the map",
        "Commune (GPS): Phường An Thử → Xã Bình Thử",
        "Commune chosen by the officer: Phường An Thử → Xã Bình Thử",
        "Topic / title: Tuyên truyền giảm nghèo → Đối thoại chính sách",
    ]


def test_the_page_shows_the_changes_in_vietnamese(client, make_user, login, entry):
    login(make_user("supervisor"))
    review_comment = "Thiếu ảnh hiện trường"
    client.post(f"/review/{entry.uuid}", data={"decision": "return", "comment": review_comment})
    page = client.get(f"/review/{entry.uuid}?lang=vi").text
    shown = lines(page)
    assert "Hình thức: Nói chuyện chuyên đề → Đối thoại chính sách" in shown
    assert "Số người tham dự: 30 → 1.250" in shown  # Vietnamese separators
    assert "Trạng thái: đã gửi → trả lại để sửa" in shown
    assert f"Nhận xét khi duyệt: — → {review_comment}" in shown
    assert "talk" not in " ".join(shown) and "90002" not in " ".join(shown)  # no codes


def test_a_decision_shows_status_and_comment(app, make_user, entry):
    supervisor = make_user("supervisor")
    review.verify(supervisor, entry, "Đủ minh chứng")
    db.session.commit()
    with app.test_request_context("/?lang=en"):
        decision = steps(entry)[-1]
        assert decision.who.id == supervisor.id
        assert [(c.label, c.before, c.after) for c in decision.changes] == [
            ("Status", "submitted", "verified"),
            ("Review comment", "—", "Đủ minh chứng"),
        ]


def test_photo_removal_and_withdrawal_read_as_changes(app, make_user, areas):
    from fieldkit.photos.services import prepare

    officer = make_user("officer", "90001")
    with app.test_request_context("/"):
        activity, _ = services.receive(officer, talk(), {0: prepare(jpeg())})
        db.session.commit()
        services.remove_photo(officer, activity, 0)
        services.withdraw(officer, activity)
        db.session.commit()
    with app.test_request_context("/?lang=en"):
        events = {step.event.action: step.changes for step in steps(activity)}
        assert [(c.label, c.before, c.after) for c in events["remove_photo"]] == [("Photo 1", "present", "removed")]
        assert [(c.label, c.before, c.after) for c in events["withdraw"]] == [("Withdrawn", "no", "yes")]


def test_an_event_without_snapshots_changes_nothing_it_cannot_show(app, areas):
    event = AuditEvent(action="update", entity="activity", entity_id="x", before=None, after={"status": "submitted"})
    with app.test_request_context("/?lang=en"):
        assert [(c.label, c.before, c.after) for c in history.changes(event)] == [("Status", "—", "submitted")]
        assert history.label("no_such_field") == "no_such_field"
