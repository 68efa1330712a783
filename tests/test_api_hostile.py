"""Hostile input to the JSON API: every refusal is a JSON error naming the field and what is accepted, and
nothing is half-written. Run on PostgreSQL too: NUL bytes and huge integers fail there, not on SQLite."""

import io
import json
import unicodedata

import pytest
from PIL import Image

from fieldkit.extensions import db
from fieldkit.models import Activity, AuditEvent, Photo
from tests.factories import talk

API = "/api/v1/activities"
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
# A body sent without Content-Length, as a server such as gunicorn passes a chunked upload on.
CHUNKED = {"headers": {"Transfer-Encoding": "chunked"}, "environ_overrides": {"wsgi.input_terminated": True}}
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"]


def rows() -> tuple[int, int, int]:
    """How many activities, photos and audit events are stored."""
    return tuple(db.session.scalar(db.select(db.func.count(m.id))) for m in (Activity, Photo, AuditEvent))


def refused(response, status: int = 400, error: str = "invalid", field: str | None = None, summary=True) -> dict:
    """Check a refusal is the API's JSON error, naming ``field`` in its fields (and its message, a summary)."""
    assert response.status_code == status, response.data[:300]
    assert response.is_json and set(response.json) == {"error", "message", "fields"}, response.data[:300]
    assert response.json["error"] == error
    if field is not None:
        assert field in response.json["fields"], response.json
        assert field in response.json["message"] or not summary, response.json
    return response.json


@pytest.fixture
def english(client):
    """Ask for English messages, so the tests can read what they say."""
    client.set_cookie("lang", "en")


@pytest.fixture
def entry(client, officer):
    """A stored talk of the logged-in officer; return its uuid."""
    body = talk()
    assert client.post(API, json=body).status_code == 201
    return body["uuid"]


def post_raw(client, raw: bytes, content_type="application/json", **kwargs):
    return client.post(API, data=raw, content_type=content_type, **kwargs)


# Bodies over the limit: JSON is small, photos large, and each 413 names its own limit.


def test_json_body_over_its_limit_is_413_naming_the_limit(app, client, officer, english):
    before = rows()
    raw = json.dumps(talk(notes="x" * 70_000)).encode()
    body = refused(post_raw(client, raw), 413, "too_large")
    assert str(app.config["FIELDKIT_MAX_JSON_BYTES"]) in body["message"]
    assert rows() == before


def test_json_body_without_content_length_is_cut_at_the_limit(app, client, officer, english):
    """A chunked body has no Content-Length to check first: reading stops at the JSON limit, not at 60 MB."""
    before = rows()
    limit = app.config["FIELDKIT_MAX_JSON_BYTES"]
    stream = io.BytesIO(json.dumps(talk(notes="x" * 200_000)).encode())
    response = client.post(API, input_stream=stream, content_type="application/json", **CHUNKED)
    body = refused(response, 413, "too_large")
    assert str(limit) in body["message"]
    assert stream.tell() <= limit + 1, stream.tell()
    assert rows() == before


def test_a_chunked_entry_within_the_limit_is_stored(client, officer):
    raw = json.dumps(talk(notes="x" * 2000)).encode()
    response = client.post(API, input_stream=io.BytesIO(raw), content_type="application/json", **CHUNKED)
    assert response.status_code == 201, response.json


def test_photo_over_its_limit_is_413_naming_the_limit(app, client, entry, english):
    before = rows()
    limit = app.config["FIELDKIT_MAX_PHOTO_BYTES"]
    big = b"\xff\xd8\xff\xe0" + b"\0" * limit
    body = refused(client.put(f"{API}/{entry}/photos/0", data=big, content_type="image/jpeg"), 413, "too_large")
    assert f"{limit // 1_048_576} MB" in body["message"] and body["fields"]["photo"] == [body["message"]]
    stream = io.BytesIO(big + b"\0" * limit)
    chunked = client.put(f"{API}/{entry}/photos/0", input_stream=stream, content_type="image/jpeg", **CHUNKED)
    assert f"{limit // 1_048_576} MB" in refused(chunked, 413, "too_large")["message"]
    assert stream.tell() <= limit + 1, stream.tell()
    assert rows() == before


def test_a_photo_larger_than_the_json_limit_is_accepted(app, client, entry):
    """The JSON limit is for JSON: a photo of a few hundred KB is stored."""
    out = io.BytesIO()
    Image.effect_noise((400, 300), 80).convert("RGB").save(out, "PNG")
    assert out.tell() > app.config["FIELDKIT_MAX_JSON_BYTES"]
    response = client.put(f"{API}/{entry}/photos/0", data=out.getvalue(), content_type="image/png")
    assert response.status_code == 201, response.json


