"""The register of role models: kept by supervisors within their scope, with a photo in the photo store; named by
talks and media entries (role_model_ids); counted by the units' reports."""

import io
import uuid

from fieldkit import periods
from fieldkit.extensions import db
from fieldkit.models import AuditEvent, RoleModel
from fieldkit.photos import storage
from fieldkit.photos.sweep import sweep
from tests.factories import jpeg
from tests.submissions_helpers import Phone, as_user


def add_model(client, name="Hộ bà Tư", area="90001", photo: bytes | None = None):
    data = {"name": name, "area_code": area, "description": "Thoát nghèo nhờ trồng rau sạch"}
    if photo:
        data["photo"] = (io.BytesIO(photo), "ho-ba-tu.jpg", "image/jpeg")
    return client.post("/role-models/new", data=data, content_type="multipart/form-data")


def test_a_commune_supervisor_keeps_their_communes_models_with_a_photo(app, areas, make_user):
    s1 = as_user(app, make_user("supervisor", "90001"))
    assert add_model(s1, photo=jpeg()).status_code == 302
    refused = add_model(s1, name="Hộ ông Năm", area="90002")
    assert refused.status_code == 400 and "xã, phường mình" in refused.text
    model = db.session.scalar(db.select(RoleModel))
    assert (model.name, model.area_code, db.session.scalar(db.select(db.func.count(RoleModel.id)))) == (
        "Hộ bà Tư",
        "90001",
        1,
    )
    photo = s1.get(f"/role-models/{model.id}/photo.jpg")
    assert photo.status_code == 200 and photo.data[:2] == b"\xff\xd8"
    assert storage.exists(model.photo_path) and storage.exists(model.thumb_path)
    s2 = as_user(app, make_user("supervisor", "90002"))
    assert s2.get(f"/role-models/{model.id}").status_code == 404
    assert s2.get(f"/role-models/{model.id}/photo.jpg").status_code == 404
    assert "Hộ bà Tư" not in s2.get("/role-models").text and "Hộ bà Tư" in s1.get("/role-models").text
    assert add_model(s1, name="", area="90001").status_code == 400
    bad = add_model(s1, name="Hộ ông Sáu", photo=b"not an image")
    assert bad.status_code == 400 and db.session.scalar(db.select(db.func.count(RoleModel.id))) == 1
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.entity == "role_model")).all()
    assert actions == ["create"]


def test_the_sweep_keeps_a_role_models_photo(app, areas, make_user):
    s1 = as_user(app, make_user("supervisor", "90001"))
    add_model(s1, photo=jpeg(colour=(10, 200, 10)))
    model = db.session.scalar(db.select(RoleModel))
    assert model.photo_path not in sweep(older_than_s=-1).removed
    assert storage.exists(model.photo_path)


def test_talks_and_media_name_role_models_and_reports_count_them(app, areas, make_user):
    city = as_user(app, make_user("supervisor"))
    add_model(city, "Hộ bà Tư", "90001")
    add_model(city, "Tổ hợp tác đan lát", "90002")
    first, second = db.session.scalars(db.select(RoleModel.id).order_by(RoleModel.id)).all()
    officer = make_user("officer", "90001")
    phone = Phone(app, officer)
    stored = phone.talk(role_model_ids=[second, first, first])
    answer = city.get(f"/api/v1/activities/{stored['uuid']}").json
    assert answer["role_model_ids"] == [first, second]
    phone.talk(role_model_ids=[first])
    common = {key: stored[key] for key in ("occurred_at", "lat", "lon", "accuracy_m", "location_source")}
    media = phone.post({**common, **fresh(), "type": "media", "channel": "web", "items": 1, "role_model_ids": [second]})
    assert media.status_code == 201, media.json
    banner = {**common, **fresh(), "type": "banner", "kind": "panel", "quantity": 1, "role_model_ids": [first]}
    refused = phone.post(banner)
    assert refused.status_code == 400 and list(refused.json["fields"]) == ["role_model_ids"]
    unknown = phone.post({**phone_body(stored), "role_model_ids": [999]})
    assert unknown.status_code == 400 and "999" in unknown.json["fields"]["role_model_ids"][0]
    assert phone.post({**phone_body(stored), "role_model_ids": ["x"]}).status_code == 400
    assert phone.post({**phone_body(stored), "role_model_ids": [2**40]}).status_code == 400
    listed = city.get("/api/v1/role-models").json["items"]
    assert [m["name"] for m in listed] == ["Hộ bà Tư", "Tổ hợp tác đan lát"]
    quarter = periods.quarter_of(periods.today(app.config["FIELDKIT_TIMEZONE"]))
    report = city.get(f"/api/v1/reports/{quarter}/90001").json
    assert (report["figures"]["role_models"], report["figures"]["role_model_ids"]) == (2, [first, second])
    assert city.get(f"/api/v1/reports/{quarter}/90002").json["figures"]["role_models"] == 0  # named in 90001
    page = as_user(app, officer).get("/activities/new").text
    assert 'name="role_model_ids"' in page and 'data-types="talk media"' in page


def phone_body(stored: dict) -> dict:
    """A new entry like a stored one (a fresh uuid), without its role models."""
    body = {key: value for key, value in stored.items() if key not in ("version", "role_model_ids")}
    return {**body, **fresh()}


def fresh() -> dict:
    return {"uuid": str(uuid.uuid4())}
