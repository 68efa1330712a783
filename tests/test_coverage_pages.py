"""The /coverage pages: who may see them, the gap list, the table, the labels, links that keep the filters,
and each commune's page with its entries and its small map (maps/commune.py)."""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from fieldkit.extensions import db
from fieldkit.models import Activity, Area, AreaStat
from maps.assets import Assets
from maps.base import Tiles
from maps.commune import Point, commune_map
from tests.factories import SQUARES, assets_from_elsewhere, square
from tests.test_coverage_service import add, build_campaign

OCTOBER = "from=2026-10-01&to=2026-10-31"
FILTERS = {"from": ["2026-10-01"], "to": ["2026-10-31"], "type": ["talk"], "officer": ["o2"], "status": ["submitted"]}


@pytest.fixture
def campaign(areas, make_user):
    return build_campaign(make_user)


@pytest.fixture
def supervisor(make_user, login):
    user = make_user("supervisor")
    login(user)
    return user


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def hrefs(html: str, prefix: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if unescape(h).startswith(prefix)]


@pytest.mark.parametrize(
    ("role", "scope", "status"),
    [
        (None, None, 302),
        ("officer", "90001", 403),
        ("supervisor", None, 200),
        ("supervisor", "90001", 200),
        ("admin", None, 200),
    ],
)
@pytest.mark.parametrize("path", ["/coverage", "/coverage/90001"])
def test_who_may_see_coverage(client, campaign, make_user, login, role, scope, status, path):
    if role:
        login(make_user(role, scope))
    response = client.get(path)
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("scope", "path"), [(None, "/coverage/99999"), ("90001", "/coverage/90002")])
def test_unknown_communes_and_communes_outside_the_scope_are_404(client, campaign, make_user, login, scope, path):
    login(make_user("supervisor", scope))
    assert client.get(path).status_code == 404


def test_a_commune_supervisor_sees_only_their_commune(client, campaign, make_user, login):
    login(make_user("supervisor", "90002"))
    page = client.get(f"/coverage?{OCTOBER}").text
    assert "Xã Bình Thử" in page and "Phường An Thử" not in page and "Xã Cái Thử" not in page


def test_the_gap_list_comes_first_biggest_gap_first(client, campaign, supervisor):
    page = client.get(f"/coverage?{OCTOBER}&lang=en").text
    gaps = section(page, 'class="gap-list"', "</ol>")
    assert page.index('class="gap-list"') < page.index('class="coverage-table"')
    names = re.findall(r'class="gap-name" href="[^"]*">([^<]+)<', gaps)
    assert names == ["Phường An Thử", "Xã Bình Thử", "Xã Cái Thử"]  # gap 0.027, then 0, then no statistics
    first = section(gaps, "Phường An Thử", "</li>")
    assert "7.0%" in first and "61.4%" in first and "2.7%" in first  # rate, reach 43/70, gap score
    assert "Last activity 31/10/2026" in first and "No activity in the period" not in gaps


def test_no_activity_in_the_period_is_flagged(client, campaign, supervisor):
    page = client.get("/coverage?from=2026-12-01&to=2026-12-31&lang=en").text
    gaps = section(page, 'class="gap-list"', "</ol>")
    assert gaps.count("No activity in the period") == 3
    assert "3 of 3 communes had no activity in the period." in page


