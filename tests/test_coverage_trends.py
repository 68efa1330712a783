"""Weekly trends on the coverage pages: counted by hand against fixtures at the edges of local weeks, the scope,
the filters and withdrawn entries; the SVG charts and their table."""

import re
import uuid as uuid_module
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from fieldkit.activities import rollup, services
from fieldkit.activities.coverage import compute
from fieldkit.activities.queries import Filters
from fieldkit.coverage import charts, trends
from fieldkit.extensions import db
from tests.factories import INSIDE_A, INSIDE_B, VN

PERIOD = Filters(date(2025, 10, 1), date(2025, 10, 19))  # Wednesday to Sunday: three weeks, the first cut short
QUERY = "from=2025-10-01&to=2025-10-19"
DETAILS = {
    "talk": lambda poor, near: {"format": "talk", "participants": 40, "poor_members": poor, "near_poor_members": near},
    "leaflet": lambda poor, near: {
        "copies": 100,
        "households_reached": 30,
        "poor_households_reached": poor,
        "near_poor_households_reached": near,
    },
    "banner": lambda *_: {"kind": "panel", "quantity": 2},
    "broadcast": lambda *_: {"sessions": 3, "minutes": 45},
}


def entry(officer, kind: str, moment: datetime, in_b: bool = False, poor: int = 0, near: int = 0):
    """Store an entry of the type at the (aware) moment, in commune A or B."""
    where, code = (INSIDE_B, "90002") if in_b else (INSIDE_A, "90001")
    data = {
        "uuid": str(uuid_module.uuid4()),
        "type": kind,
        "occurred_at": moment,
        "lat": where[0],
        "lon": where[1],
        "accuracy_m": 10.0,
        "location_source": "gps",
        "declared_area_code": code,
        "topic": f"{kind} {moment.isoformat()}",
        "notes": "",
        "details": DETAILS[kind](poor, near),
    }
    activity, _ = services.receive(officer, data)
    return activity


@pytest.fixture
def campaign(make_user, areas):
    """The hand-counted fixture (local time is UTC+7):

    week 1 (01–05/10): a talk on Wednesday (5 + 8 households), a leaflet on Sunday 23:30 (10 + 5)
    week 2 (06–12/10): a banner on Monday 00:10 (still Sunday in UTC), a talk in commune B (7 + 0)
    week 3 (13–19/10): a talk sent from a phone at UTC+0 on Sunday 18:00 (Monday 01:00 here; 2 + 1), a broadcast
    left out: a withdrawn talk in week 2, a talk at 23:59 the day before the period, one at 00:00 the day after.
    """
    officer_a, officer_b = make_user("officer", "90001"), make_user("officer", "90002")
    entry(officer_a, "talk", datetime(2025, 10, 1, 8, 0, tzinfo=VN), poor=5, near=8)
    entry(officer_a, "leaflet", datetime(2025, 10, 5, 23, 30, tzinfo=VN), poor=10, near=5)
    entry(officer_a, "banner", datetime(2025, 10, 6, 0, 10, tzinfo=VN))
    entry(officer_b, "talk", datetime(2025, 10, 8, 9, 0, tzinfo=VN), in_b=True, poor=7)
    entry(officer_a, "talk", datetime(2025, 10, 12, 18, 0, tzinfo=UTC), poor=2, near=1)
    entry(officer_a, "broadcast", datetime(2025, 10, 14, 10, 0, tzinfo=VN))
    withdrawn = entry(officer_a, "talk", datetime(2025, 10, 7, 9, 0, tzinfo=VN), poor=50, near=50)
    services.withdraw(officer_a, withdrawn)
    entry(officer_a, "talk", datetime(2025, 9, 30, 23, 59, tzinfo=VN), poor=1)
    entry(officer_a, "talk", datetime(2025, 10, 20, 0, 0, tzinfo=VN), poor=1)
    db.session.commit()


