"""The officer's pages: log in, record with photos, list, view, edit; errors shown on the form."""

import io
from datetime import datetime, timedelta

import pytest

from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, Photo
from tests.factories import INSIDE_A, VN, jpeg


def form_data(**overrides) -> dict:
    """A talk as the page posts it (every field is a string; the browser leaves others blank)."""
    data = {
        "uuid": "3f1d7a52-1a5b-4d2e-9c55-0d7e2b6f4a10",
        "type": "talk",
        "occurred_at": (datetime.now(VN) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "lat": str(INSIDE_A[0]),
        "lon": str(INSIDE_A[1]),
        "accuracy_m": "8",
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": "Đối thoại chính sách",
        "format": "talk",
        "participants": "35",
        "poor_members": "4",
        "copies": "",
        "quantity": "",
    }
    data.update(overrides)
    return data


def with_photos(data: dict, *photos: bytes) -> dict:
    data["photos"] = [(io.BytesIO(p), f"anh{i}.jpg", "image/jpeg") for i, p in enumerate(photos)]
    return data


def test_login_page_and_wrong_password(client, make_user):
    assert "username" in client.get("/login").text
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": "nope-nope"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_deactivated_user_is_out_at_the_next_request(client, officer):
    assert client.get("/").status_code == 200
    officer.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_record_a_talk_with_photos_and_see_it_listed(client, officer):
    page = client.get("/activities/new")
    assert page.status_code == 200 and 'name="uuid"' in page.text
    response = client.post(
        "/activities/new",
        data=with_photos(form_data(), jpeg(), jpeg(colour=(0, 90, 0))),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    activity = db.session.scalar(db.select(Activity))
    assert activity.area_code == "90001" and activity.details == {
        "format": "talk",
        "participants": 35,
        "poor_members": 4,
    }
    assert [p.index for p in activity.photos] == [0, 1]
    listing = client.get("/activities").text
    assert "Đối thoại chính sách" in listing and "Phường An Thử" in listing
    detail = client.get(response.headers["Location"]).text
    assert "0.thumb.jpg" in detail and "1.thumb.jpg" in detail


def test_double_submit_stores_one_entry(client, officer):
    data = form_data()
    assert client.post("/activities/new", data=data).status_code == 302
    assert client.post("/activities/new", data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": ""}, "type"),
        ({"type": "concert"}, "type"),
        ({"lat": "91"}, "lat"),
        ({"lon": ""}, "lon"),
        ({"occurred_at": "31/12/2024"}, "occurred_at"),
        ({"participants": "-3"}, "participants"),
        ({"participants": "10", "poor_members": "11"}, "poor_members"),
        ({"topic": "x" * 201}, "topic"),
        ({"declared_area_code": "12345"}, "declared_area_code"),
    ],
)
def test_form_errors_are_shown_on_the_page_and_nothing_is_stored(client, officer, change, field):
    response = client.post("/activities/new", data=form_data(**change))
    assert response.status_code == 400
    assert f'id="field-{field}"' in response.text and 'class="error"' in response.text
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_a_bad_photo_or_a_sixth_keeps_the_form_and_stores_nothing(client, officer, app):
    response = client.post(
        "/activities/new", data=with_photos(form_data(), b"not an image at all"), content_type="multipart/form-data"
    )
    assert response.status_code == 400 and "không phải là ảnh" in response.text
    response = client.post(
        "/activities/new", data=with_photos(form_data(), *[jpeg()] * 6), content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0


def test_edit_until_verified(client, officer):
    client.post("/activities/new", data=form_data())
    activity = db.session.scalar(db.select(Activity))
    edit = f"/activities/{activity.uuid}/edit"
    assert 'value="Đối thoại chính sách"' in client.get(edit).text
    assert client.post(edit, data=form_data(topic="Sửa lại", participants="50")).status_code == 302
    db.session.refresh(activity)
    assert activity.topic == "Sửa lại" and activity.people_reached == 50
    activity.status = ActivityStatus.VERIFIED
    db.session.commit()
    assert client.get(edit).status_code == 403


def test_returned_entries_show_on_home_and_go_back_when_fixed(client, officer):
    client.post("/activities/new", data=form_data())
    activity = db.session.scalar(db.select(Activity))
    activity.status, activity.review_comment = ActivityStatus.RETURNED, "Thiếu ảnh"
    db.session.commit()
    assert "Thiếu ảnh" in client.get(f"/activities/{activity.uuid}").text
    home = client.get("/").text
    assert activity.uuid in home
    client.post(f"/activities/{activity.uuid}/edit", data=form_data(topic="Bổ sung"))
    db.session.refresh(activity)
    assert activity.status == ActivityStatus.SUBMITTED


def test_officers_see_only_their_own_entries(client, officer, make_user, login):
    client.post("/activities/new", data=form_data())
    uuid = db.session.scalar(db.select(Activity.uuid))
    client.post("/logout")
    login(make_user("officer", "90001"))
    assert client.get(f"/activities/{uuid}").status_code == 404
    assert client.get(f"/activities/{uuid}/edit").status_code == 404
    assert uuid not in client.get("/activities").text


def test_supervisors_cannot_record(client, make_user, login, areas):
    login(make_user("supervisor"))
    assert client.get("/activities/new").status_code == 403


def test_login_does_not_follow_offsite_next(client, make_user):
    user = make_user()
    response = client.post(
        "/login?next=//evil.example/x", data={"username": user.username, "password": "correct-horse-9"}
    )
    assert response.headers["Location"] == "/"


def test_failed_logins_are_limited_per_account_but_the_api_is_not(client, make_user, areas):
    victim = make_user(username="nan-nhan")
    for _ in range(5):
        assert client.post("/login", data={"username": "nan-nhan", "password": "wrong-wrong"}).status_code == 400
    limited = client.post("/login", data={"username": "nan-nhan", "password": "wrong-wrong"})
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    # The right password is refused too while the account is limited, and the message says to wait.
    assert client.post("/login", data={"username": victim.username, "password": "correct-horse-9"}).status_code == 429
    # Another account from the same address is not blocked by this one's limit.
    other = make_user(username="khac", area_code="90001")
    assert client.post("/login", data={"username": other.username, "password": "correct-horse-9"}).status_code == 302
    for _ in range(300):  # a phone flushing a long outbox is never refused
        assert client.get("/api/v1/activities?limit=1").status_code == 200


def test_the_type_choice_is_a_radio_group_that_may_say_it_is_required(client, officer):
    """aria-required is not allowed on a plain fieldset (role group); a radiogroup may carry it."""
    page = client.get("/activities/new").text
    start = page.index('id="field-type"')
    tag = page[page.rindex("<fieldset", 0, start) : page.index(">", start) + 1]
    assert 'role="radiogroup"' in tag and 'aria-required="true"' in tag
