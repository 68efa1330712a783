"""Coverage per commune, checked against numbers worked out by hand from a small campaign (DESIGN §5).

The campaign, October 2026 in Can Tho time (UTC+7). Communes A (90001) and B (90002) have 1,000 households,
20 poor and 50 near-poor (target 70, multidimensional rate 0.07); C (90003) has no statistics.

  A  talk       05/10 09:00  40 people, 5 poor, 8 near-poor       o1  submitted
  A  leaflet    10/10 14:00  200 copies, 60 households, 10 + 20    o2  verified
  A  banner     01/10 00:30  3 (the first minute of the period in local time; 30/09 17:30 UTC)  o1  submitted
  A  broadcast  31/10 23:59  4 sessions (the last minute; 16:59 UTC)  o1  returned
  A  media      15/10 10:00  5 items, GPS in A but declared B: counts in A   o2  verified
  A  media      01/11 00:10  2 items — after the period locally, though still 31/10 in UTC   o1
  A  talk       30/09 23:50  100 people — before the period            o1
  A  leaflet    20/10, deleted: never counted                          o1
  B  talk       20/10 10:00  no GPS, declared B: 30 people, 20 + 60 (80 > 70: reach capped at 1)  o2  submitted
  C  banner     12/10 08:00  7                                         o1  submitted

In October: A has one of each type, items 3 + 200 + 4 + 5 = 212, people 40 + 60 = 100, poor 15, near-poor 28,
households reached 43, reach 43/70, gap 0.07 × 27/70 = 0.027; B reach 1, gap 0; C reach and gap None.
"""

from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from fieldkit.activities.coverage import compute, compute_by_type, sort_key
from fieldkit.activities.queries import Filters
from fieldkit.activity_types import ActivityType, tallies
from fieldkit.coverage import period
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, AreaStat
from fieldkit.timeutil import to_utc, utcnow
from tests.factories import INSIDE_A, VN, sql_statements, square

OCTOBER = Filters(date(2026, 10, 1), date(2026, 10, 31))
EMPTY = {"talk": 0, "banner": 0, "leaflet": 0, "broadcast": 0, "media": 0}
C_BOX = (105.70, 10.03, 105.72, 10.05)


def add_commune_without_stats(code="90003", name="Cái Thử"):
    """A third commune, north of A, with no statistics."""
    west, south, east, north = C_BOX
    db.session.add(
        Area(
            code=code,
            name=name,
            kind="Xã",
            province_code="92",
            geometry=square(C_BOX),
            centroid_lat=(south + north) / 2,
            centroid_lon=(west + east) / 2,
            bbox=list(C_BOX),
        )
    )
    db.session.commit()


def add(officer, kind, when, area="90001", declared=None, gps=True, status="submitted", deleted=False, **details):
    """Store an activity as the services would: UTC time with the device's offset, tallies from the details."""
    occurred_at, offset = to_utc(datetime.fromisoformat(when).replace(tzinfo=VN))
    counted = tallies(kind, details)
    activity = Activity(
        uuid=Activity.new_uuid(),
        type=kind,
        occurred_at=occurred_at,
        utc_offset_min=offset,
        officer_id=officer.id,
        lat=INSIDE_A[0] if gps else None,
        lon=INSIDE_A[1] if gps else None,
        accuracy_m=10 if gps else None,
        location_source="gps" if gps else "none",
        area_code=area if gps else None,
        declared_area_code=declared or area,
        topic=f"{kind} {when}",
        details=details,
        people_reached=counted["people"],
        poor_reached=counted["poor"],
        near_poor_reached=counted["near_poor"],
        items=counted["items"],
        status=status,
        content_hash="test",
        deleted_at=utcnow() if deleted else None,
    )
    db.session.add(activity)
    db.session.commit()
    return activity


def build_campaign(make_user) -> SimpleNamespace:
    """The campaign in the module docstring; return its officers."""
    add_commune_without_stats()
    o1, o2 = make_user("officer", "90001", username="o1"), make_user("officer", "90002", username="o2")
    add(o1, "talk", "2026-10-05T09:00", participants=40, poor_members=5, near_poor_members=8)
    add(
        o2,
        "leaflet",
        "2026-10-10T14:00",
        status="verified",
        copies=200,
        households_reached=60,
        poor_households_reached=10,
        near_poor_households_reached=20,
    )
    add(o1, "banner", "2026-10-01T00:30", quantity=3)
    add(o1, "broadcast", "2026-10-31T23:59", status="returned", sessions=4)
    add(o2, "media", "2026-10-15T10:00", declared="90002", status="verified", items=5)
    add(o1, "media", "2026-11-01T00:10", items=2)
    add(o1, "talk", "2026-09-30T23:50", participants=100)
    add(o1, "leaflet", "2026-10-20T09:00", deleted=True, copies=50, households_reached=50, poor_households_reached=50)
    add(o2, "talk", "2026-10-20T10:00", area="90002", gps=False, participants=30, poor_members=20, near_poor_members=60)
    add(o1, "banner", "2026-10-12T08:00", area="90003", quantity=7)
    return SimpleNamespace(o1=o1, o2=o2)


