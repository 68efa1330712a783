"""Exports opened with real readers: every row and field round-trips; formulas neutralised; scope per role."""

import csv
import html
import io
import json
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime

import openpyxl
import pytest
from shapely.geometry import Point, shape

from fieldkit.exports.columns import COLUMNS, NAMES, Kind, own_fields
from fieldkit.extensions import db
from fieldkit.models import ApiToken
from fieldkit.models.token import hash_token
from tests.factories import INSIDE_A, INSIDE_B, jpeg, talk

KML = "{http://www.opengis.net/kml/2.2}"
parse_xml = ET.fromstring  # our own output, parsed as Google Earth would
HYPERLINK = '=HYPERLINK("http://example.com/x","Bấm vào")'
NFD_TOPIC = unicodedata.normalize("NFD", "Tuyên truyền giảm nghèo ở ấp Mỹ Phước")


def bearer(user) -> dict:
    """Make an API token for the user and return the header that sends it."""
    token = ApiToken.generate()
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def entries_for_officer(client, headers) -> list[str]:
    """Record one entry of each type, with formula-like text, Vietnamese text, and two without a GPS commune."""
    position = {"lat": INSIDE_A[0], "lon": INSIDE_A[1], "accuracy_m": 8.5, "location_source": "gps"}
    no_position = {"lat": None, "lon": None, "accuracy_m": None, "location_source": None}
    bodies = [
        talk(topic=NFD_TOPIC, notes="Dòng một\r\nDòng hai", speaker=HYPERLINK, escaped_members=2, duration_min=90),
        talk(
            type="banner",
            topic="+cmd|' /C calc'!A0",
            message="@SUM(A1:A9)",
            kind="panel",
            quantity=3,
            size_m2=12.5,
            **{key: None for key in ("format", "participants", "poor_members", "near_poor_members", "women")},
        ),
        talk(
            type="leaflet",
            topic="-5 hộ nghèo nhận tờ rơi",
            material="Cẩm nang giảm nghèo",
            copies=200,
            households_reached=150,
            poor_households_reached=20,
            near_poor_households_reached=30,
            **{key: None for key in ("format", "participants", "poor_members", "near_poor_members", "women")},
        ),
        talk(
            type="broadcast",
            topic="Phát thanh về chính sách tín dụng",
            sessions=4,
            minutes=60,
            cluster="Cụm loa ấp Thới Hòa",
            **no_position,
            **{key: None for key in ("format", "participants", "poor_members", "near_poor_members", "women")},
        ),
        talk(
            type="media",
            topic="Bài viết trên cổng thông tin",
            channel="web",
            items=2,
            link="https://example.com/bai-viet",
            lat=-5.25,
            lon=-35.5,
            **{key: None for key in ("format", "participants", "poor_members", "near_poor_members", "women")},
        ),
    ]
    bodies[0].update(position)
    uuids = []
    for body in bodies:
        response = client.post("/api/v1/activities", json=body, headers=headers)
        assert response.status_code == 201, response.json
        uuids.append(body["uuid"])
    return uuids


@pytest.fixture
def log(client, areas, make_user):
    """Two officers' entries (five in commune A, one in B) and a token for each role."""
    officer = make_user("officer", areas[0])
    other = make_user("officer", areas[1])
    mine = entries_for_officer(client, bearer(officer))
    response = client.post("/api/v1/activities", json=talk(lat=INSIDE_B[0], lon=INSIDE_B[1]), headers=bearer(other))
    assert response.status_code == 201
    city = make_user("supervisor")
    return {
        "officer": officer,
        "other": other,
        "mine": mine,
        "theirs": response.json["uuid"],
        "city": bearer(city),
        "city_user": city,
        "area_a": bearer(make_user("supervisor", areas[0])),
        "admin": bearer(make_user("admin")),
        "officer_token": bearer(officer),
    }


def reference(client, headers) -> dict[str, dict]:
    """The entries as the JSON API answers them: what every export must carry."""
    response = client.get("/api/v1/activities?limit=500", headers=headers)
    return {item["uuid"]: item for item in response.json["items"]}


def expected(item: dict, name: str):
    """The value of one column for an entry as the JSON API has it (with ?codes=1)."""
    if name == "photos":
        return len(item["photos"])
    if name == "photo_urls":
        return [f"http://localhost/activities/{item['uuid']}/photos/{p['index']}.jpg" for p in item["photos"]]
    return item.get(name)