def counted(result: trends.Trends) -> list[dict]:
    """Each week's non-zero counts per type, and its households."""
    return [
        {**{kind: n for kind, n in per_type.items() if n}, "households": households}
        for _week, per_type, _all, households in result.rows()
    ]


ZONE = "Asia/Ho_Chi_Minh"


def test_weeks_run_monday_to_sunday_cut_to_the_period():
    assert trends.weeks(date(2025, 10, 1), date(2025, 10, 19)) == [
        trends.Week(date(2025, 10, 1), date(2025, 10, 5)),
        trends.Week(date(2025, 10, 6), date(2025, 10, 12)),
        trends.Week(date(2025, 10, 13), date(2025, 10, 19)),
    ]
    assert trends.weeks(date(2025, 10, 6), date(2025, 10, 6)) == [trends.Week(date(2025, 10, 6), date(2025, 10, 6))]
    assert trends.week_count(date(2025, 10, 1), date(2025, 10, 19)) == 3
    assert trends.week_count(date(2025, 1, 1), date(2025, 12, 31)) == len(
        trends.weeks(date(2025, 1, 1), date(2025, 12, 31))
    )


def test_a_city_supervisor_sees_every_commune_per_local_week(app, make_user, campaign):
    result = trends.weekly(make_user("supervisor"), PERIOD, ZONE)
    assert counted(result) == [
        {"talk": 1, "leaflet": 1, "households": 28},
        {"banner": 1, "talk": 1, "households": 7},
        {"talk": 1, "broadcast": 1, "households": 3},
    ]
    assert result.per_week() == [2, 2, 2] and result.total == 6


def test_a_commune_supervisor_sees_only_their_commune(app, make_user, campaign):
    result = trends.weekly(make_user("supervisor", "90001"), PERIOD, ZONE)
    assert counted(result) == [
        {"talk": 1, "leaflet": 1, "households": 28},
        {"banner": 1, "households": 0},
        {"talk": 1, "broadcast": 1, "households": 3},
    ]


def test_the_filters_narrow_the_weeks_and_the_weeks_add_up_to_the_coverage_totals(app, make_user, campaign):
    supervisor = make_user("supervisor")
    talks = trends.weekly(supervisor, Filters(PERIOD.date_from, PERIOD.date_to, type="talk"), ZONE)
    assert counted(talks) == [{"talk": 1, "households": 13}, {"talk": 1, "households": 7}, {"talk": 1, "households": 3}]
    in_b = trends.weekly(supervisor, Filters(PERIOD.date_from, PERIOD.date_to, area="90002"), ZONE)
    assert in_b.per_week() == [0, 1, 0]
    result = trends.weekly(supervisor, PERIOD, ZONE)
    totals = compute(supervisor, PERIOD).totals
    assert {kind: sum(counts) for kind, counts in result.activities.items()} == totals.activities
    assert sum(result.households) == totals.households_reached


def test_weeks_follow_the_configured_zone_across_a_change_of_offset(app, make_user, areas):
    """Paris leaves summer time on Sunday 26/10/2025: Sunday 23:30 there is 22:30 UTC, still the week of 20/10."""
    app.config["FIELDKIT_TIMEZONE"] = "Europe/Paris"
    officer = make_user("officer", "90001")
    entry(officer, "banner", datetime(2025, 10, 26, 22, 30, tzinfo=UTC))  # Sunday 23:30 in Paris
    entry(officer, "banner", datetime(2025, 10, 26, 23, 30, tzinfo=UTC))  # Monday 00:30 in Paris
    db.session.commit()
    result = trends.weekly(make_user("supervisor"), Filters(date(2025, 10, 20), date(2025, 11, 2)), "Europe/Paris")
    assert result.per_week() == [1, 1]


def test_a_period_longer_than_two_years_draws_no_trend(app, make_user, areas):
    result = trends.weekly(make_user("supervisor"), Filters(date(2025, 1, 1), date(2027, 12, 31)), ZONE)
    assert result.too_long and result.weeks == []


