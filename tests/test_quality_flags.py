"""Quality flags (DESIGN §5): each flag on hand-made entries, neighbours kept consistent, and the bulk refresh."""

import random
from datetime import datetime, timedelta
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from PIL import Image
from sqlalchemy import insert, update

from fieldkit.activities import quality
from fieldkit.activities.quality import Point
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.timeutil import utcnow
from tests.factories import INSIDE_A, INSIDE_B, VN, jpeg, sql_statements, talk

BASE = datetime.now(VN).replace(second=0, microsecond=0) - timedelta(days=1)
NEAR_A = (10.0127, 105.7121)  # about 350 m from INSIDE_A, in the same commune


def post(client, minutes=0, where=INSIDE_A, **overrides) -> str:
    """Store a talk `minutes` after BASE at `where`; return its uuid."""
    moment = (BASE + timedelta(minutes=minutes)).isoformat()
    declared = "90002" if where == INSIDE_B else "90001"
    body = talk(occurred_at=moment, lat=where[0], lon=where[1], declared_area_code=declared, **overrides)
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code == 201, response.json
    return body["uuid"]


def put_photo(client, uuid, index, data, taken_at=None, lat=None, lon=None):
    query = []
    if taken_at is not None:
        query.append("taken_at=" + quote(taken_at.isoformat()))
    if lat is not None:
        query += [f"photo_lat={lat}", f"photo_lon={lon}"]
    url = f"/api/v1/activities/{uuid}/photos/{index}?" + "&".join(query)
    response = client.put(url, data=data, content_type="image/jpeg")
    assert response.status_code in (200, 201), response.json
    return response


def flags(client, uuid) -> list[str]:
    return client.get(f"/api/v1/activities/{uuid}").json["flags"]