def export(client, fmt: str, headers: dict, query: str = "?codes=1"):
    response = client.get(f"/api/v1/export/activities.{fmt}{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response


# CSV ---------------------------------------------------------------------------------------------------------


def test_csv_round_trips_every_row_and_field_with_the_bom(client, log):
    response = export(client, "csv", log["city"])
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    text = raw.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text.splitlines()[0]).delimiter == ","
    assert "\r\n" in text  # RFC 4180 line ends, as Excel writes them
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    want = reference(client, log["city"])
    assert [row["uuid"] for row in rows] == list(want)  # every entry, newest first, none lost
    assert list(rows[0]) == list(NAMES)
    for row in rows:
        item = want[row["uuid"]]
        for column in COLUMNS:
            assert row[column.name] == csv_text(column, expected(item, column.name)), (column.name, row)


def csv_text(column, value) -> str:
    """How a value reads in the CSV."""
    if value is None:
        return ""
    if column.kind is Kind.LIST:
        return ";".join(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return str(value)


def test_csv_neutralises_formulas_but_keeps_negative_numbers(client, log):
    rows = list(csv.DictReader(io.StringIO(export(client, "csv", log["city"]).data.decode("utf-8-sig"))))
    by_type = {row["type"]: row for row in rows}
    assert by_type["talk"]["speaker"] == "'" + HYPERLINK
    assert by_type["banner"]["topic"].startswith("'+cmd") and by_type["banner"]["message"] == "'@SUM(A1:A9)"
    assert by_type["leaflet"]["topic"] == "'-5 hộ nghèo nhận tờ rơi"
    assert (by_type["media"]["lat"], by_type["media"]["lon"]) == ("-5.25", "-35.5")  # numbers stay numbers
    formula_like = [value for row in rows for value in row.values() if value[:1] in ("=", "+", "@")]
    assert formula_like == []


def test_vietnamese_text_arrives_in_nfc(client, log):
    text = export(client, "csv", log["city"]).data.decode("utf-8-sig")
    nfc = unicodedata.normalize("NFC", NFD_TOPIC)
    assert nfc in text and NFD_TOPIC not in text
    assert unicodedata.is_normalized("NFC", text)
    assert "Dòng một\r\nDòng hai" in text  # a line break inside a quoted cell survives


# XLSX --------------------------------------------------------------------------------------------------------


def test_xlsx_round_trips_with_types_header_frozen_pane_and_filter(app, client, log):
    response = export(client, "xlsx", log["city"], "?lang=en&codes=1")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.title == "Activities"
    header = [cell.value for cell in sheet[1]]
    assert header == [*NAMES[:3], "utc_offset", *NAMES[3:]]  # the names programs read
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(COLUMNS) + 1).column_letter}{sheet.max_row}"
    assert sheet.column_dimensions["A"].width >= 36  # a whole uuid shows
    want = reference(client, log["city"])
    names = ["uuid", "type", "occurred_at", "utc_offset", *NAMES[3:]]
    kinds = {column.name: column.kind for column in COLUMNS}
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == list(want)
    for row in rows:
        item = want[row[0].value]
        cells = dict(zip(names, row, strict=True))
        local = datetime.fromisoformat(item["occurred_at"])
        assert cells["occurred_at"].is_date and cells["occurred_at"].value == local.replace(tzinfo=None)
        assert cells["occurred_at"].number_format == "yyyy-mm-dd hh:mm"
        assert cells["utc_offset"].value == "+07:00"
        received = datetime.fromisoformat(item["received_at"].removesuffix("Z"))
        assert abs((cells["received_at"].value - received).total_seconds()) < 0.001
        for name in NAMES:
            value, want_value = cells[name].value, expected(item, name)
            if kinds[name] in (Kind.INT, Kind.FLOAT):
                assert value == want_value and (value is None or cells[name].data_type == "n"), name
            elif kinds[name] is Kind.TEXT:
                assert (value or "") == (want_value or ""), name
            elif kinds[name] is Kind.LIST:
                assert (value or "") == ";".join(want_value), name


def test_xlsx_headers_are_vietnamese_by_default(client, log):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx", log["city"], "").data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Mã bản ghi", "Loại hoạt động", "Ngày giờ"]
    assert "Múi giờ UTC" in header or header[3] != "utc_offset"
    assert sheet.cell(2, 3).number_format == "dd/mm/yyyy hh:mm"


