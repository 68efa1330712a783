"""The coverage rollup: kept by every write, it answers exactly what counting the entries answers."""

import importlib.util
import threading
import uuid as uuid_module
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask import g

from fieldkit import schema
from fieldkit.activities import rollup, services
from fieldkit.activities.bodies import by_body
from fieldkit.activities.coverage import compute, compute_by_type
from fieldkit.activities.queries import Filters
from fieldkit.coverage import trends
from fieldkit.extensions import db
from fieldkit.models import CoverageRollup, CoverageRollupState, User
from fieldkit.models.coverage_rollup import DAY, DEKAD, MONTH
from tests.factories import INSIDE_A, INSIDE_B, VN, sql_statements

ZONE = "Asia/Ho_Chi_Minh"
# Month ends in local time, either side of local midnight (17:00 UTC), and a phone at UTC+0.
MOMENTS = [
    datetime(2025, 9, 30, 23, 30, tzinfo=VN),
    datetime(2025, 10, 1, 0, 10, tzinfo=VN),
    datetime(2025, 10, 15, 12, 0, tzinfo=VN),
    datetime(2025, 10, 16, 0, 0, tzinfo=VN),  # local midnight: the 16th's, not the 15th's
    datetime(2025, 10, 31, 23, 59, tzinfo=VN),
    datetime(2025, 10, 31, 17, 30, tzinfo=UTC),  # 1 November, 00:30 here
    datetime(2025, 11, 20, 8, 0, tzinfo=VN),
    datetime(2025, 12, 1, 0, 0, tzinfo=VN),
    # Either side of the dekads' first days (the 11th, the 21st).
    datetime(2025, 10, 10, 23, 30, tzinfo=VN),
    datetime(2025, 10, 11, 0, 5, tzinfo=VN),
    datetime(2025, 10, 20, 23, 0, tzinfo=VN),
    datetime(2025, 10, 21, 7, 0, tzinfo=VN),
]
FILTERS = [
    Filters(),
    Filters(date(2025, 10, 1), date(2025, 10, 31)),  # one whole month
    Filters(date(2025, 9, 30), date(2025, 11, 1)),  # a whole month and ragged ends
    Filters(date(2025, 10, 1), date(2025, 10, 1)),  # one day
    Filters(date(2025, 10, 16), date(2025, 10, 16)),
    Filters(date(2025, 10, 2), date(2025, 11, 30)),
    Filters(date(2025, 10, 5), date(2025, 10, 25)),  # days, a dekad, days
    Filters(date(2025, 10, 11), date(2025, 11, 20)),  # four whole dekads across two months
    Filters(date(2025, 10, 21), date(2025, 10, 31)),  # the 31-day month's last dekad
    Filters(date(2025, 10, 20), date(2025, 10, 21)),
    Filters(date_from=date(2025, 11, 1)),
    Filters(date_to=date(2025, 10, 31)),
    Filters(type="banner"),
    Filters(date(2025, 9, 1), date(2025, 12, 31), area="90002"),
    Filters(org="MTTQ"),
]


def counted(user: User, filters: Filters, from_entries: bool) -> dict:
    """Everything coverage shows for the filters, from the rollup or (``from_entries``) from the entries."""
    g.rollup_zone = None if from_entries else ZONE
    assert rollup.ready(user, filters) is not from_entries
    result = compute(user, filters)
    answer = {
        "areas": [a.as_dict() for a in result.areas],
        "totals": result.totals.as_dict(),
        "bodies": [b.as_dict() for b in by_body(user, filters)],
        "by_type": {kind: [a.as_dict() for a in c.areas] for kind, c in compute_by_type(user, filters)[1].items()},
    }
    if filters.date_from and filters.date_to:
        weekly = trends.weekly(user, filters, ZONE)
        answer["trends"] = (weekly.activities, weekly.households)
    g.pop("rollup_zone")
    return answer