def trend_rows(page: str) -> list[list[str]]:
    """The cells of the trends table, each row from its week to its households."""
    table = page[page.index('class="trend-numbers') : page.index("</table>", page.index('class="trend-numbers'))]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, flags=re.S)
    return [[unescape(week), *re.findall(r"<td>([^<]*)</td>", cells)] for week, cells in rows]


def test_the_coverage_page_draws_the_trends_and_their_table(client, make_user, login, campaign):
    login(make_user("supervisor"))
    page = client.get(f"/coverage?{QUERY}&lang=en").text
    assert 'aria-labelledby="trends-title"' in page
    assert (
        page.count('<svg class="chart"') == 2
        and "<script" not in page[page.index("trends-title") :].split("</section>")[0]
    )
    # columns: talk, banner, leaflet, broadcast, media, all activities, households
    assert trend_rows(page) == [
        ["01/10/2025 – 05/10/2025", "1", "0", "1", "0", "0", "2", "28"],
        ["06/10/2025 – 12/10/2025", "1", "1", "0", "0", "0", "2", "7"],
        ["13/10/2025 – 19/10/2025", "1", "0", "0", "1", "0", "2", "3"],
    ]
    assert "<details" in page and "The numbers per week as a table" in page


def test_the_commune_page_draws_its_own_trends(client, make_user, login, campaign):
    login(make_user("supervisor"))
    rows = trend_rows(client.get(f"/coverage/90001?{QUERY}&lang=en").text)
    assert [row[-2:] for row in rows] == [["2", "28"], ["1", "0"], ["2", "3"]]
    rows = trend_rows(client.get(f"/coverage/90002?{QUERY}&type=talk&lang=en").text)
    assert [row[-2:] for row in rows] == [["0", "0"], ["1", "7"], ["0", "0"]]


def test_an_empty_or_too_long_period_says_so(client, make_user, login, areas):
    login(make_user("supervisor"))
    assert "No activity in the period." in client.get(f"/coverage?{QUERY}&lang=en").text
    long = client.get("/coverage?from=2025-01-01&to=2027-12-31&lang=en").text
    assert "Trends are drawn for periods of up to two years" in long


def test_bars_stack_the_series_and_escape_every_text():
    svg = charts.stacked_bars(
        "t",
        "Per <week>",
        ["01/10", "06/10"],
        [charts.Series("A & B", "#c0392b", [3, 0]), charts.Series('"C"', "#2471a3", [1, 2])],
        descriptions=["w1", "w2"],
    )
    assert svg.count("<rect") == 3  # no rectangle for a zero
    assert "Per &lt;week&gt;" in svg and "A &amp; B: 3" in svg and "&#34;C&#34;: 2" in svg
    assert 'role="img"' in svg and 'aria-labelledby="t-title"' in svg
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"', svg)[1:]]
    assert heights[0] == pytest.approx(3 * heights[2] / 2)  # 3 and 2 drawn to one scale


@pytest.mark.parametrize(
    ("highest", "ticks"), [(0, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (180, [0, 50, 100, 150, 200])]
)
def test_grid_lines_fall_on_round_numbers(highest, ticks):
    assert charts.nice_ticks(highest) == ticks


def test_bars_refuse_data_that_does_not_line_up():
    with pytest.raises(ValueError, match=r"one value per label \(2\).*\[1\]"):
        charts.stacked_bars("t", "x", ["a", "b"], [charts.Series("s", "#000", [1])])
    with pytest.raises(ValueError, match="negative"):
        charts.stacked_bars("t", "x", ["a"], [charts.Series("s", "#000", [-1])])


def test_trends_cost_one_query(app, make_user, campaign):
    from tests.factories import sql_statements

    supervisor = make_user("supervisor")
    assert supervisor.role == "supervisor"  # loaded before counting
    assert rollup.ready(supervisor, Filters())  # the rollup's state, read once per request
    with sql_statements() as statements:
        trends.weekly(supervisor, Filters(PERIOD.date_from, PERIOD.date_to + timedelta(days=365)), ZONE)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