def gps_exif(lat_minutes: float, lon_minutes: float) -> Image.Exif:
    """EXIF with a GPS position of 10° lat_minutes' N, 105° lon_minutes' E."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (10.0, lat_minutes, 0.0), 3: "E", 4: (105.0, lon_minutes, 0.0)}
    return exif


def test_photo_near_passes_and_photo_far_by_its_exif_gps_is_flagged(client, officer):
    uuid = post(client)
    put_photo(client, uuid, 0, jpeg(), lat=NEAR_A[0], lon=NEAR_A[1])
    assert flags(client, uuid) == []
    put_photo(client, uuid, 1, jpeg(exif=gps_exif(3.0, 42.6)))  # 10.05 N: about 4.4 km north
    assert flags(client, uuid) == ["photo_far"]


@pytest.mark.parametrize(("hours", "flagged"), [(-25, True), (-23, False), (23, False), (25, True)])
def test_photo_time_more_than_a_day_from_the_activity(client, officer, hours, flagged):
    uuid = post(client)
    put_photo(client, uuid, 0, jpeg(), taken_at=BASE + timedelta(hours=hours))
    assert ("photo_time" in flags(client, uuid)) is flagged


def test_duplicate_photo_across_two_entries_flags_both_until_one_is_replaced(client, officer):
    first, second = post(client, 0), post(client, 120)
    photo = jpeg(colour=(10, 20, 30))
    put_photo(client, first, 0, photo)
    put_photo(client, first, 1, photo)  # the same photo twice in one entry is not a duplicate
    assert flags(client, first) == []
    put_photo(client, second, 0, photo)
    assert flags(client, second) == ["duplicate_photo"]
    assert flags(client, first) == ["duplicate_photo"], "the other holder is refreshed too"
    put_photo(client, second, 0, jpeg(colour=(200, 200, 0)))
    assert flags(client, first) == [] and flags(client, second) == []


def test_a_deleted_entry_no_longer_makes_a_duplicate(client, officer):
    first, second = post(client, 0), post(client, 120)
    for uuid in (first, second):
        put_photo(client, uuid, 0, jpeg())
    assert flags(client, first) == ["duplicate_photo"]
    db.session.scalar(db.select(Activity).filter_by(uuid=second)).deleted_at = utcnow()
    db.session.commit()
    assert flags(client, first) == []


@pytest.mark.parametrize(
    ("minutes", "where", "flagged"),
    [
        (1, INSIDE_B, True),  # 2.2 km in one minute: 131 km/h
        (2, INSIDE_B, False),  # 66 km/h
        (0, INSIDE_B, True),  # 2.2 km apart at the same moment
        (0, NEAR_A, False),  # 350 m apart at the same moment: one place within GPS error
    ],
)
def test_travel_between_an_officers_consecutive_entries(client, officer, minutes, where, flagged):
    first, second = post(client, 0), post(client, minutes, where)
    expected = ["implausible_travel"] if flagged else []
    assert flags(client, second) == expected
    assert flags(client, first) == expected, "the earlier neighbour is refreshed too"


def test_travel_ignores_other_officers_and_entries_without_a_position(client, officer, make_user, login):
    first = post(client, 0)
    desk = post(client, 1, where=(None, None), location_source=None, accuracy_m=None)
    assert flags(client, desk) == [] and flags(client, first) == []
    client.post("/logout")
    login(make_user("officer", "90002"))
    other = post(client, 1, INSIDE_B)
    assert flags(client, other) == []


def test_the_speed_limit_is_configurable(client, officer, app):
    app.config["FIELDKIT_MAX_SPEED_KMH"] = 200
    post(client, 0)
    assert flags(client, post(client, 1, INSIDE_B)) == []


def test_neighbours_are_refreshed_when_an_entry_comes_between_moves_or_goes(client, officer):
    first, last = post(client, 0), post(client, 120, INSIDE_B)
    assert flags(client, first) == [] and flags(client, last) == []
    middle = post(client, 119, INSIDE_A)  # one minute before `last`, 2.2 km away
    assert [flags(client, u) for u in (first, middle, last)] == [[], ["implausible_travel"], ["implausible_travel"]]
    entry = db.session.scalar(db.select(Activity).filter_by(uuid=middle))
    entry.occurred_at -= timedelta(minutes=60)  # as an edit would
    db.session.commit()
    assert [flags(client, u) for u in (first, middle, last)] == [[], [], []]
    entry = db.session.scalar(db.select(Activity).filter_by(uuid=middle))
    entry.occurred_at += timedelta(minutes=60)
    db.session.commit()
    assert flags(client, last) == ["implausible_travel"]
    db.session.scalar(db.select(Activity).filter_by(uuid=middle)).deleted_at = utcnow()
    db.session.commit()
    assert flags(client, first) == [] and flags(client, last) == []


def test_an_edit_through_the_officer_page_refreshes_its_old_neighbours(client, officer):
    first = post(client, 0)
    second = post(client, 1, INSIDE_B)
    assert flags(client, first) == ["implausible_travel"]
    form = {
        "uuid": second,
        "type": "talk",
        "occurred_at": (BASE + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "lat": str(INSIDE_B[0]),
        "lon": str(INSIDE_B[1]),
        "accuracy_m": "10",
        "location_source": "gps",
        "declared_area_code": "90002",
        "topic": "Sửa giờ",
        "format": "talk",
        "participants": "20",
    }
    assert client.post(f"/activities/{second}/edit", data=form).status_code == 302
    assert flags(client, first) == [] and flags(client, second) == []


def test_a_rolled_back_change_leaves_nothing_to_refresh(client, officer, app):
    uuid = post(client)
    entry = db.session.scalar(db.select(Activity).filter_by(uuid=uuid))
    entry.lat = INSIDE_B[0]
    db.session.flush()
    db.session.rollback()
    assert quality.PENDING not in db.session.info


def _bulk_entries(officer_id: int, count: int) -> list[int]:
    """Insert entries one minute and 2.2 km apart, alternately, with no flags stored (as a bulk import would)."""
    rows = []
    for n in range(count):
        lat, lon = INSIDE_A if n % 2 == 0 else INSIDE_B
        rows.append(
            {
                "uuid": Activity.new_uuid(),
                "type": "talk",
                "occurred_at": datetime(2025, 11, 20, 2, 0) + timedelta(minutes=n),
                "officer_id": officer_id,
                "lat": lat,
                "lon": lon,
                "accuracy_m": 10.0,
                "location_source": "gps",
                "area_code": "90001" if n % 2 == 0 else "90002",
                "declared_area_code": "90001",
                "details": {},
                "flags": [],
                "content_hash": "x",
            }
        )
    db.session.execute(insert(Activity), rows)
    db.session.commit()
    return list(db.session.scalars(db.select(Activity.id).order_by(Activity.occurred_at)))


@pytest.mark.parametrize("count", [30, 150])  # a few are looked up one by one; many in one pass per officer
def test_refresh_flags_recomputes_many_entries_in_a_few_queries(app, officer, count):
    ids = _bulk_entries(officer.id, count)
    with sql_statements() as statements:
        changed = quality.refresh_flags(ids)
    assert changed == count
    assert len(statements) <= 6, statements
    db.session.commit()
    stored = dict(db.session.execute(db.select(Activity.id, Activity.flags)).all())
    assert stored[ids[0]] == ["implausible_travel"]
    assert stored[ids[1]] == ["area_mismatch", "implausible_travel"]
    assert quality.refresh_flags(ids) == 0


def test_refresh_flags_after_communes_are_reassigned(app, officer):
    ids = _bulk_entries(officer.id, 2)
    quality.refresh_flags(ids)
    db.session.commit()
    table = Activity.__table__
    db.session.execute(update(table).where(table.c.id == ids[1]).values(area_code="90001"))
    assert quality.refresh_flags(ids) == 1
    db.session.commit()
    assert db.session.get(Activity, ids[1]).flags == ["implausible_travel"]


def test_flags_for_works_on_a_light_stand_in(app):
    probe = SimpleNamespace(accuracy_m=250.0, has_position=True, area_code=None, declared_area_code="90001")
    assert quality.flags_for(probe) == ["low_accuracy", "outside_areas"]


def test_the_quick_travel_check_agrees_with_the_geodesic():
    rng = random.Random(5)
    start = datetime(2025, 11, 20, 8, 0)
    for _ in range(2000):
        a = Point(1, start, 10 + rng.uniform(-0.2, 0.2), 105.7 + rng.uniform(-0.2, 0.2))
        b = Point(2, start + timedelta(seconds=rng.choice([0, 30, 60, 600, 3600])), a.lat + rng.gauss(0, 0.02), a.lon)
        assert quality.too_fast(a, b, 120) == quality.leg(a, b).implausible(120)