def test_the_page_form_keeps_the_larger_limit_for_five_photos(app):
    assert (
        app.config["MAX_CONTENT_LENGTH"] >= app.config["FIELDKIT_MAX_PHOTOS"] * app.config["FIELDKIT_MAX_PHOTO_BYTES"]
    )


# Deep nesting: the parser's recursion guard becomes a 400, never a RecursionError answered 500.

NESTED = [
    b"[" * 10_000 + b"]" * 10_000,
    b"{" + b'"a":{' * 10_000 + b"}" * 10_001,
    json.dumps(talk())[:-1].encode() + b', "topic": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
]


@pytest.mark.parametrize("raw", NESTED, ids=["arrays", "objects", "inside-an-entry"])
def test_deeply_nested_json_is_400(client, officer, english, raw):
    before = rows()
    body = refused(post_raw(client, raw))
    assert "nested too deeply" in body["message"]
    assert rows() == before


def test_nested_values_a_little_deep_are_refused_by_field(client, officer, english):
    body = refused(client.post(API, json=talk(topic=[[["Tuyên truyền"]]])), field="topic")
    assert body["fields"]["topic"] == ["Expected a number or text."]


def test_a_page_posted_deeply_nested_json_is_400_not_500(client, officer):
    before = rows()
    response = client.post("/activities/new", data=NESTED[0], content_type="application/json")
    assert response.status_code == 400
    assert client.post("/activities/new", data=b"[1, 2]", content_type="application/json").status_code == 400
    assert rows() == before


# Over-long text: the error names the field and the accepted length; the length is counted in NFC.

LIMITS = [("topic", 200, {}), ("notes", 2000, {}), ("speaker", 120, {})]


@pytest.mark.parametrize(("name", "limit", "extra"), LIMITS, ids=[name for name, _, _ in LIMITS])
def test_text_over_its_length_is_400_naming_field_and_length(client, officer, english, name, limit, extra):
    before = rows()
    body = refused(client.post(API, json=talk(**{name: "ễ" * (limit + 1)}, **extra)), field=name)
    assert body["fields"][name] == [f"Field cannot be longer than {limit} characters."]
    assert rows() == before
    decomposed = unicodedata.normalize("NFD", "ễ" * limit)  # three code points a letter, one once composed
    assert len(decomposed) == 3 * limit
    stored = client.post(API, json=talk(**{name: decomposed}, **extra))
    assert stored.status_code == 201, stored.json
    assert stored.json[name] == "ễ" * limit


def test_over_long_banner_message_names_its_limit(client, officer, english):
    banner = talk(type="banner", format=None, participants=None, poor_members=None, near_poor_members=None)
    banner.pop("women")
    body = refused(client.post(API, json={**banner, "kind": "banner", "message": "m" * 501}), field="message")
    assert "500" in body["fields"]["message"][0]


# Unicode tricks.


def test_decomposed_vietnamese_is_stored_composed(client, officer):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    assert nfd != "Nguyễn Thị Hường"
    response = client.post(API, json=talk(topic=nfd, speaker=nfd, notes=f"Ông {nfd}\nphát biểu"))
    assert response.status_code == 201
    activity = db.session.scalar(db.select(Activity))
    assert activity.topic == "Nguyễn Thị Hường" and activity.details["speaker"] == "Nguyễn Thị Hường"
    assert activity.notes == "Ông Nguyễn Thị Hường\nphát biểu"


@pytest.mark.parametrize("mark", ZERO_WIDTH, ids=[f"U+{ord(c):04X}" for c in ZERO_WIDTH])
def test_zero_width_characters_are_removed(client, officer, mark):
    body = talk(topic=f"Tuyên{mark} truyền{mark}", speaker=f"{mark}Ông Ba", declared_area_code=f"9000{mark}1")
    response = client.post(API, json=body)
    assert response.status_code == 201, response.json
    assert (response.json["topic"], response.json["speaker"]) == ("Tuyên truyền", "Ông Ba")
    assert response.json["declared_area_code"] == "90001"


