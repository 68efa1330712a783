"""PUT /api/v1/activities/<uuid>/photos/<n>: checked by content, idempotent, nothing half-stored."""

import hashlib
import io
import os
import struct
import zlib
from datetime import datetime, timedelta

import pytest
from PIL import Image

from fieldkit.extensions import db
from fieldkit.models import Photo
from tests.factories import VN, jpeg, sql_statements, talk


@pytest.fixture
def entry(client, officer):
    """A stored talk; return its uuid."""
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    return body["uuid"]


def put(client, uuid, index, data, content_type="image/jpeg", query=""):
    return client.put(f"/api/v1/activities/{uuid}/photos/{index}{query}", data=data, content_type=content_type)


def stored_files(app):
    root = app.config["FIELDKIT_UPLOADS"]
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def test_photo_is_stored_and_shown_in_the_receipt(client, entry, app):
    data = jpeg(3000, 2000)
    response = put(
        client, entry, 0, data, query="?taken_at=2025-11-20T09:30:00%2B07:00&photo_lat=10.01&photo_lon=105.71"
    )
    assert response.status_code == 201, response.json
    sha = hashlib.sha256(data).hexdigest()
    assert response.json["photo"] == {"index": 0, "sha256": sha, "width": 2048, "height": 1365}
    receipt = client.get(f"/api/v1/activities/{entry}").json["photos"]
    assert receipt == [{"index": 0, "sha256": sha, "width": 2048, "height": 1365}]
    photo = db.session.scalar(db.select(Photo))
    assert (photo.exif_lat, photo.exif_lon) == (10.01, 105.71)
    assert photo.taken_at.isoformat() == "2025-11-20T02:30:00"
    assert stored_files(app) == [f"{sha[:2]}/{sha}.jpg", f"{sha[:2]}/{sha}.thumb.jpg"]
    with client.get(f"/activities/{entry}/photos/0.jpg") as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert Image.open(io.BytesIO(served.data)).size == (2048, 1365)


def test_a_photo_put_runs_a_bounded_number_of_statements(client, officer):
    """A photo does not move its entry: it is not placed again, and its neighbours in time are not looked up for
    their sake (their flags do not read its photos). The list is printed when it grows."""
    now = datetime.now(VN)
    bodies = [talk(occurred_at=(now - timedelta(hours=hours)).isoformat()) for hours in (3, 2, 1)]
    for body in bodies:
        assert client.post("/api/v1/activities", json=body).status_code == 201
    with sql_statements() as statements:
        assert put(client, bodies[1]["uuid"], 0, jpeg()).status_code == 201
    # user, entry, its photos, savepoint, insert, release; the flags: holders of the same bytes, the entry's
    # columns, its photos (shared or not), its own neighbours
    assert len(statements) <= 10, "\n\n".join(statements)


def test_same_bytes_again_answer_200(client, entry):
    data = jpeg()
    assert put(client, entry, 1, data).status_code == 201
    assert put(client, entry, 1, data).status_code == 200
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1


def test_exif_of_the_file_is_read_then_dropped(client, entry, app):
    exif = Image.Exif()
    exif[0x0132] = "2025:11:20 08:15:00"  # DateTime
    gps = {1: "N", 2: (10.0, 0.0, 36.0), 3: "E", 4: (105.0, 42.0, 36.0)}
    exif[0x8825] = gps
    data = jpeg(800, 600, exif=exif)
    assert put(client, entry, 0, data).status_code == 201
    photo = db.session.scalar(db.select(Photo))
    assert photo.taken_at.isoformat() == "2025-11-20T01:15:00"
    assert photo.exif_lat == pytest.approx(10.01) and photo.exif_lon == pytest.approx(105.71)
    with Image.open(os.path.join(app.config["FIELDKIT_UPLOADS"], photo.path)) as stored:
        assert not stored.getexif()


def _bomb_png(side=30_000) -> bytes:
    """A tiny PNG that claims side×side pixels."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


BAD_PHOTOS = [
    ("text with a jpg type", b"hello, not an image" * 10, "image/jpeg", 400),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", 400),
    ("truncated jpeg", jpeg(1200, 900)[:3000], "image/jpeg", 400),
    ("decompression bomb", _bomb_png(), "image/png", 400),
    ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif", 400),
    ("not an image content type", jpeg(), "application/octet-stream", 400),
    ("empty", b"", "image/jpeg", 400),
]


@pytest.mark.parametrize(("case", "data", "content_type", "status"), BAD_PHOTOS, ids=[c[0] for c in BAD_PHOTOS])
def test_bad_photos_are_refused_and_leave_nothing(client, entry, app, case, data, content_type, status):
    response = put(client, entry, 0, data, content_type)
    assert response.status_code == status, response.json
    assert response.is_json and response.json["message"]
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0
    assert stored_files(app) == []


def test_photo_over_the_limit_is_413(client, entry, app):
    app.config["FIELDKIT_MAX_PHOTO_BYTES"] = 10_000
    response = put(client, entry, 0, jpeg(1500, 1500, colour=(1, 2, 3)) + b"\0" * 20_000)
    assert response.status_code == 413 and response.json["error"] == "too_large"
    assert stored_files(app) == []


@pytest.mark.parametrize("index", [5, 9])
def test_a_sixth_photo_is_refused(client, entry, index):
    response = put(client, entry, index, jpeg())
    assert response.status_code == 400 and "index" in response.json["fields"]


def test_bad_hints_name_the_field(client, entry):
    response = put(client, entry, 0, jpeg(), query="?photo_lat=95&photo_lon=105")
    assert response.status_code == 400 and "photo_lat" in response.json["fields"]
    response = put(client, entry, 0, jpeg(), query="?taken_at=soon")
    assert response.status_code == 400 and "taken_at" in response.json["fields"]


def test_photos_are_private(client, entry, make_user, login):
    put(client, entry, 0, jpeg())
    client.post("/logout")
    assert client.get(f"/activities/{entry}/photos/0.jpg").status_code == 302  # to the login page
    login(make_user("officer", "90001"))
    assert client.get(f"/activities/{entry}/photos/0.jpg").status_code == 404
    assert put(client, entry, 1, jpeg()).status_code == 404
    assert client.get("/activities/../instance/photos/0.jpg").status_code == 404


def test_unknown_entry_is_404(client, officer):
    assert put(client, "7d0c4c47-0000-4000-8000-000000000000", 0, jpeg()).status_code == 404
