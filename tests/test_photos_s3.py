"""Photos in an S3 bucket (a real SeaweedFS server): the same guarantees as the uploads folder."""

import hashlib
import os
import time

import pytest
from sqlalchemy.exc import OperationalError

from fieldkit.extensions import db
from fieldkit.models import Photo
from fieldkit.photos import services as photos
from fieldkit.photos import storage, sweep
from tests.factories import free_port, jpeg, talk


@pytest.fixture
def entry(client, officer):
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    return body["uuid"]


def put(client, uuid, index, data):
    return client.put(f"/api/v1/activities/{uuid}/photos/{index}", data=data, content_type="image/jpeg")


def names(*images: bytes) -> set[str]:
    shas = [hashlib.sha256(data).hexdigest() for data in images]
    return {f"{sha[:2]}/{sha}{end}" for sha in shas for end in (".jpg", ".thumb.jpg")}


def local_files(app) -> list[str]:
    return [name for _, _, found in os.walk(app.config["FIELDKIT_UPLOADS"]) for name in found]


def test_a_photo_goes_to_the_bucket_and_is_served_through_the_viewer_check(
    app, client, entry, s3_photos, make_user, login
):
    data = jpeg(900, 600, colour=(30, 60, 90))
    assert put(client, entry, 0, data).status_code == 201
    assert s3_photos.names() == names(data)
    assert local_files(app) == []
    served = client.get(f"/activities/{entry}/photos/0.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert (
        served.data
        == s3_photos.client.get_object(Bucket=s3_photos.name, Key=f"{s3_photos.prefix}/{_full(data)}")["Body"].read()
    )
    assert client.get(f"/activities/{entry}/photos/0.thumb.jpg").status_code == 200
    assert put(client, entry, 0, data).status_code == 200
    client.post("/logout")
    login(make_user("officer", "90001"))
    assert client.get(f"/activities/{entry}/photos/0.jpg").status_code == 404


def test_a_failed_transaction_leaves_no_object(client, entry, s3_photos, monkeypatch):
    attach = photos.attach

    def attach_then_fail(*args):
        attach(*args)
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(photos, "attach", attach_then_fail)
    assert put(client, entry, 0, jpeg(colour=(1, 200, 3))).status_code == 503
    assert s3_photos.names() == set()


def test_an_object_a_failed_upload_removed_is_written_back_by_the_resend(client, entry, s3_photos):
    data = jpeg(colour=(9, 9, 200))
    assert put(client, entry, 0, data).status_code == 201
    s3_photos.delete(_full(data))
    assert put(client, entry, 0, data).status_code == 200
    assert s3_photos.names() == names(data)


def test_with_the_store_down_uploads_answer_503_and_pages_still_open(app, client, entry, s3_photos, make_user, login):
    data = jpeg(colour=(120, 120, 0))
    assert put(client, entry, 0, data).status_code == 201
    app.config["FIELDKIT_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    storage.init_app(app)
    started = time.monotonic()
    refused = put(client, entry, 1, jpeg(colour=(0, 120, 120)))
    assert time.monotonic() - started < 10
    assert refused.status_code == 503 and refused.is_json and int(refused.headers["Retry-After"]) > 0
    assert refused.json["error"] == "storage_unavailable" and refused.json["fields"] == {}
    assert client.get("/").status_code == 200
    assert client.get(f"/activities/{entry}").status_code == 200
    assert client.get(f"/activities/{entry}/photos/0.thumb.jpg").status_code == 503
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1
    client.post("/logout")
    login(make_user("supervisor"))
    for page in ("/review", f"/review/{entry}", "/map"):
        assert client.get(page).status_code == 200, page


def test_backup_and_restore_carry_the_bucket(app, client, entry, s3_photos, runner, tmp_path):
    data = jpeg(colour=(200, 10, 100))
    assert put(client, entry, 0, data).status_code == 201
    archive = tmp_path / "backup.tar.gz"
    made = runner.invoke(args=["backup", "--out", str(archive)])
    assert made.exit_code == 0 and "2 files" in made.output, made.output
    for name in names(data):
        s3_photos.delete(name)
    assert s3_photos.names() == set()
    restored = runner.invoke(args=["restore", str(archive), "--yes"])
    assert restored.exit_code == 0 and "2 files" in restored.output, restored.output
    assert s3_photos.names() == names(data)
    assert local_files(app) == []


def test_the_sweep_empties_the_bucket_of_orphans(client, entry, s3_photos, monkeypatch):
    old, new = jpeg(colour=(50, 0, 0)), jpeg(colour=(0, 0, 250))
    assert put(client, entry, 0, old).status_code == 201
    assert put(client, entry, 0, new).status_code == 201
    assert s3_photos.names() == names(old, new)
    assert sweep.sweep(3600).removed == []  # everything is younger than an hour
    later = time.time() + 2 * 3600
    monkeypatch.setattr(sweep.time, "time", lambda: later)
    assert sorted(sweep.sweep(3600).removed) == sorted(names(old))
    assert s3_photos.names() == names(new)


def _full(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    return f"{sha[:2]}/{sha}.jpg"


def test_a_browser_that_has_the_photo_is_answered_304_without_the_store(app, client, entry, s3_photos):
    assert put(client, entry, 0, jpeg(colour=(77, 7, 177))).status_code == 201
    first = client.get(f"/activities/{entry}/photos/0.jpg")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    app.config["FIELDKIT_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"  # the store down now
    storage.init_app(app)
    again = client.get(f"/activities/{entry}/photos/0.jpg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]


def test_an_unknown_photo_storage_is_refused_at_start_saying_what_is_accepted(tmp_path):
    from fieldkit import create_app
    from fieldkit.config import ConfigError
    from tests.conftest import base_config

    config = base_config(f"sqlite:///{tmp_path}/x.sqlite", str(tmp_path / "uploads"))
    with pytest.raises(ConfigError, match=r"file or to s3://BUCKET/PREFIX"):
        create_app({**config, "FIELDKIT_PHOTO_STORAGE": "ftp://photos"})


def test_commands_say_when_the_store_is_down(app, client, entry, s3_photos, runner, tmp_path):
    app.config["FIELDKIT_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"
    storage.init_app(app)
    swept = runner.invoke(args=["photos", "sweep"])
    assert swept.exit_code == 1 and "photo store cannot be swept now" in swept.output
    backup = runner.invoke(args=["backup", "--out", str(tmp_path / "b.tar.gz")])
    assert backup.exit_code == 1 and "object store" in backup.output