def test_xlsx_formulas_are_text_and_numbers_are_numbers(client, log):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx", log["city"]).data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]  # nothing Excel would run
    risky = {cell.value: cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@"}
    for text in (HYPERLINK, "@SUM(A1:A9)", "-5 hộ nghèo nhận tờ rơi"):
        assert risky[text].data_type == "s" and risky[text].quotePrefix  # kept whole, shown and edited as text
    assert any(cell.value == -5.25 and cell.data_type == "n" for cell in cells)


# GeoJSON -----------------------------------------------------------------------------------------------------


def test_geojson_round_trips_through_shapely_with_typed_properties(client, log):
    response = client.get("/api/v1/activities.geojson?codes=1", headers=log["city"])
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    document = json.loads(response.data)
    assert document["type"] == "FeatureCollection" and "crs" not in document
    want = reference(client, log["city"])
    located = {uuid: item for uuid, item in want.items() if item["lat"] is not None}
    assert document["fieldkit:missing_position"] == len(want) - len(located) == 1
    assert [feature["id"] for feature in document["features"]] == list(want)  # every entry, newest first
    for feature in document["features"]:
        item = want[feature["id"]]
        if item["lat"] is None:
            assert feature["geometry"] is None  # an unlocated feature, RFC 7946 §3.2
        else:
            point = shape(feature["geometry"])
            assert isinstance(point, Point) and (point.x, point.y) == (item["lon"], item["lat"])  # [lon, lat]
        assert feature["properties"] == {name: expected(item, name) for name in NAMES}
    talk_properties = next(f["properties"] for f in document["features"] if f["properties"]["type"] == "talk")
    assert isinstance(talk_properties["participants"], int) and isinstance(talk_properties["accuracy_m"], float)
    assert isinstance(talk_properties["flags"], list)


def test_geojson_download_has_a_dated_name(client, log):
    response = export(client, "geojson", log["city"])
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="fieldkit-activities-20') and disposition.endswith('.geojson"')


# KML ---------------------------------------------------------------------------------------------------------


def test_kml_has_a_styled_placemark_per_entry_with_every_field(client, log):
    response = export(client, "kml", log["city"])
    assert response.mimetype == "application/vnd.google-earth.kml+xml"
    root = parse_xml(response.data)
    assert root.tag == f"{KML}kml"
    document = root.find(f"{KML}Document")
    styles = {style.get("id") for style in document.findall(f"{KML}Style")}
    assert styles == {f"type-{kind}" for kind in ("talk", "banner", "leaflet", "broadcast", "media")}
    assert "1 " in document.find(f"{KML}description").text  # one entry without a position, said so
    want = reference(client, log["city"])
    placemarks = document.findall(f"{KML}Placemark")
    assert len(placemarks) == len(want)
    assert sum(p.find(f"{KML}Point") is None for p in placemarks) == sum(i["lat"] is None for i in want.values())
    for placemark in placemarks:
        data = {d.get("name"): d.find(f"{KML}value").text or "" for d in placemark.iter(f"{KML}Data")}
        item = want[data["uuid"]]
        assert placemark.find(f"{KML}styleUrl").text == f"#type-{item['type']}"
        assert placemark.find(f"{KML}TimeStamp/{KML}when").text == item["occurred_at"]
        if item["lat"] is not None:
            lon, lat = placemark.find(f"{KML}Point/{KML}coordinates").text.split(",")
            assert (float(lon), float(lat)) == (item["lon"], item["lat"])
        assert set(data) == set(own_fields(item["type"]))
        for name, text in data.items():
            assert text == kml_text(expected(item, name)), name


def kml_text(value) -> str:
    """What a value reads as in KML: escaped for the HTML of Google Earth's balloons."""
    if value is None:
        return ""
    if isinstance(value, list):
        return html.escape(";".join(value))
    return html.escape(value) if isinstance(value, str) else str(value)


# Who may export ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [("city", "all"), ("admin", "all"), ("area_a", "mine"), ("officer_token", "mine")],
)
def test_each_role_exports_its_scope(client, log, who, sees):
    rows = list(csv.DictReader(io.StringIO(export(client, "csv", log[who]).data.decode("utf-8-sig"))))
    wanted = set(log["mine"]) | ({log["theirs"]} if sees == "all" else set())
    assert {row["uuid"] for row in rows} == wanted


def test_an_officer_exports_only_their_own_entries(client, log, login):
    login(log["other"])
    response = client.get("/export/activities.csv?codes=1")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["uuid"] for row in rows] == [log["theirs"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "kml"])