@pytest.fixture
def campaign(areas, make_user):
    return build_campaign(make_user)


@pytest.fixture
def city(make_user):
    return make_user("supervisor")


def by_code(coverage) -> dict:
    return {a.code: a for a in coverage.areas}


def test_every_metric_of_every_commune_in_october(campaign, city):
    found = by_code(compute(city, OCTOBER))
    a, b, c = found["90001"], found["90002"], found["90003"]
    assert a.activities == {"talk": 1, "banner": 1, "leaflet": 1, "broadcast": 1, "media": 1}
    assert (a.items, a.people, a.poor_reached, a.near_poor_reached, a.households_reached) == (212, 100, 15, 28, 43)
    assert (a.households, a.poor_households, a.near_poor_households) == (1000, 20, 50)
    assert a.poverty_rate == pytest.approx(0.02) and a.multidimensional_rate == pytest.approx(0.07)
    assert a.reach == pytest.approx(43 / 70) and a.gap_score == pytest.approx(0.027)
    assert a.last_activity == datetime(2026, 10, 31, 16, 59)  # naive UTC: 23:59 in Can Tho
    assert b.activities == {**EMPTY, "talk": 1}
    assert (b.items, b.people, b.households_reached) == (0, 30, 80)
    assert b.reach == 1.0 and b.gap_score == 0.0
    assert b.last_activity == datetime(2026, 10, 20, 3, 0)
    assert c.activities == {**EMPTY, "banner": 1} and c.items == 7
    assert c.households is None and c.illustrative is None
    assert (c.poverty_rate, c.multidimensional_rate, c.reach, c.gap_score) == (None, None, None, None)


def test_totals(campaign, city):
    totals = compute(city, OCTOBER).totals
    assert totals.activities == {"talk": 2, "banner": 2, "leaflet": 1, "broadcast": 1, "media": 1}
    assert (totals.items, totals.people, totals.poor_reached, totals.near_poor_reached) == (219, 130, 35, 88)
    assert (totals.households, totals.poor_households, totals.near_poor_households) == (2000, 40, 100)
    assert totals.households_reached == 123
    # Reach and gap over the communes with statistics: (43 + 80) / 140, uncapped per commune.
    assert totals.reach == pytest.approx(123 / 140) and totals.gap_score == pytest.approx(0.07 * 17 / 140)
    assert (totals.communes, totals.communes_without_activity) == (3, 0)
    assert totals.last_activity == datetime(2026, 10, 31, 16, 59)


def test_gap_list_ranks_by_gap_score_with_communes_without_statistics_last(campaign, city, make_user):
    assert [a.code for a in compute(city, OCTOBER).gaps()] == ["90001", "90002", "90003"]
    assert [a.code for a in compute(city, OCTOBER).gaps(1)] == ["90001"]
    # In an empty month both communes with statistics have reach 0 and gap 0.07: fewer activities, then name.
    december = compute(city, Filters(date(2026, 12, 1), date(2026, 12, 31)))
    assert [a.code for a in december.gaps()] == ["90001", "90002", "90003"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 10, 1), date(2026, 10, 1), {"90001": {**EMPTY, "banner": 1}}),  # 00:30 local, 30/09 in UTC
        (date(2026, 10, 31), date(2026, 10, 31), {"90001": {**EMPTY, "broadcast": 1}}),
        (date(2026, 11, 1), date(2026, 11, 30), {"90001": {**EMPTY, "media": 1}}),  # 00:10 local, still 31/10 in UTC
        (date(2026, 9, 30), date(2026, 9, 30), {"90001": {**EMPTY, "talk": 1}}),
        (None, date(2026, 9, 30), {"90001": {**EMPTY, "talk": 1}}),
        (date(2026, 12, 1), None, {}),
    ],
)
def test_period_boundaries_are_local_dates(campaign, city, start, end, expected):
    found = by_code(compute(city, Filters(start, end)))
    assert {code: a.activities for code, a in found.items() if a.total_activities} == expected


def test_an_empty_period_has_zeros_and_no_last_activity(campaign, city):
    found = by_code(compute(city, Filters(date(2026, 12, 1), date(2026, 12, 31))))
    for a in found.values():
        assert (a.activities, a.items, a.people, a.households_reached, a.last_activity) == (EMPTY, 0, 0, 0, None)
    assert found["90001"].reach == 0.0 and found["90001"].gap_score == pytest.approx(0.07)
    assert found["90003"].reach is None and found["90003"].gap_score is None
    totals = compute(city, Filters(date(2026, 12, 1), date(2026, 12, 31))).totals
    assert (totals.communes_without_activity, totals.reach, totals.last_activity) == (3, 0.0, None)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(type="talk"), {"90001": {**EMPTY, "talk": 1}, "90002": {**EMPTY, "talk": 1}}),
        (Filters(officer="o2"), {"90001": {**EMPTY, "leaflet": 1, "media": 1}, "90002": {**EMPTY, "talk": 1}}),
        (Filters(status="verified"), {"90001": {**EMPTY, "leaflet": 1, "media": 1}}),
        (Filters(status="returned"), {"90001": {**EMPTY, "broadcast": 1}}),
        (Filters(officer="nobody"), {}),
    ],
)
def test_filters(campaign, city, filters, expected):
    found = by_code(compute(city, replace(filters, date_from=OCTOBER.date_from, date_to=OCTOBER.date_to)))
    assert len(found) == 3
    assert {code: a.activities for code, a in found.items() if a.total_activities} == expected


