"""Changing sent entries from the phone, on the server's side: the entries the phone keeps offline (the last 50
and every returned one, with stamps that change with their pages), the page's withdrawal, and what the pages carry
for the outbox (version, stored photos, the withdraw form)."""

import json
import re

from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus
from tests.factories import jpeg, talk

API = "/api/v1/activities"


def post(client, **overrides) -> str:
    body = talk(**overrides)
    assert client.post(API, json=body).status_code == 201
    return body["uuid"]


def kept(client) -> dict:
    response = client.get("/offline-pages")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return {e["uuid"]: e for e in response.json["entries"]}


def set_status(uuid, status):
    activity = db.session.scalar(db.select(Activity).filter_by(uuid=uuid))
    activity.status = status
    db.session.commit()


def test_the_phone_keeps_the_last_50_and_every_returned_entry(client, officer, make_user, login):
    returned = post(client, topic="Trả lại")
    set_status(returned, ActivityStatus.RETURNED)
    recent = [post(client, topic=f"Buổi {n}") for n in range(50)]
    entries = kept(client)
    assert set(entries) == {returned, *recent}
    assert list(entries)[:2] == [recent[-1], recent[-2]]  # newest first
    newest = entries[recent[-1]]
    assert newest["urls"] == [f"/activities/{recent[-1]}", f"/activities/{recent[-1]}/edit"]

    older = post(client, topic="Mới nhất")  # the oldest submitted one leaves; the returned one stays
    assert set(kept(client)) == {returned, older, *recent[1:]}

    other = make_user("officer", "90001")
    client.post("/logout")
    login(other)
    assert kept(client) == {}


def test_a_stamp_changes_with_what_the_entry_page_shows(client, officer):
    uuid = post(client)
    first = kept(client)[uuid]
    assert kept(client)[uuid]["stamp"] == first["stamp"]
    assert client.put(f"{API}/{uuid}/photos/0", data=jpeg(), content_type="image/jpeg").status_code == 201
    with_photo = kept(client)[uuid]
    assert with_photo["stamp"] != first["stamp"]
    assert with_photo["urls"][-1] == f"/activities/{uuid}/photos/0.thumb.jpg"
    assert client.put(f"{API}/{uuid}", json={**talk(uuid=uuid, topic="Sửa"), "version": 1}).status_code == 200
    edited = kept(client)[uuid]
    assert edited["stamp"] != with_photo["stamp"]
    set_status(uuid, ActivityStatus.VERIFIED)
    verified = kept(client)[uuid]
    assert verified["stamp"] != edited["stamp"]
    assert f"/activities/{uuid}/edit" not in verified["urls"]  # no longer editable: no edit page to keep
    assert client.get(f"/activities/{uuid}/photos/0.thumb.jpg").status_code == 200
    assert client.get("/offline-pages?lang=en").json["entries"][0]["stamp"] != verified["stamp"]


def test_withdrawing_on_the_page_takes_the_entry_off_the_lists(client, officer):
    uuid, other = post(client, topic="Ghi nhầm"), post(client, topic="Đúng")
    page = client.get(f"/activities/{uuid}").text
    assert f'action="/activities/{uuid}/withdraw"' in page and "Rút lại" in page
    answer = client.post(f"/activities/{uuid}/withdraw")
    assert answer.status_code == 302 and answer.location == "/activities"
    listing = client.get("/activities").text
    assert uuid not in listing and other in listing and "Đã rút lại mục này." in listing
    assert client.get(f"/activities/{uuid}").status_code == 404
    assert client.post(f"/activities/{uuid}/withdraw").status_code == 302  # again: nothing more happens
    assert uuid not in kept(client)
    activity = db.session.scalar(db.select(Activity).filter_by(uuid=uuid))
    assert activity.deleted_at is not None  # kept, not deleted


def test_a_verified_entry_offers_no_withdrawal_and_refuses_one(client, officer):
    uuid = post(client)
    set_status(uuid, ActivityStatus.VERIFIED)
    assert "/withdraw" not in client.get(f"/activities/{uuid}").text
    assert client.post(f"/activities/{uuid}/withdraw").status_code == 403
    assert db.session.scalar(db.select(Activity).filter_by(uuid=uuid)).deleted_at is None


def test_the_edit_page_carries_the_version_and_the_stored_photos_for_the_outbox(client, officer):
    uuid = post(client)
    client.put(f"{API}/{uuid}/photos/0", data=jpeg(), content_type="image/jpeg")
    client.put(f"{API}/{uuid}/photos/1", data=jpeg(colour=(0, 90, 0)), content_type="image/jpeg")
    client.delete(f"{API}/{uuid}/photos/0")
    page = client.get(f"/activities/{uuid}/edit").text
    assert 'data-outbox="edit"' in page and 'data-version="1"' in page
    stored = json.loads(re.search(r'data-stored="([^"]*)"', page).group(1).replace("&#34;", '"'))
    activity = db.session.scalar(db.select(Activity).filter_by(uuid=uuid))
    assert stored == [
        {"index": 1, "sha256": activity.photos[0].sha256, "src": f"/activities/{uuid}/photos/1.thumb.jpg"}
    ]
    assert 'capture="environment"' in page and 'id="photo-choose"' in page
    assert "js/outbox-edits.js" in page and "js/photo-picker.js" in page
    new = client.get("/activities/new").text
    assert 'data-stored="[]"' in new and "js/outbox-edits.js" not in new


def test_the_service_worker_sends_changes_and_asks_for_the_entries_to_keep(client):
    source = client.get("/sw.js").text
    scripts = json.loads(re.search(r"importScripts\.apply\(self, (\[.*?\])\);", source).group(1))
    assert [s.split("?")[0] for s in scripts] == [
        "/static/js/outbox-store.js",
        "/static/js/outbox-sync.js",
        "/static/js/outbox-changes.js",
        "/static/js/outbox-inspection.js",
    ]
    assert 'var ENTRIES = "/offline-pages";' in source