def test_pages_send_anonymous_users_to_login(client, fmt):
    response = client.get(f"/export/activities.{fmt}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/api/v1/activities.geojson", "/api/v1/export/activities.csv"])
def test_api_asks_anonymous_callers_to_authenticate(client, path):
    response = client.get(path)
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_page_export_with_filters_for_a_supervisor(client, log, login):
    login(log["city_user"])
    response = client.get("/export/activities.csv?type=talk&area=90001&codes=1")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["type"] for row in rows] == ["talk"] and rows[0]["uuid"] == log["mine"][0]


def test_flag_filter_keeps_flagged_entries(client, log):
    rows = list(
        csv.DictReader(
            io.StringIO(export(client, "csv", log["city"], "?flag=outside_areas&codes=1").data.decode("utf-8-sig"))
        )
    )
    assert [row["type"] for row in rows] == ["media"] and "outside_areas" in rows[0]["flags"].split(";")
    anything = export(client, "csv", log["city"], "?flag=any&codes=1").data.decode("utf-8-sig")
    flagged = [uuid for uuid, item in reference(client, log["city"]).items() if item["flags"]]
    assert [row["uuid"] for row in csv.DictReader(io.StringIO(anything))] == flagged


def test_bad_filters_name_the_field(client, log, login):
    response = client.get("/api/v1/export/activities.csv?from=yesterday&flag=nonsense", headers=log["city"])
    assert response.status_code == 400
    assert set(response.json["fields"]) == {"from", "flag"}
    assert client.get("/api/v1/export/activities.pdf", headers=log["city"]).status_code == 404
    login(log["city_user"])
    assert client.get("/export/activities.csv?status=lost").status_code == 400
    assert client.get("/export/activities.docx").status_code == 404


# CLI and photos ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "kml"])
def test_cli_writes_the_same_export(runner, client, log, tmp_path, fmt):
    out = tmp_path / f"log.{fmt}"
    result = runner.invoke(args=["export", "--format", fmt, "--out", str(out), "--area", "90001", "--codes"])
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    data = out.read_bytes()
    if fmt == "csv":
        assert [r["uuid"] for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))] == log["mine"][::-1]
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row == 1 + len(log["mine"])
    elif fmt == "geojson":
        assert len(json.loads(data)["features"]) == len(log["mine"])
    else:
        assert len(parse_xml(data).findall(f"{KML}Document/{KML}Placemark")) == len(log["mine"])


def test_cli_refuses_a_bad_filter(runner, app, tmp_path):
    result = runner.invoke(args=["export", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--to", "soon"])
    assert result.exit_code == 2 and "--to" in result.output


def test_photos_come_along_in_a_zip_with_the_log(client, log, login):
    uuid = log["mine"][0]
    photo = jpeg()
    put = client.put(
        f"/api/v1/activities/{uuid}/photos/0", data=photo, content_type="image/jpeg", headers=log["officer_token"]
    )
    assert put.status_code == 201
    response = client.get("/api/v1/activities/" + uuid, headers=log["city"])
    assert response.json["photos"][0]["index"] == 0
    login(log["city_user"])
    answer = client.get("/export/photos.zip?area=90001&codes=1")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "activities.csv" and f"photos/{uuid}/0.jpg" in names
    assert archive.read(f"photos/{uuid}/0.jpg")[:3] == b"\xff\xd8\xff"
    rows = list(csv.DictReader(io.StringIO(archive.read("activities.csv").decode("utf-8-sig"))))
    assert {row["uuid"]: row["photos"] for row in rows}[uuid] == "1"
    link = {row["uuid"]: row["photo_urls"] for row in rows}[uuid]
    assert link == f"http://localhost/activities/{uuid}/photos/0.jpg"
    with client.get(link.removeprefix("http://localhost")) as shown:  # the access-checked photo view
        assert shown.status_code == 200 and shown.data == archive.read(f"photos/{uuid}/0.jpg")


def test_openapi_describes_the_export_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    geojson = paths["/activities.geojson"]["get"]
    assert "application/geo+json" in geojson["responses"]["200"]["content"]
    parameters = {p["name"]: p["schema"] for p in paths["/export/activities.{fmt}"]["get"]["parameters"]}
    assert parameters["fmt"]["enum"] == ["csv", "xlsx", "geojson", "kml"]
    assert {"from", "to", "type", "area", "officer", "status", "flag"} <= set(parameters)
    assert "outside_areas" in parameters["flag"]["enum"] and "any" in parameters["flag"]["enum"]