def test_type_filter_changes_reach(campaign, city):
    a = by_code(compute(city, Filters(OCTOBER.date_from, OCTOBER.date_to, type="talk")))["90001"]
    assert (a.households_reached, a.items) == (13, 0)
    assert a.reach == pytest.approx(13 / 70) and a.gap_score == pytest.approx(0.07 * 57 / 70)


def test_area_filter_keeps_one_commune_and_counts_entries_without_gps_by_their_declared_commune(campaign, city):
    found = compute(city, Filters(OCTOBER.date_from, OCTOBER.date_to, area="90002")).areas
    assert [(a.code, a.activities["talk"], a.households_reached) for a in found] == [("90002", 1, 80)]
    assert compute(city, Filters(area="99999")).areas == []


def test_a_commune_supervisor_sees_only_their_commune(campaign, make_user):
    local = make_user("supervisor", "90002")
    assert [a.code for a in compute(local, OCTOBER).areas] == ["90002"]
    assert [a.code for a in compute(local, Filters(area="90002")).areas] == ["90002"]
    assert compute(local, Filters(area="90001")).areas == []
    # The media entry declared B but placed in A by its GPS point is A's, so not B's supervisor's.
    assert by_code(compute(local, OCTOBER))["90002"].activities == {**EMPTY, "talk": 1}


def test_the_latest_statistics_count_and_illustrative_is_carried(campaign, city):
    db.session.add(
        AreaStat(area_code="90001", year=2024, households=10, poor_households=9, near_poor_households=1, source="old")
    )
    db.session.add(
        AreaStat(
            area_code="90002",
            year=2026,
            households=500,
            poor_households=50,
            near_poor_households=50,
            source="demo",
            illustrative=True,
        )
    )
    db.session.commit()
    found = by_code(compute(city, OCTOBER))
    assert (found["90001"].households, found["90001"].illustrative) == (1000, False)
    assert (found["90002"].households, found["90002"].illustrative) == (500, True)
    assert found["90002"].multidimensional_rate == pytest.approx(0.2) and found["90002"].reach == pytest.approx(0.8)


def test_one_query_whatever_the_number_of_communes(campaign, city):
    db.session.refresh(city)  # loaded now, so that only the coverage query is counted
    with sql_statements() as statements:
        compute(city, Filters(officer="o1", status="submitted"))
    assert len(statements) == 1 and "GROUP BY" in statements[0]


def test_by_type_answers_what_the_type_filter_answers_for_each_type(campaign, city):
    def shown(coverage):
        return [a.as_dict() for a in coverage.areas], coverage.totals.as_dict(), [a.code for a in coverage.gaps()]

    overall, per_type = compute_by_type(city, OCTOBER)
    assert shown(overall) == shown(compute(city, OCTOBER))
    assert set(per_type) == {t.value for t in ActivityType}
    for kind, coverage in per_type.items():
        assert shown(coverage) == shown(compute(city, replace(OCTOBER, type=kind))), kind
    assert per_type["talk"].totals.activities["talk"] == 2 and per_type["talk"].totals.people == 70


def test_names_sort_as_vietnamese_readers_expect():
    names = ["Đông Thạnh", "Ấp Mới", "Bình Thủy", "Dương Hòa", "An Bình", "Ê Đê"]
    assert sorted(names, key=sort_key) == ["An Bình", "Ấp Mới", "Bình Thủy", "Dương Hòa", "Đông Thạnh", "Ê Đê"]


def test_the_default_period_is_the_last_90_days_up_to_today():
    filters, span = period.complete(Filters(type="talk"), date(2026, 11, 26))
    assert (filters.date_from, filters.date_to, filters.type) == (date(2026, 8, 29), date(2026, 11, 26), "talk")
    assert (span.default, span.days) == (True, 90)
    filters, span = period.complete(Filters(date_from=date(2026, 10, 1)), date(2026, 11, 26))
    assert (filters.date_to, span.default) == (date(2026, 11, 26), False)
    filters, _span = period.complete(Filters(date_to=date(2026, 3, 31)), date(2026, 11, 26))
    assert filters.date_from == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("day", "back", "expected"),
    [
        (date(2026, 11, 26), 0, (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 11, 26), 1, (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 1, 5), 1, (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 3, 31), 0, (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_quarters(day, back, expected):
    assert period.quarter(day, back) == expected


def test_local_dates_of_utc_times():
    assert period.local_date(datetime(2026, 10, 31, 17, 10), "Asia/Ho_Chi_Minh") == date(2026, 11, 1)
    assert period.local_date(datetime(2026, 10, 31, 16, 59), "Asia/Ho_Chi_Minh") == date(2026, 10, 31)
