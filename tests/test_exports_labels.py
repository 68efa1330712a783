"""Exports as people read them: words in the interface language, photo links, every entry (located or not),
counts that match the API list, and a download panel on the supervisor pages."""

import csv
import io
import json
import re
from html import unescape

import openpyxl
import pyogrio.raw
import pytest
from lxml import etree

from fieldkit.exports.columns import COLUMNS
from tests.test_exports import KML
from tests.test_exports import log as log  # the fixture, shared (the alias marks it re-used)

WORDS_VI = {"talk": "Nói chuyện chuyên đề / đối thoại / hội nghị", "submitted": "đã gửi"}


def api_list(client, headers) -> list[dict]:
    """Every entry the caller may see, read page by page from GET /api/v1/activities."""
    items, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        answer = client.get("/api/v1/activities" + query, headers=headers).json
        items += answer["items"]
        cursor = answer["next"]
        if not cursor:
            return items


def download(client, fmt: str, headers: dict, query: str = "") -> bytes:
    response = client.get(f"/api/v1/export/activities.{fmt}{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.data


def labels(app, lang: str) -> list[str]:
    with app.test_request_context(f"/?lang={lang}"):
        return [str(column.label) for column in COLUMNS]


def test_csv_speaks_vietnamese_by_default(app, client, log):
    rows = list(csv.reader(io.StringIO(download(client, "csv", log["city"]).decode("utf-8-sig"))))
    assert rows[0] == labels(app, "vi")
    assert rows[0][:2] == ["Mã bản ghi", "Loại hoạt động"]
    by_uuid = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    talk = by_uuid[log["mine"][0]]
    assert talk["Loại hoạt động"] == WORDS_VI["talk"]
    assert talk["Trạng thái"] == WORDS_VI["submitted"]
    assert talk["Hình thức"] == "Đối thoại chính sách"  # the talk's format, as the form names it
    banner = by_uuid[log["mine"][1]]
    assert banner["Loại pa-nô, băng rôn, khẩu hiệu"] == "Pa-nô"
    media = by_uuid[log["mine"][4]]
    assert "Ngoài địa giới các xã/phường" in media["Cảnh báo dữ liệu"].split(";")  # a flag in words, not outside_areas
    codes = {value for row in rows[1:] for value in row}
    assert not codes & {"talk", "banner", "submitted", "outside_areas", "panel", "web", "gps"}


def test_codes_keep_machine_names_and_values(client, log):
    rows = list(csv.DictReader(io.StringIO(download(client, "csv", log["city"], "?codes=1").decode("utf-8-sig"))))
    assert {row["type"] for row in rows} == {"talk", "banner", "leaflet", "broadcast", "media"}
    assert {row["status"] for row in rows} == {"submitted"}


def test_english_words_on_request(app, client, log):
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx", log["city"], "?lang=en"))).active
    header = [cell.value for cell in sheet[1]]
    english = labels(app, "en")
    assert header == [*english[:3], "UTC offset", *english[3:]]
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert {"Talk / policy dialogue / meeting", "submitted", "Panel"} <= values
    assert "talk" not in values


@pytest.mark.parametrize("query", ["", "?codes=1"])
def test_every_format_holds_every_entry_of_the_paged_api_list(client, log, query):
    listed = api_list(client, log["city"])
    unlocated = sum(item["lat"] is None for item in listed)
    assert len(listed) == 6 and unlocated == 1
    text = download(client, "csv", log["city"], query).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) - 1 == len(listed)
    book = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx", log["city"], query)))
    assert book.active.max_row - 1 == len(listed)
    collection = json.loads(download(client, "geojson", log["city"], query))
    assert [feature["id"] for feature in collection["features"]] == [item["uuid"] for item in listed]
    assert sum(feature["geometry"] is None for feature in collection["features"]) == unlocated
    assert collection["fieldkit:missing_position"] == unlocated
    document = etree.fromstring(download(client, "kml", log["city"], query))  # lxml: a strict XML parser
    placemarks = document.findall(f"{KML}Document/{KML}Placemark")
    assert len(placemarks) == len(listed)
    assert sum(placemark.find(f"{KML}Point") is None for placemark in placemarks) == unlocated
    assert str(unlocated) in document.find(f"{KML}Document/{KML}description").text


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_gdal_reads_every_entry_with_the_unlocated_ones_as_features_without_geometry(client, log, tmp_path, fmt):
    listed = api_list(client, log["city"])
    path = tmp_path / f"log.{fmt}"
    path.write_bytes(download(client, fmt, log["city"]))
    _meta, _fids, geometries, _fields = pyogrio.raw.read(path, datetime_as_string=True)  # GDAL, as QGIS reads it
    assert len(geometries) == len(listed)
    assert sum(geometry is None for geometry in geometries) == sum(item["lat"] is None for item in listed)


def test_photo_links_are_absolute_and_checked(client, log, login, make_user, areas):
    from tests.factories import jpeg

    uuid = log["mine"][0]
    put = client.put(f"/api/v1/activities/{uuid}/photos/1", data=jpeg(), content_type="image/jpeg",
                     headers=log["officer_token"])  # fmt: skip
    assert put.status_code == 201
    collection = json.loads(download(client, "geojson", log["city"], "?codes=1"))
    links = {f["id"]: f["properties"]["photo_urls"] for f in collection["features"]}
    assert links[uuid] == [f"http://localhost/activities/{uuid}/photos/1.jpg"]
    login(log["city_user"])
    with client.get(links[uuid][0].removeprefix("http://localhost")) as shown:
        assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    client.post("/logout")
    login(make_user("supervisor", areas[1]))  # another commune's supervisor may not see it
    with client.get(links[uuid][0].removeprefix("http://localhost")) as hidden:
        assert hidden.status_code == 404


def panel_links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="(/export/[^"]+)" download>([^<]+)</a>', page)
    return {label: unescape(href) for href, label in found}


@pytest.mark.parametrize("path", ["/coverage", "/review", "/map"])
def test_supervisor_pages_offer_every_download_with_their_filters(client, log, login, path):
    login(log["city_user"])
    page = client.get(f"{path}?type=broadcast&area=90001&status=submitted").text
    links = panel_links(page)
    assert {href.split("?")[0] for href in links.values()} == {
        "/export/activities.csv",
        "/export/activities.xlsx",
        "/export/activities.geojson",
        "/export/activities.kml",
        "/export/photos.zip",
    }
    for href in links.values():
        assert "type=broadcast" in href and "area=90001" in href and "status=submitted" in href
    assert "Tải về 1 bản ghi này" in page  # one broadcast entry in commune A
    assert "1 bản ghi trong số đó không có vị trí" in page  # and it has no position
    rows = list(csv.reader(io.StringIO(client.get(links["CSV"]).data.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == "Truyền thanh cơ sở"


def test_the_coverage_panel_carries_the_default_period(client, log, login):
    login(log["city_user"])
    href = panel_links(client.get("/coverage").text)["CSV"]
    assert re.search(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d", href)