def test_the_table_has_every_commune_and_the_totals_in_vietnamese_numbers(client, campaign, supervisor):
    page = client.get(f"/coverage?{OCTOBER}&lang=vi").text
    table = section(page, 'class="coverage-table"', "</table>")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    assert len(rows) == 5  # the heading, three communes, the totals
    cells = lambda row: [unescape(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]  # noqa: E731
    a = cells(rows[1])
    assert "Phường An Thử" in a[0]
    assert a[1:] == [
        "1.000",
        "20",
        "50",
        "2,0%",
        "7,0%",
        "1",
        "1",
        "1",
        "1",
        "1",
        "5",
        "212",
        "100",
        "43",
        "61,4%",
        "2,7%",
        "31/10/2026",
    ]
    c = cells(rows[3])
    assert "Xã Cái Thử" in c[0] and c[1:6] == ["—", "—", "—", "—", "—"] and c[-3:-1] == ["—", "—"]
    totals = cells(rows[4])
    assert totals[1:4] == ["2.000", "40", "100"] and totals[11:15] == ["7", "219", "130", "123"]
    assert totals[15] == "87,9%"  # 123 / 140
    assert 'data-value="0.6142857142857143"' in table  # raw values for sorting, whatever the language


def test_sorting_script_is_loaded_and_the_table_works_without_it(client, campaign, supervisor):
    page = client.get("/coverage").text
    assert "js/coverage-table.js" in page and "data-sortable" in page
    for path in ("/static/js/coverage-table.js", "/static/css/coverage.css"):
        with client.get(path) as response:
            assert response.status_code == 200


def test_the_default_period_is_named(client, campaign, supervisor):
    page = client.get("/coverage?lang=en").text
    assert "Last 90 days" in page and "the default period" in page
    assert "the default period" not in client.get(f"/coverage?{OCTOBER}&lang=en").text


@pytest.mark.parametrize(
    ("illustrative", "approximate", "expected", "absent"),
    [
        (
            {"90001", "90002"},
            {"90001", "90002", "90003"},
            ["the poverty figures here are illustrative", "commune boundaries are approximate"],
            ["†", "≈"],
        ),
        ({"90001"}, {"90002"}, ["figures marked † are illustrative", "boundaries marked ≈ are approximate"], []),
        (set(), set(), [], ["Illustrative statistics", "Approximate boundaries"]),
    ],
)
def test_illustrative_statistics_and_approximate_boundaries_are_labelled(
    client, campaign, supervisor, illustrative, approximate, expected, absent
):
    for stat in db.session.scalars(db.select(AreaStat)):
        stat.illustrative = stat.area_code in illustrative
    for area in db.session.scalars(db.select(Area)):
        area.approximate = area.code in approximate
    db.session.commit()
    page = client.get(f"/coverage?{OCTOBER}&lang=en").text
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page
    commune = client.get(f"/coverage/90001?{OCTOBER}&lang=en").text
    assert ("Illustrative statistics" in commune) == ("90001" in illustrative)
    assert ("Approximate boundaries" in commune) == ("90001" in approximate)


def test_links_keep_the_filters(client, campaign, supervisor):
    query = "from=2026-10-01&to=2026-10-31&type=talk&officer=o2&status=submitted"
    page = client.get(f"/coverage?{query}").text
    links = [link for link in hrefs(page, "/coverage/") if not link.startswith("/coverage/money")]
    assert len(links) == 6  # each commune in the gap list and in the table
    assert all(parse_qs(urlsplit(link).query) == FILTERS for link in links)
    commune = client.get(links[0]).text
    back = hrefs(commune, "/coverage?")
    assert back and parse_qs(urlsplit(back[0]).query) == FILTERS
    for name, value in (("from", "2026-10-01"), ("to", "2026-10-31")):
        assert f'name="{name}" value="{value}"' in commune
    assert '<option value="o2" selected>' in commune and '<option value="talk" selected>' in commune


def test_period_presets_keep_the_other_filters(client, campaign, supervisor):
    page = client.get("/coverage?type=talk&lang=en").text
    presets = section(page, 'class="presets"', "</p>")
    queries = [parse_qs(urlsplit(link).query) for link in hrefs(presets, "/coverage")]
    assert queries[0] == {"type": ["talk"]}  # the last 90 days: no dates
    assert all(q["type"] == ["talk"] and set(q) == {"type", "from", "to"} for q in queries[1:])


def test_bad_filters_are_shown_on_the_page(client, campaign, supervisor):
    response = client.get("/coverage?from=2026-10-31&to=2026-10-01&lang=en")
    assert response.status_code == 400
    assert "Must not be before the start date." in response.text and 'class="coverage-table"' not in response.text
    assert client.get("/coverage/90001?type=party").status_code == 400


def test_the_commune_page_numbers_entries_and_map(client, campaign, supervisor):
    page = client.get(f"/coverage/90001?{OCTOBER}&lang=en").text
    assert "<h1>Phường An Thử</h1>" in page
    facts = section(page, 'class="facts commune-facts"', "</dl>")
    for text in ("1,000", "7.0%", "212", "100", "15", "28", "61.4%", "2.7%"):
        assert f"<dd>{text}</dd>" in facts
    entries = re.findall(r'href="/activities/([0-9a-f-]{36})"', page)
    assert len(entries) == 5
    assert "broadcast 2026-10-31T23:59" in page  # the newest entry
    assert "Entries in the period (5)" in page
    assert "L.map(" in page and "105.7" in page  # the commune's boundary
    assert page.count('"type": "Point"') == 5  # the entries with GPS, the deleted one left out
    assert "/static/vendor/leaflet/leaflet.js" in page and assets_from_elsewhere(page) == []
    assert "5 entries with a position in the period" in page


def test_the_commune_page_counts_entries_without_gps_but_cannot_map_them(client, campaign, supervisor):
    page = client.get(f"/coverage/90002?{OCTOBER}&lang=en").text
    assert len(re.findall(r'href="/activities/[0-9a-f-]{36}"', page)) == 1
    assert "No entry with a position in the period." in page


def test_the_commune_page_pages_its_entries_newest_first(app, client, campaign, supervisor):
    app.config["FIELDKIT_PAGE_SIZE"] = 2
    first = client.get(f"/coverage/90001?{OCTOBER}&lang=en").text
    more = hrefs(first, "/coverage/90001?")
    older = [link for link in more if "cursor=" in link]
    assert len(older) == 1 and parse_qs(urlsplit(older[0]).query)["from"] == ["2026-10-01"]
    second = client.get(older[0]).text
    seen = re.findall(r'href="/activities/([0-9a-f-]{36})"', first) + re.findall(
        r'href="/activities/([0-9a-f-]{36})"', second
    )
    assert len(seen) == len(set(seen)) == 4
    assert client.get("/coverage/90001?cursor=nonsense").status_code == 400


def test_an_officers_topic_cannot_script_the_map(client, areas, supervisor, make_user):
    officer = make_user("officer", "90001")
    add(officer, "talk", "2026-10-05T09:00", participants=1)
    activity = db.session.scalar(db.select(Activity))
    activity.topic = "<img src=x onerror=alert(1)>"
    db.session.commit()
    page = client.get(f"/coverage/90001?{OCTOBER}").text
    script = page[page.index("L.map(") :]
    assert "<img src=x" not in script and r"\u0026lt;img src=x" in script  # &lt;, in a JSON string


# The builder itself: plain data in, a folium map out.

A_BOX = SQUARES["90001"][2]
ASSETS = Assets("/static/vendor")


def test_commune_map_frames_the_commune_and_draws_each_point():
    points = [Point(10.01, 105.71, "#c0392b", "Nói chuyện"), Point(10.015, 105.705, "#2471a3", "Pa-nô")]
    fmap = commune_map(square(A_BOX), points, ASSETS)
    html = fmap.get_root().render()
    assert "#c0392b" in html and "#2471a3" in html and json.dumps("Nói chuyện") in html
    assert "L.tileLayer" not in html
    assert "/static/vendor/leaflet/leaflet.js" in html and not re.search(r"https?:", html)  # no CDN, no tiles
    assert fmap.get_bounds() == [[10.0, 105.7], [10.02, 105.72]]


def test_commune_map_takes_multipolygons_and_no_points():
    _west, south, east, north = A_BOX
    beside = (east, south, east + 0.01, north)
    multi = {"type": "MultiPolygon", "coordinates": [square(A_BOX)["coordinates"], square(beside)["coordinates"]]}
    fmap = commune_map(multi, [], ASSETS, Tiles("https://tiles.example/{z}/{x}/{y}.png", "© Example"))
    assert fmap.get_bounds() == [[10.0, 105.7], [10.02, 105.73]]
    assert "L.tileLayer" in fmap.get_root().render()


@pytest.mark.parametrize(
    ("boundary", "points", "message"),
    [
        ({"type": "Point", "coordinates": [105.7, 10.0]}, [], "Expected a GeoJSON Polygon or MultiPolygon"),
        (square(A_BOX), [Point(105.71, 10.01, "#000", "swapped")], "Expected (lat, lon)"),
    ],
)
def test_commune_map_says_what_it_expected(boundary, points, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        commune_map(boundary, points, ASSETS)


def test_progress_against_the_targets_shows_on_both_pages(client, campaign, supervisor):
    from fieldkit.extensions import db
    from fieldkit.targets.services import set_targets
    from fieldkit.timeutil import utcnow

    year = utcnow().year
    set_targets("90001", year, {"talk": 10})
    db.session.commit()
    page = client.get("/coverage").text
    assert "progress-targets" in page and 'data-type="talk"' in page
    commune = client.get("/coverage/90001").text
    assert "progress-targets" in commune and 'data-type="talk"' in commune