DETAILS = {
    "talk": {"format": "talk", "participants": 40, "poor_members": 5, "near_poor_members": 8},
    "leaflet": {
        "copies": 100,
        "households_reached": 30,
        "poor_households_reached": 4,
        "near_poor_households_reached": 6,
    },
    "banner": {"kind": "panel", "quantity": 2},
    "broadcast": {"sessions": 3, "minutes": 45},
}


def content(kind: str, moment: datetime, in_b: bool = False, positioned: bool = True) -> dict:
    """An entry of the type at the (aware) moment, in commune A or B (without a position: declared there)."""
    where, code = (INSIDE_B, "90002") if in_b else (INSIDE_A, "90001")
    return {
        "uuid": str(uuid_module.uuid4()),
        "type": kind,
        "occurred_at": moment,
        "lat": where[0] if positioned else None,
        "lon": where[1] if positioned else None,
        "accuracy_m": 10.0 if positioned else None,
        "location_source": "gps" if positioned else "none",
        "declared_area_code": code,
        "topic": f"{kind} {moment.isoformat()}",
        "notes": "",
        "details": DETAILS[kind],
    }


def store(officer, kind: str, moment: datetime, in_b: bool = False, positioned: bool = True):
    activity, _ = services.receive(officer, content(kind, moment, in_b, positioned))
    db.session.commit()
    return activity


@pytest.fixture
def campaign(make_user, areas, bodies):
    """Entries of every type over both communes and three months, some by the Fatherland Front's officer, one
    without a position (placed by its declared commune), one withdrawn."""
    front = make_user("officer", area_code=areas[1], username="mttq")
    front.organization_id = bodies["MTTQ"].id
    plain = make_user("officer", area_code=areas[0], username="xa")
    db.session.commit()
    kinds = ["talk", "banner", "broadcast", "leaflet"]
    stored = []
    for i, moment in enumerate(MOMENTS):
        stored.append(store(plain if i % 2 else front, kinds[i % 4], moment, in_b=i % 3 == 0))
    stored.append(store(plain, "talk", MOMENTS[2], in_b=True, positioned=False))
    gone = store(front, "talk", MOMENTS[3])
    services.withdraw(front, gone)
    db.session.commit()
    return {"front": front, "plain": plain, "entries": stored}


def rollup_rows() -> set[tuple]:
    db.session.expire_all()
    return {
        (r.place, r.grain, r.start, r.type, r.body, r.activities, r.items, r.people, r.poor, r.near_poor, r.last)
        for r in db.session.scalars(db.select(CoverageRollup))
    }


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_the_rollup_answers_as_the_entries_do(make_user, campaign, filters):
    city = make_user("supervisor", username="tp")
    commune = make_user("supervisor", area_code="90001", username="xa-gs")
    for user in (city, commune):
        from_rollup = counted(user, filters, from_entries=False)
        assert from_rollup == counted(user, filters, from_entries=True)
    assert from_rollup["totals"]["activities"] or filters.type or filters.org  # the case counts something


def test_every_write_keeps_the_rollup_as_a_rebuild_would(make_user, campaign):
    plain, front, entries = campaign["plain"], campaign["front"], campaign["entries"]
    kept = rollup_rows()
    assert kept == rebuilt()
    moved = entries[2]  # to another month, commune and type's measure
    payload = content(moved.type, datetime(2025, 12, 24, 9, 0, tzinfo=VN), in_b=moved.area_code != "90002")
    del payload["uuid"]
    assert services.revise(front if moved.officer_id == front.id else plain, moved, payload)
    db.session.commit()
    services.withdraw(entries[1].officer, entries[1])
    db.session.commit()
    store(plain, "leaflet", datetime(2025, 10, 15, 20, 0, tzinfo=VN))
    after = rollup_rows()
    assert after != kept
    assert after == rebuilt()
    supervisor = make_user("supervisor", username="tp")
    for filters in FILTERS:
        assert counted(supervisor, filters, from_entries=False) == counted(supervisor, filters, from_entries=True)