@pytest.mark.parametrize("mark", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_bidi_controls_are_refused_naming_the_field(client, officer, english, mark):
    before = rows()
    body = refused(client.post(API, json=talk(notes=f"Hộ nghèo{mark}gpj.exe")), field="notes")
    message = body["fields"]["notes"][0]
    assert f"U+{ord(mark):04X}" in message and "character 9" in message and "text-direction" in message
    assert rows() == before


def control_refused(client, name: str, char: str) -> None:
    before = rows()
    value = talk()[name] if name in ("declared_area_code", "uuid", "format") else "Tuyên truyền"
    body = refused(client.post(API, json=talk(**{name: value[:3] + char + value[3:]})), field=name)
    assert f"U+{ord(char):04X}" in body["fields"][name][-1]
    assert rows() == before


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_characters_are_refused(client, officer, english, char):
    control_refused(client, "topic", char)


@pytest.mark.parametrize("name", ["notes", "speaker", "declared_area_code", "uuid", "format"])
def test_nul_is_refused_in_every_text(client, officer, english, name):
    """NUL in a string parameter makes PostgreSQL fail the insert (or the look-up): it must never get there."""
    control_refused(client, name, "\x00")


def test_tabs_and_line_breaks_are_kept(client, officer):
    response = client.post(API, json=talk(notes="Dòng 1\r\nDòng 2\n\tgạch đầu dòng"))
    assert response.status_code == 201 and response.json["notes"] == "Dòng 1\r\nDòng 2\n\tgạch đầu dòng"


def test_lone_surrogates_are_refused(client, officer, english):
    before = rows()
    raw = json.dumps(talk()).replace('"topic": "', '"topic": "\\ud800').encode()
    assert "U+D800" in refused(post_raw(client, raw), field="topic")["fields"]["topic"][0]
    assert rows() == before


def test_the_page_form_applies_the_same_rules(client, officer):
    """Once in the forms layer: the officer's page strips and refuses as the API does."""
    from tests.test_field_pages import form_data

    before = rows()
    response = client.post("/activities/new", data=form_data(topic="Tuyên\u202etruyền"))
    assert response.status_code == 400 and "U+202E" in response.text
    assert rows() == before
    assert client.post("/activities/new", data=form_data(topic="Tuyên\u200b truyền")).status_code == 302
    assert db.session.scalar(db.select(Activity.topic)) == "Tuyên truyền"


# Ids in the path: no traversal, no crash on odd bytes, nothing but a UUID looked up.

PATHS = [
    "/api/v1/activities/..%2F..%2Fetc%2Fpasswd",
    "/api/v1/activities/../../etc/passwd",
    "/api/v1/activities/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/v1/activities/%00",
    "/api/v1/activities/%ED%A0%80",
    "/api/v1/activities/" + "a" * 5000,
    "/api/v1/activities/%E2%80%AE",
]


@pytest.mark.parametrize("path", PATHS)
def test_odd_ids_in_the_path_are_json_404(client, entry, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json and response.json["error"] == "not_found"


def test_ids_with_slashes_are_404(client, entry):
    for path in (f"{API}/{entry}/x", f"{API}/{entry}%2Fphotos%2F0", f"{API}/{entry}/photos/..%2F0"):
        response = client.get(path)
        assert response.status_code in (404, 405) and response.is_json, path


def test_a_uuid_is_found_in_any_of_its_spellings(client, entry):
    assert client.get(f"{API}/{entry.upper()}").json["uuid"] == entry
    assert client.get(f"{API}/{{{entry}}}").json["uuid"] == entry


@pytest.mark.parametrize(("index", "status"), [("-1", 404), ("5", 400), ("99", 400), (str(10**30), 400), ("1e3", 404)])
def test_photo_index_out_of_range_is_refused(client, entry, english, index, status):
    before = rows()
    response = client.put(f"{API}/{entry}/photos/{index}", data=b"\xff\xd8", content_type="image/jpeg")
    if status == 404:
        assert response.status_code == 404 and response.is_json
    else:
        body = refused(response, field="index", summary=False)  # the message says "Photo number"
        assert "0 to 4" in body["message"] and body["fields"]["index"] == ["At most 5 photos per entry."]
    assert rows() == before


def test_photo_to_an_odd_id_is_404(client, entry):
    for uuid in ("..%2F..%2Fetc", "%00", entry.replace("-", "/")):
        response = client.put(f"{API}/{uuid}/photos/0", data=b"\xff\xd8", content_type="image/jpeg")
        assert response.status_code == 404 and response.is_json


# Numbers too large for a column: 400, never an overflow on PostgreSQL.

HUGE = [
    ("participants", 10**30, "100000"),
    ("participants", "1" + "0" * 30, "100000"),
    ("duration_min", 2**63, "1440"),
    ("women", -(2**63) - 1, "0"),
    ("lat", 1e308, "90"),
    ("accuracy_m", 10**30, "50000"),
]


@pytest.mark.parametrize(("name", "value", "accepted"), HUGE, ids=[f"{n}={str(v)[:8]}" for n, v, _ in HUGE])
def test_huge_numbers_are_400_naming_the_range(client, officer, english, name, value, accepted):
    before = rows()
    body = refused(client.post(API, json=talk(**{name: value})), field=name)
    assert accepted in body["fields"][name][0]
    assert rows() == before


def test_a_number_with_thousands_of_digits_is_400(client, officer, english):
    raw = json.dumps(talk()).replace('"participants": 40', '"participants": ' + "9" * 5000).encode()
    assert "not valid JSON" in refused(post_raw(client, raw))["message"]


QUERIES = [
    ("/api/v1/activities?from=0001-01-01", "from"),
    ("/api/v1/activities?to=9999-12-31", "to"),
    ("/api/v1/activities.geojson?from=0001-01-01", "from"),
    ("/api/v1/export/activities.csv?to=9999-12-31", "to"),
    ("/api/v1/activities?officer=%00", "officer"),
    ("/api/v1/activities?area=90001%E2%80%AE", "area"),
    ("/api/v1/areas/locate?lat=1e999&lon=105.7", "lat"),
    ("/api/v1/activities?cursor=aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "cursor"),
]


@pytest.mark.parametrize(("url", "field"), QUERIES)
def test_hostile_query_parameters_are_400_naming_them(client, entry, english, url, field):
    body = refused(client.get(url), field=field)
    if field in ("from", "to"):
        assert body["fields"][field] == ["Give a date from 01/01/2000 to 31/12/2099."]


def test_coverage_refuses_dates_it_cannot_count_from(client, make_user, login, areas, english):
    login(make_user("supervisor"))
    refused(client.get("/api/v1/coverage?to=0001-01-01"), field="to")
    assert client.get("/api/v1/coverage?limit=" + "9" * 40).status_code == 200


def test_huge_page_size_is_clamped(client, entry):
    response = client.get(f"/api/v1/activities?limit={10**30}")
    assert response.status_code == 200 and [a["uuid"] for a in response.json["items"]] == [entry]


# Bodies that are not UTF-8 JSON, and wrong content types.


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "cp1258", "latin-1"])
def test_non_utf8_bodies_are_400(client, officer, english, encoding):
    before = rows()
    text = json.dumps(
        talk(topic="Tuyên truyền" if encoding.startswith("utf") else "Tuyen truy\xe8n"), ensure_ascii=False
    )
    body = refused(post_raw(client, text.encode(encoding)))
    assert "UTF-8" in body["message"]
    assert rows() == before


def test_utf8_with_a_byte_order_mark_is_accepted(client, officer):
    raw = b"\xef\xbb\xbf" + json.dumps(talk(), ensure_ascii=False).encode()
    assert post_raw(client, raw).status_code == 201


def test_repeated_keys_are_refused(client, officer, english):
    raw = json.dumps(talk())[:-1].encode() + b', "participants": 41000}'
    assert "'participants' is given twice" in refused(post_raw(client, raw))["message"]
    assert rows()[0] == 0


CONTENT_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/xml",
    "application/json-patch+json",
    "",
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_entries_in_other_content_types_are_refused(client, officer, english, content_type):
    response = post_raw(client, json.dumps(talk()).encode(), content_type=content_type)
    assert "application/json" in refused(response, error="bad_content_type")["message"]
    assert rows()[0] == 0


def test_json_with_a_charset_parameter_is_accepted(client, officer):
    raw = json.dumps(talk()).encode()
    assert post_raw(client, raw, content_type="application/json; charset=utf-8").status_code == 201


@pytest.mark.parametrize(
    ("content_type", "data", "error"),
    [
        ("application/json", b'{"photo": 1}', "bad_content_type"),
        ("multipart/form-data; boundary=x", b"--x--", "bad_content_type"),
        ("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "invalid_photo"),
        ("image/jpeg", b"GIF89a" + b"\0" * 64, "invalid_photo"),
    ],
)
def test_photos_in_other_content_types_are_refused(client, entry, english, content_type, data, error):
    before = rows()
    response = client.put(f"{API}/{entry}/photos/0", data=data, content_type=content_type)
    refused(response, error=error, field="photo" if error == "invalid_photo" else None, summary=False)
    assert rows() == before
