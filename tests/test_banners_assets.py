"""A banner entry's quantity makes banners; edits add or retire them; a withdrawal retires them all."""

from datetime import date

from fieldkit.banners.codes import ALPHABET, LENGTH, normalise
from fieldkit.extensions import db
from fieldkit.models import Activity, Banner
from tests.factories import talk


def banner_entry(**overrides) -> dict:
    """A valid banner entry as the phone sends it."""
    body = talk(type="banner", kind="panel", quantity=3, size_m2=2.5, message="Vì người nghèo", remove_by="2026-12-31")
    for name in ("format", "participants", "poor_members", "near_poor_members", "women"):
        body.pop(name)
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def live_banners(uuid: str) -> list[Banner]:
    db.session.expire_all()  # as the requests left them
    query = db.select(Banner).filter_by(activity_uuid=uuid, retired_at=None).order_by(Banner.ordinal)
    return list(db.session.scalars(query))


def test_a_banner_entry_makes_one_banner_per_item(client, officer):
    body = banner_entry()
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code == 201, response.json
    assert response.json["remove_by"] == "2026-12-31"
    banners = live_banners(body["uuid"])
    assert [b.ordinal for b in banners] == [1, 2, 3]
    activity = db.session.scalar(db.select(Activity))
    for banner in banners:
        assert len(banner.code) == LENGTH and set(banner.code) <= set(ALPHABET)
        assert (banner.kind, banner.message, banner.size_m2) == ("panel", "Vì người nghèo", 2.5)
        assert (banner.lat, banner.lon, banner.area_code) == (activity.lat, activity.lon, "90001")
        assert banner.installed_at == activity.occurred_at and banner.remove_by == date(2026, 12, 31)
        assert banner.state == "standing" and banner.officer_id == officer.id
    assert len({b.code for b in banners}) == 3
    assert client.post("/api/v1/activities", json=body).status_code == 200  # a replay makes no more
    assert len(live_banners(body["uuid"])) == 3


def test_other_types_make_no_banner(client, officer):
    assert client.post("/api/v1/activities", json=talk()).status_code == 201
    assert db.session.scalar(db.select(db.func.count(Banner.id))) == 0


def test_editing_the_quantity_adds_or_retires_banners(client, officer):
    body = banner_entry(quantity=2)
    client.post("/api/v1/activities", json=body)
    first = [b.code for b in live_banners(body["uuid"])]
    response = client.put(f"/api/v1/activities/{body['uuid']}", json={**body, "quantity": 4, "version": 1})
    assert response.status_code == 200, response.json
    now = live_banners(body["uuid"])
    assert [b.ordinal for b in now] == [1, 2, 3, 4] and [b.code for b in now[:2]] == first
    response = client.put(f"/api/v1/activities/{body['uuid']}", json={**body, "quantity": 1, "message": "Mới"})
    assert response.status_code == 200, response.json
    now = live_banners(body["uuid"])
    assert [b.code for b in now] == first[:1] and now[0].message == "Mới"
    assert db.session.scalar(db.select(db.func.count(Banner.id))) == 4  # retired ones are kept


def test_a_withdrawn_entry_retires_its_banners(client, officer):
    body = banner_entry()
    client.post("/api/v1/activities", json=body)
    assert client.delete(f"/api/v1/activities/{body['uuid']}").status_code == 204
    assert live_banners(body["uuid"]) == []


def test_a_changed_type_retires_the_banners(client, officer):
    body = banner_entry(quantity=2)
    client.post("/api/v1/activities", json=body)
    edit = {**talk(uuid=body["uuid"]), "version": 1}
    assert client.put(f"/api/v1/activities/{body['uuid']}", json=edit).status_code == 200
    assert live_banners(body["uuid"]) == []


def test_remove_by_is_checked_with_a_clear_message(client, officer):
    response = client.post("/api/v1/activities", json=banner_entry(remove_by="31/12/2026"))
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json["fields"]["remove_by"][0]
    response = client.post("/api/v1/activities", json=banner_entry(remove_by="2025-01-02"))
    assert response.status_code == 400 and "remove_by" in response.json["fields"]
    assert db.session.scalar(db.select(db.func.count(Banner.id))) == 0


def test_typed_codes_are_read_as_printed():
    assert normalise("ab-c0 1z") == "ABC01Z"
    assert normalise("abco1z") == "ABC01Z"  # O read as 0
    assert normalise("abcdeu") is None  # U is not in the alphabet
    assert normalise("abc") is None
