"""The supervisors' banner page, a banner's page, the map layer of banners and the report's banner figures."""

import io
import re

import openpyxl
import pytest

from fieldkit.banners.report import counts
from fieldkit.extensions import db
from fieldkit.models import Banner, User
from fieldkit.timeutil import utcnow
from maps.banners import BannerMark, add_banners, banner_layer
from tests.factories import INSIDE_B, jpeg
from tests.test_api_banners import inspection
from tests.test_banners_assets import banner_entry


def codes_of(client, body) -> list[str]:
    assert client.post("/api/v1/activities", json=body).status_code == 201
    return sorted(db.session.scalars(db.select(Banner.code).filter_by(activity_uuid=body["uuid"])))


def switch(client, login, user):
    client.post("/logout")
    login(user)


def test_the_page_lists_what_is_due_in_the_supervisors_commune(app, client, officer, make_user, login):
    here = codes_of(client, banner_entry(quantity=2, remove_by="2026-12-31"))
    there = codes_of(client, banner_entry(quantity=1, lat=INSIDE_B[0], lon=INSIDE_B[1], declared_area_code="90002"))
    overdue = db.session.scalar(db.select(Banner).filter_by(code=here[0]))
    overdue.remove_by = utcnow().date().replace(year=2025)
    overdue.installed_at = overdue.installed_at.replace(year=2025, month=1, day=5)
    db.session.commit()
    assert client.get("/banners").status_code == 403  # officers record; supervisors follow up
    switch(client, login, make_user("supervisor", "90001"))
    page = client.get("/banners").text
    section = lambda name: page.split(f'id="{name}"')[1].split("</section>")[0]  # noqa: E731
    assert re.findall(r'data-code="(\w+)"', section("removal-overdue")) == [here[0]]
    assert re.findall(r'data-code="(\w+)"', section("inspection-due")) == [here[0]]
    assert sorted(re.findall(r'data-code="(\w+)"', section("all-banners"))) == here
    assert there[0] not in page
    assert client.get(f"/banners/{there[0]}").status_code == 404
    detail = client.get(f"/banners/{here[1]}")
    assert detail.status_code == 200 and "Vì người nghèo" in detail.text
    bad = client.get("/banners?due=soon")
    assert bad.status_code == 400 and 'role="alert"' in bad.text


def test_a_banners_page_shows_its_inspections_and_photos(client, officer, make_user, login):
    code = codes_of(client, banner_entry(quantity=1))[0]
    body = inspection(state="damaged", note="Rách một góc")
    client.post(f"/api/v1/banners/{code}/inspections", json=body)
    client.put(f"/api/v1/banners/{code}/inspections/{body['uuid']}/photos/0", data=jpeg(), content_type="image/jpeg")
    page = client.get(f"/banners/{code}").text
    assert "Rách một góc" in page and f'data-uuid="{body["uuid"]}"' in page
    thumb = re.search(r'src="(/banners/[^"]+\.thumb\.jpg)"', page).group(1)
    answer = client.get(thumb)
    assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
    switch(client, login, make_user("officer", "90002"))
    assert client.get(thumb).status_code == 404


def test_the_map_layer_colours_banners_by_state():
    marks = [
        BannerMark("AAAAA1", "standing", 10.0, 105.7, "AAAAA1 · <b>"),
        BannerMark("AAAAA2", "removed", 10.1, 105.8, "x"),
    ]
    layer = banner_layer(marks, "Pa-nô", {"standing": "#00ff00", "removed": "#777777"})
    html = _render(layer)
    assert '"fillColor": "#00ff00"' in html and '"fillColor": "#777777"' in html
    assert '"banner-mark banner-standing"' in html and '"banner-mark banner-removed"' in html
    assert "\\u0026lt;b\\u0026gt;" in html and "<b>" not in html  # tooltips are text (in the layer's JSON)
    assert layer.get_bounds() == [[10.0, 105.7], [10.1, 105.8]]
    with pytest.raises(ValueError, match=r"none for \['removed'\]"):
        banner_layer(marks, "Pa-nô", {"standing": "#00ff00"})
    with pytest.raises(ValueError, match=r"\(91"):
        BannerMark("AAAAA3", "standing", 91, 105, "x")


def _render(layer) -> str:
    import folium

    m = folium.Map()
    layer.add_to(m)
    return m.get_root().render()


def test_the_layer_comes_before_the_layer_control():
    import folium

    m = folium.Map()
    folium.LayerControl().add_to(m)
    add_banners(m, [BannerMark("AAAAA1", "standing", 10.0, 105.7, "x")], "Pa-nô", {"standing": "#00ff00"})
    html = m.get_root().render()
    group = re.search(r"var (geo_json_\w+) = L\.geoJson", html)
    assert group and html.index(group.group(0)) < html.index("L.control.layers")
    assert f'"Pa-n\\u00f4" : {group.group(1)}' in html  # the control names it (JSON-escaped)


def test_the_map_page_has_the_banner_layer(client, officer):
    code = codes_of(client, banner_entry(quantity=2))[0]
    page = client.get("/map").text
    assert page.count('"state": "standing"') == 2 and code in page


REPORT_ENTRY = {"occurred_at": "2025-10-05T08:00:00+07:00", "remove_by": "2025-11-30", "quantity": 4}
REPORT_INSPECTIONS = (  # (banner number, state, observed) — b2 comes down late, b3 is damaged, b4 never seen
    (0, "removed", "2025-11-20T09:00:00+07:00"),
    (1, "removed", "2025-12-15T09:00:00+07:00"),
    (2, "damaged", "2025-11-01T09:00:00+07:00"),
)


@pytest.fixture
def reported(client, officer):
    codes = codes_of(client, banner_entry(**REPORT_ENTRY))
    for number, state, observed in REPORT_INSPECTIONS:
        answer = client.post(
            f"/api/v1/banners/{codes[number]}/inspections", json=inspection(state=state, observed_at=observed)
        )
        assert answer.status_code == 201, answer.json
    return codes


@pytest.mark.parametrize(
    ("start", "end", "figures"),
    [
        ("2025-10-01", "2025-12-31", (2, 3, 1, 2)),  # standing b3 b4; inspected b1-b3; on time b1; overdue b3 b4
        ("2025-11-01", "2025-11-30", (3, 2, 1, 0)),  # at the end of November only b1 is down; nothing is late yet
        ("2025-09-01", "2025-09-30", (0, 0, 0, 0)),  # before they went up
    ],
)
def test_the_report_counts_banners_for_the_period(app, reported, start, end, figures):
    from datetime import date

    city = User(username="r", display_name="r", role="admin", active=True)
    found = counts(city, date.fromisoformat(start), date.fromisoformat(end))
    assert (found.standing, found.inspected, found.removed_on_time, found.overdue) == figures
    assert counts(city, date.fromisoformat(start), date.fromisoformat(end), "90002").any is False


def test_the_printed_report_and_workbook_show_the_banner_figures(client, reported, make_user, login):
    switch(client, login, make_user("supervisor"))
    page = client.get("/reports/2025-Q4").text
    section = page.split('data-row="banners"')[1].split("</section>")[0]
    assert re.findall(r'class="n">(\d+)<', section) == ["2", "3", "1", "2"]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/2025-Q4.xlsx").data))
    sheet = book.worksheets[-1]
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)] == [2, 3, 1, 2]