def rebuilt() -> set[tuple]:
    """The rollup as `flask coverage rebuild` makes it (rolled back afterwards)."""
    rollup.rebuild()
    rows = {
        (r.place, r.grain, r.start, r.type, r.body, r.activities, r.items, r.people, r.poor, r.near_poor, r.last)
        for r in db.session.scalars(db.select(CoverageRollup))
    }
    db.session.rollback()
    return rows


def test_the_rollup_reads_few_rows_whatever_the_period(make_user, campaign):
    supervisor = make_user("supervisor", username="tp")
    assert rollup.ready(supervisor, Filters())
    with sql_statements() as statements:
        compute(supervisor, Filters(date(2025, 9, 30), date(2025, 11, 1)))
    assert len(statements) == 1 and "coverage_rollup" in statements[0] and "FROM activity" not in statements[0]


def test_filters_the_rollup_does_not_carry_count_the_entries(make_user, campaign):
    supervisor = make_user("supervisor", username="tp")
    assert rollup.ready(supervisor, Filters())
    assert not rollup.ready(supervisor, Filters(status="verified"))
    assert not rollup.ready(supervisor, Filters(officer="xa"))
    assert not rollup.ready(campaign["plain"], Filters())  # an officer's own entries


def test_a_database_upgraded_with_entries_counts_them_until_rebuilt(app, runner, make_user, campaign):
    supervisor = make_user("supervisor", username="tp")
    expected = counted(supervisor, FILTERS[2], from_entries=True)
    db.session.delete(db.session.get(CoverageRollupState, 1))  # as 0010 leaves a database that holds entries
    db.session.execute(db.delete(CoverageRollup))
    db.session.commit()
    g.pop("rollup_zone", None)
    assert not rollup.ready(supervisor, Filters())
    store(campaign["plain"], "talk", datetime(2025, 10, 20, 9, 0, tzinfo=VN))  # kept out of an unmarked rollup
    assert db.session.scalar(db.select(db.func.count()).select_from(CoverageRollup)) == 0
    before = sum(expected["totals"]["activities"].values())
    assert compute(supervisor, FILTERS[2]).totals.total_activities == before + 1

    result = runner.invoke(args=["coverage", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rollup rebuilt" in result.output and ZONE in result.output
    g.pop("rollup_zone", None)
    assert rollup.ready(supervisor, Filters())
    assert counted(supervisor, FILTERS[2], from_entries=False) == counted(supervisor, FILTERS[2], from_entries=True)


def test_another_time_zone_counts_the_entries_until_rebuilt(app, make_user, campaign):
    supervisor = make_user("supervisor", username="tp")
    app.config["FIELDKIT_TIMEZONE"] = "Asia/Bangkok"
    g.pop("rollup_zone", None)
    assert not rollup.ready(supervisor, Filters())
    rollup.rebuild()
    db.session.commit()
    assert rollup.ready(supervisor, Filters())


def test_a_new_entry_is_counted_in_its_own_commune_and_month_only(make_user, campaign):
    with sql_statements() as statements:
        store(campaign["plain"], "talk", datetime(2025, 10, 3, 9, 0, tzinfo=VN))
    recounts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO COVERAGE_ROLLUP")]
    assert len(recounts) == 5  # the day's rows, its all-bodies and every-commune rows, the dekad's, the month's
    day = next(r for r in rollup_rows() if r[:4] == ("90001", "d", date(2025, 10, 3), "talk"))
    assert day[5] == 1 and day[10] == datetime(2025, 10, 3, 2, 0)


def test_two_writers_at_once_in_one_commune_and_month_are_both_counted(app, campaign):
    """Each writer recounts the bucket inside its own transaction; the second waits for the first (PostgreSQL: an
    advisory lock per bucket; SQLite: the write lock), so neither recount misses the other's entry."""
    officer_ids = [campaign["plain"].id, campaign["front"].id]
    start = threading.Barrier(2)
    errors = []

    def write(officer_id: int) -> None:
        with app.app_context():
            try:
                officer = db.session.get(User, officer_id)
                for i in range(8):
                    if i == 0:
                        start.wait(timeout=30)
                    store(officer, "talk", datetime(2025, 10, 10 + i, 9, 0, tzinfo=VN))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(officer_id,)) for officer_id in officer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    kept = rollup_rows()
    assert kept == rebuilt()
    october = Filters(date(2025, 10, 1), date(2025, 10, 31), type="talk", area="90001")
    supervisor = User(role="supervisor")  # never added to the session
    counts = counted(supervisor, october, from_entries=True)["totals"]["activities"]["talk"]
    assert counts >= 16 and counted(supervisor, october, from_entries=False)["totals"]["activities"]["talk"] == counts


def test_the_downloads_count_what_they_hold_from_the_rollup(app, make_user, campaign):
    from fieldkit.exports import panel
    from fieldkit.models import Activity

    nowhere = campaign["entries"][0]
    nowhere.area_code = nowhere.declared_area_code = None  # an entry no commune places: counted one by one
    nowhere.lat = nowhere.lon = nowhere.accuracy_m = None
    nowhere.location_source = "none"
    db.session.commit()
    assert (
        db.session.scalar(
            db.select(db.func.count()).where(Activity.area_code.is_(None), Activity.declared_area_code.is_(None))
        )
        == 1
    )
    supervisor = make_user("supervisor", username="tp")
    for filters in FILTERS:
        g.rollup_zone = ZONE
        with sql_statements() as statements:
            from_rollup = panel.counts(supervisor, filters, None)
        assert any("coverage_rollup" in s for s in statements)
        g.rollup_zone = None
        assert from_rollup == panel.counts(supervisor, filters, None), filters
    g.pop("rollup_zone")
    assert panel.counts(supervisor, Filters(), None)[1] >= 2  # the entry without a position and the one nowhere


def test_a_period_is_tiled_by_months_then_dekads_then_a_few_days_at_either_end():
    first = date(2025, 1, 1)
    days = [first + timedelta(days=n) for n in range(0, 430, 3)]
    starts = {MONTH: lambda d: d.day == 1, DEKAD: lambda d: d.day in (1, 11, 21), DAY: lambda d: True}
    for lo in days[:60]:
        for hi in (lo, *(d for d in days if d > lo)):
            pieces = rollup.pieces_of(lo, hi)
            covered = [start + timedelta(days=n) for _grain, start, end in pieces for n in range((end - start).days)]
            assert sorted(covered) == [lo + timedelta(days=n) for n in range((hi - lo).days)], (lo, hi, pieces)
            for grain, start, end in pieces:
                assert starts[grain](start) and starts[grain](end), (lo, hi, pieces)  # whole months, dekads
            # At most a dekad less a day at either end: ten days, of a 31-day month's last dekad.
            assert sum((end - start).days for grain, start, end in pieces if grain == DAY) <= 20
            whole_month = (hi - lo).days > 62
            assert not whole_month or MONTH in {grain for grain, _start, _end in pieces}


def test_a_rollup_built_before_dekads_gets_them_from_the_migration(app, campaign):
    assert {row[1] for row in rollup_rows()} == {"d", "t", "m"}
    kept = rollup_rows()
    db.session.execute(db.delete(CoverageRollup).where(CoverageRollup.grain == "t"))
    path = Path(schema.DIRECTORY, "versions", "0011_rollup_dekads.py")
    spec = importlib.util.spec_from_file_location("rollup_dekads", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with Operations.context(MigrationContext.configure(db.session.connection())):
        migration.upgrade()
    assert rollup_rows() == kept == rebuilt()
