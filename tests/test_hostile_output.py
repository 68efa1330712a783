"""Stored hostile text is shown as text everywhere it appears: pages, map data, review, exports and the report.

The texts go straight into the database (as an area import, an old version or a hostile client could put them
there), so the test proves the output side on its own, whatever the forms let in.
"""

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import openpyxl
import pytest

from fieldkit.extensions import db
from fieldkit.models import Activity, Area, AuditEvent
from fieldkit.timeutil import utcnow
from tests.factories import INSIDE_A

SCRIPT = '<script>alert("fk")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
QUOTE = "'; alert(2); //</b>"
# 99980001 if anything renders it as a Jinja template (a number random hex ids and nonces will not contain by chance)
TEMPLATE = "{{ 9999 * 9999 }}{% raw %}"
RENDERED = str(9999 * 9999)
CDATA = "]]></description><Placemark>"
FORMULA = '=HYPERLINK("http://evil.example","x")'
PAYLOADS = (SCRIPT, ATTRIBUTE, QUOTE, TEMPLATE, CDATA, FORMULA)
RAW = [p for p in PAYLOADS if "<" in p or '"' in p]  # what must never reach an HTML page unescaped
UUID = "00000000-0000-4000-8000-00000000beef"


@pytest.fixture
def hostile(app, areas, make_user):
    """One entry whose every text field, its officer's name and its commune's name carry the payloads."""
    db.session.get(Area, "90001").name = f"An Thử {SCRIPT}{ATTRIBUTE}"
    officer = make_user("officer", areas[0], username="canbo_x")
    officer.display_name = f"Cán bộ {ATTRIBUTE}{TEMPLATE}"
    activity = Activity(
        uuid=UUID,
        type="talk",
        occurred_at=utcnow() - timedelta(days=1),
        officer_id=officer.id,
        lat=INSIDE_A[0],
        lon=INSIDE_A[1],
        accuracy_m=10,
        location_source="gps",
        area_code="90001",
        declared_area_code="90002",
        topic=f"{SCRIPT}{TEMPLATE}",
        notes=f"{ATTRIBUTE}\n{QUOTE}\n{CDATA}",
        details={"format": "talk", "participants": 30, "speaker": FORMULA},
        status="returned",
        review_comment=f"{SCRIPT}{QUOTE}",
        content_hash="x",
    )
    db.session.add(activity)
    db.session.flush()
    db.session.add(
        AuditEvent(
            user_id=officer.id,
            action="return",
            entity="activity",
            entity_id=str(activity.id),
            after={"review_comment": f"{SCRIPT}{QUOTE}"},
        )
    )
    db.session.commit()
    return officer


def assert_escaped(response, where):
    assert response.status_code == 200, where
    text = response.get_data(as_text=True)
    for payload in RAW:
        assert payload not in text, f"{where}: {payload!r} unescaped"
    assert RENDERED not in text, f"{where}: a stored text was rendered as a template"


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("officer", "/"),
        ("officer", "/activities"),
        ("officer", f"/activities/{UUID}"),
        ("officer", f"/activities/{UUID}/edit"),
        ("supervisor", "/map"),
        ("supervisor", "/map?area=90001"),
        ("supervisor", "/coverage"),
        ("supervisor", "/coverage/90001"),
        ("supervisor", "/review"),
        ("supervisor", f"/review/{UUID}"),
        ("supervisor", "/reports/" + utcnow().strftime("%Y-%m")),
        ("admin", "/admin/users"),
        ("admin", "/admin/targets"),
    ],
)
def test_pages_show_hostile_text_escaped(client, login, hostile, make_user, role, path):
    login(hostile if role == "officer" else make_user(role))
    assert_escaped(client.get(path), path)


