"""Honest positions: where a point came from (gps, map, typed, none), and the manual_position flag it earns."""

import pytest
from sqlalchemy import update

from fieldkit.activities import quality
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.vocabulary import ACCEPTED_LOCATION_SOURCES
from tests.factories import INSIDE_A, talk


def stored(uuid: str) -> Activity:
    db.session.expire_all()
    return db.session.scalar(db.select(Activity).filter_by(uuid=uuid))


@pytest.mark.parametrize(
    ("source", "accuracy", "flagged"),
    [("gps", 12.5, False), ("map", None, True), ("typed", None, True)],
)
def test_each_source_is_stored_and_a_placed_or_typed_point_is_flagged(client, officer, source, accuracy, flagged):
    body = talk(location_source=source)
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code == 201, response.json
    assert response.json["location_source"] == source
    assert response.json["accuracy_m"] == accuracy  # an accuracy belongs to a GPS fix only
    assert ("manual_position" in response.json["flags"]) is flagged
    row = stored(body["uuid"])
    assert (row.location_source, row.accuracy_m) == (source, accuracy)
    assert ("manual_position" in row.flags) is flagged


def test_no_position_is_stored_as_none_and_not_flagged(client, officer):
    body = talk(lat=None, lon=None, accuracy_m=None, location_source="none")
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code == 201, response.json
    assert response.json["location_source"] == "none"
    assert "manual_position" not in response.json["flags"]


@pytest.mark.parametrize("source", ["photo", "satellite", "GPS"])
def test_an_unknown_source_is_refused_naming_the_field_and_what_is_accepted(client, officer, source):
    response = client.post("/api/v1/activities", json=talk(location_source=source))
    assert response.status_code == 400, response.json
    message = response.json["fields"]["location_source"][0]
    assert "gps, map, typed, none" in message
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_a_position_said_to_be_none_asks_for_one_of_the_real_sources(client, officer):
    response = client.post("/api/v1/activities", json=talk(location_source="none"))
    assert response.status_code == 400
    assert response.json["fields"]["location_source"] == ["Cho biết vị trí lấy từ đâu: gps, map hoặc typed."]


def test_an_edit_from_gps_to_typed_earns_the_flag_and_back_to_gps_loses_it(client, officer):
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    typed = {**body, "lat": INSIDE_A[0] + 0.001, "location_source": "typed", "version": 1}
    response = client.put(f"/api/v1/activities/{body['uuid']}", json=typed)
    assert response.status_code == 200, response.json
    assert "manual_position" in response.json["flags"] and response.json["accuracy_m"] is None
    back = {**body, "version": response.json["version"]}
    response = client.put(f"/api/v1/activities/{body['uuid']}", json=back)
    assert response.status_code == 200, response.json
    assert "manual_position" not in response.json["flags"] and response.json["accuracy_m"] == 12.5


def test_the_bulk_refresh_flags_stored_map_points_and_reads_an_old_photo_source(client, officer, app):
    a, b = talk(), talk()
    for body in (a, b):
        assert client.post("/api/v1/activities", json=body).status_code == 201
    # Stored before this change: a map point without the flag, and the retired "photo" source.
    db.session.execute(update(Activity).where(Activity.uuid == a["uuid"]).values(location_source="map", flags=[]))
    db.session.execute(update(Activity).where(Activity.uuid == b["uuid"]).values(location_source="photo"))
    db.session.commit()
    ids = db.session.scalars(db.select(Activity.id)).all()
    assert quality.refresh_flags(ids) == 1
    db.session.commit()
    assert stored(a["uuid"]).flags == ["manual_position"]
    assert stored(b["uuid"]).flags == []
    answer = client.get(f"/api/v1/activities/{b['uuid']}")
    assert answer.status_code == 200 and answer.json["location_source"] == "photo"
    page = client.get(f"/activities/{b['uuid']}").get_data(as_text=True)
    assert "vị trí trong ảnh" in page  # the interface speaks Vietnamese first


def test_the_entry_page_and_the_review_page_say_the_point_was_placed_by_hand(client, officer, make_user, login):
    body = talk(location_source="map")
    assert client.post("/api/v1/activities", json=body).status_code == 201
    client.post("/language/en")
    page = client.get(f"/activities/{body['uuid']}").get_data(as_text=True)
    assert "Position from: placed on the map" in page
    assert "placed on the map or typed in by the officer, not measured by GPS" in page
    client.post("/logout")
    login(make_user("supervisor"))
    client.post("/language/en")
    review = client.get(f"/review/{body['uuid']}").get_data(as_text=True)
    assert 'id="flag-manual_position"' in review
    assert "Position placed by hand" in review
    assert "Position from: placed on the map" in review


def test_the_schema_lists_the_accepted_sources_and_the_export_labels_them(client, officer):
    schema = client.get("/api/v1/openapi.json").json
    request_enum = schema["components"]["schemas"]["ActivityIn"]["properties"]["location_source"]["enum"]
    assert request_enum == list(ACCEPTED_LOCATION_SOURCES)
    assert client.post("/api/v1/activities", json=talk(location_source="typed")).status_code == 201
    client.post("/language/en")
    csv = client.get("/export/activities.csv").get_data(as_text=True)
    assert "typed in" in csv
