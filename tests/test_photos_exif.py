"""Odd EXIF never fails an upload (the odd value is dropped), and an odd time hint is a 400 that names its field."""

import io
import struct
from datetime import datetime

import pytest
from PIL import Image, TiffImagePlugin

from fieldkit.extensions import db
from fieldkit.models import Photo
from tests.factories import talk

R = TiffImagePlugin.IFDRational
EXIF_IFD, GPS_IFD, DATETIME, ORIGINAL, ORIENTATION = 0x8769, 0x8825, 0x0132, 0x9003, 0x0112


def image(exif: Image.Exif | None = None, app1: bytes | None = None) -> bytes:
    """A small JPEG with the given EXIF, or with the given raw APP1 segment spliced in after SOI."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 30)).save(out, "JPEG", **({"exif": exif} if exif is not None else {}))
    data = out.getvalue()
    if app1 is not None:
        data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]
    return data


def exif_with(**tags) -> Image.Exif:
    exif = Image.Exif()
    for key, value in tags.items():
        if key == "original":
            exif.get_ifd(EXIF_IFD)[ORIGINAL] = value
        elif key == "gps":
            exif[GPS_IFD] = value
        else:
            exif[{"datetime": DATETIME, "orientation": ORIENTATION}[key]] = value
    return exif


ODD = {
    "DateTime 0001:01:01": image(exif_with(datetime="0001:01:01 00:00:00")),
    "DateTimeOriginal 0001:01:01": image(exif_with(original="0001:01:01 00:00:00")),
    "DateTime 9999:12:31": image(exif_with(datetime="9999:12:31 23:59:59")),
    "DateTime not a date": image(exif_with(datetime="2025:13:45 99:99:99")),
    "GPS zero denominators": image(
        exif_with(gps={1: "N", 2: (R(10, 0), R(0, 0), R(36, 0)), 3: "E", 4: (R(1, 0),) * 3})
    ),
    "GPS huge rationals": image(
        exif_with(gps={1: "N", 2: (R(4294967295, 1),) * 3, 3: "E", 4: (R(4294967295, 1),) * 3})
    ),
    "GPS one number, not three": image(exif_with(gps={1: "N", 2: R(10, 1), 3: "E", 4: (R(105, 1),)})),
    "orientation 9": image(exif_with(orientation=9)),
    "orientation 65535": image(exif_with(orientation=65535)),
    "EXIF of garbage": image(app1=b"Exif\0\0MM\0*\0\0\0\x08" + b"\xff" * 40),
    "EXIF IFD offset past the end": image(app1=b"Exif\0\0II*\0" + struct.pack("<I", 0xFFFFFFF0)),
    "EXIF IFD of 65535 entries": image(app1=b"Exif\0\0II*\0" + struct.pack("<IH", 8, 0xFFFF) + bytes(12)),
}


@pytest.fixture
def entry(client, officer):
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    return body["uuid"]


@pytest.mark.parametrize("case", sorted(ODD))
def test_an_odd_exif_value_is_dropped_not_fatal(client, entry, case):
    response = client.put(f"/api/v1/activities/{entry}/photos/0", data=ODD[case], content_type="image/jpeg")
    assert response.status_code == 201, response.json
    photo = db.session.scalar(db.select(Photo))
    assert (photo.taken_at, photo.exif_lat, photo.exif_lon) == (None, None, None)


def test_an_odd_exif_time_gives_way_to_the_phones_hint(client, entry):
    query = "?taken_at=2025-11-20T09:30:00%2B07:00"
    data = ODD["DateTimeOriginal 0001:01:01"]
    assert (
        client.put(f"/api/v1/activities/{entry}/photos/0{query}", data=data, content_type="image/jpeg").status_code
        == 201
    )
    assert db.session.scalar(db.select(Photo.taken_at)) == datetime(2025, 11, 20, 2, 30)


@pytest.mark.parametrize(
    "taken_at", ["0001-01-01T00:00:00%2B14:00", "0001-01-01T00:00:00-12:00", "9999-12-31T23:59:59-14:00", "1900-01-01"]
)
def test_a_time_hint_out_of_range_is_a_400_naming_the_field(client, entry, taken_at):
    data = image()
    response = client.put(
        f"/api/v1/activities/{entry}/photos/0?taken_at={taken_at}", data=data, content_type="image/jpeg"
    )
    assert response.status_code == 400, response.json
    assert list(response.json["fields"]) == ["taken_at"] and "1990" in response.json["fields"]["taken_at"][0]


def test_through_the_page_form_an_odd_exif_date_keeps_the_entry(client, officer):
    from tests.test_field_pages import form_data, with_photos

    data = with_photos(form_data(), ODD["DateTimeOriginal 0001:01:01"])
    assert client.post("/activities/new", data=data, content_type="multipart/form-data").status_code == 302
    assert db.session.scalar(db.select(Photo.taken_at)) is None and db.session.scalar(db.select(Photo.id))


def test_an_outbox_import_goes_on_past_an_odd_exif_date(client, officer):
    from tests.test_pwa import outbox_file, saved_entry, statuses, upload

    first = saved_entry(officer, [(ODD["DateTimeOriginal 0001:01:01"], {})], topic="Tệp 1")
    second = saved_entry(officer, [(ODD["GPS zero denominators"], {})], topic="Tệp 2")
    assert statuses(upload(client, outbox_file(first, second))) == ["stored", "stored"]
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 2