def test_the_text_is_still_there_to_read(client, login, hostile, make_user):
    """Escaped, not dropped: the reader sees the characters that were typed."""
    login(make_user("supervisor"))
    page = client.get(f"/review/{UUID}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;fk&#34;)&lt;/script&gt;" in page
    assert "{{ 9999 * 9999 }}" in page


def test_map_data_is_json_with_the_texts_unchanged(client, login, hostile, make_user):
    login(make_user("supervisor"))
    response = client.get(f"/map/activities/{UUID}.json")
    assert response.mimetype == "application/json"
    assert response.json["topic"] == f"{SCRIPT}{TEMPLATE}"  # the page inserts it with textContent (e2e/test_map.py)
    points = client.get("/map/points.json?bbox=105,9,107,11")
    assert points.status_code == 200 and points.mimetype == "application/json"
    assert SCRIPT not in points.get_data(as_text=True)  # points carry ids and numbers, texts come with the popup
    refused = client.get("/map/points.json?bbox=<script>")
    assert refused.status_code == 400 and refused.mimetype == "application/json"


def test_csv_and_xlsx_keep_the_text_and_neutralise_formulas(client, login, hostile, make_user):
    login(make_user("supervisor"))
    text = client.get("/export/activities.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1
    cells = list(rows[0].values())
    assert f"{SCRIPT}{TEMPLATE}" in cells
    assert "'" + FORMULA in cells and FORMULA not in cells
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/activities.xlsx").data))
    values = [cell.value for row in book.active.iter_rows(min_row=2) for cell in row]
    assert f"{SCRIPT}{TEMPLATE}" in values
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_kml_and_geojson_parse_and_carry_the_text_as_text(client, login, hostile, make_user):
    login(make_user("supervisor"))
    root = ET.fromstring(client.get("/export/activities.kml").data)  # noqa: S314 — our own output
    placemarks = root.iter("{http://www.opengis.net/kml/2.2}Placemark")
    assert len(list(placemarks)) == 1, "a CDATA-breaking note made a second placemark"
    texts = [html.unescape(element.text or "") for element in root.iter()]  # escaped for the balloons' HTML
    assert f"{ATTRIBUTE}\n{QUOTE}\n{CDATA}" in texts or any(CDATA in t and ATTRIBUTE in t for t in texts)
    feature = json.loads(client.get("/export/activities.geojson?codes=1").data)["features"][0]
    assert feature["properties"]["topic"] == f"{SCRIPT}{TEMPLATE}"


def test_kml_balloons_show_officer_html_as_text(client, login, hostile, make_user):
    """Google Earth renders a placemark's name and ExtendedData values as HTML: they must carry no live markup."""
    login(make_user("supervisor"))
    root = ET.fromstring(client.get("/export/activities.kml").data)  # noqa: S314 — our own output
    kml = "{http://www.opengis.net/kml/2.2}"
    placemark = next(root.iter(f"{kml}Placemark"))
    values = {d.get("name"): d.find(f"{kml}value").text or "" for d in placemark.iter(f"{kml}Data")}
    shown = [placemark.find(f"{kml}name").text, *values.values()]
    assert not [text for text in shown if "<" in text or '"' in text], "markup a balloon would run"
    assert html.unescape(values["topic"]) == f"{SCRIPT}{TEMPLATE}"
    assert html.unescape(values["notes"]) == f"{ATTRIBUTE}\n{QUOTE}\n{CDATA}"
    assert html.unescape(placemark.find(f"{kml}name").text).endswith(f"{SCRIPT}{TEMPLATE}")


def test_the_report_workbook_keeps_names_as_text(client, login, hostile, make_user):
    login(make_user("supervisor"))
    response = client.get("/reports/" + utcnow().strftime("%Y-%m") + ".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(v, str) and SCRIPT in v for v in values), "the commune's name is in the report"
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("spelling", ["%00", "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE" + UUID, "x" * 5000])
@pytest.mark.parametrize(
    "template", ["/activities/{}", "/activities/{}/edit", "/activities/{}/photos/0.jpg", "/review/{}"]
)
def test_page_ids_that_are_no_uuid_are_not_found(client, login, hostile, make_user, template, spelling):
    """A NUL, a path or a trick in the id is no entry (PostgreSQL refuses NUL in text: it must never get there)."""
    login(make_user("supervisor") if template.startswith("/review") else hostile)
    assert client.get(template.format(spelling)).status_code == 404


def test_any_spelling_of_the_uuid_finds_the_entry(client, login, hostile):
    login(hostile)
    assert client.get(f"/activities/{UUID.upper()}").status_code == 200
