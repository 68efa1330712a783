"""Demo activities as rows ready for one bulk insert, with commune, tallies and flags as the service sets them."""

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert

from fieldkit.activities.services import content_hash
from fieldkit.activity_types import tallies
from fieldkit.areas.index import AreaIndex
from fieldkit.demo.areas import DemoArea
from fieldkit.demo.content import describe
from fieldkit.demo.positions import Positions, gps_fix, place
from fieldkit.demo.texts import REVIEW_COMMENTS
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, LocationSource
from fieldkit.timeutil import to_utc

TYPE_WEIGHTS = {"talk": 30, "banner": 20, "leaflet": 25, "broadcast": 15, "media": 10}
LOCAL = timezone(timedelta(hours=7))  # Viet Nam has no daylight saving time
DAYS = 90
NEIGHBOUR_SHARE = 0.12
CHUNK = 5000


def generate(
    count: int,
    officers: list[tuple[int, DemoArea]],
    areas: list[DemoArea],
    rates: dict[str, tuple[float, float]],
    today: date,
    rng: random.Random,
    positions: Positions | None = None,
    weights: list[float] | None = None,
    index: AreaIndex | None = None,
) -> list[dict]:
    """Return `count` activity rows over the DAYS days before `today`, spread over the officers. A loader that
    makes its rows in batches passes the same positions, officers' weights and commune index to every batch."""
    by_code = {area.code: area for area in areas}
    positions = positions or Positions(areas, rng)
    weights = weights or busy(officers, rng)
    rows = []
    for officer_id, home in rng.choices(officers, weights, k=count):
        # Officers mostly work at home; now and then they help next door but still declare their own commune.
        where = by_code[rng.choice(home.neighbours)] if home.neighbours and rng.random() < NEIGHBOUR_SHARE else home
        rows.append(_row(officer_id, home, where, positions, rates[where.code], today, rng))
    place(rows, areas, index)
    return rows


def busy(officers: list, rng: random.Random) -> list[float]:
    """How busy each officer is: some record more than others."""
    return [rng.uniform(0.6, 1.4) for _ in officers]


def _row(
    officer_id: int,
    home: DemoArea,
    where: DemoArea,
    positions: Positions,
    rates: tuple[float, float],
    today: date,
    rng: random.Random,
) -> dict:
    """Make one activity row (without its commune and flags, which need every point at once)."""
    kind = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
    entry_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    occurred = _occurred_at(today, rng)
    has_position = rng.random() >= (0.9 if kind == "media" else 0.03)  # press work is mostly done at a desk
    lat = lon = accuracy = None
    source = LocationSource.NONE
    if has_position:
        lat, lon, accuracy = gps_fix(positions.sample(where.code, rng), rng)
        source = LocationSource.GPS
        if rng.random() < 0.03:  # placed by hand on the map: no accuracy to report
            source, accuracy = LocationSource.MAP, None
    topic, notes, details = describe(kind, where, rates, rng)
    cost, funding = _cost(kind, random.Random(entry_uuid))  # its own stream: the other draws stay as they were
    payload = {
        "uuid": entry_uuid,
        "type": kind,
        "occurred_at": occurred,
        "lat": lat,
        "lon": lon,
        "accuracy_m": accuracy,
        "location_source": str(source),
        "declared_area_code": home.code,
        "topic": topic,
        "notes": notes,
        "details": details,
        "cost_vnd": cost,
        "funding_source": funding,
    }
    occurred_utc, offset = to_utc(occurred)
    received = min(occurred_utc + _upload_delay(rng), to_utc(datetime.combine(today, time(), LOCAL))[0])
    status, comment = _status(occurred, today, rng)
    counted = tallies(kind, details)
    return {
        **payload,
        "occurred_at": occurred_utc,
        "utc_offset_min": offset,
        "received_at": received,
        "updated_at": received,
        "officer_id": officer_id,
        "area_code": None,
        "area_distance_m": None,
        "people_reached": counted["people"],
        "poor_reached": counted["poor"],
        "near_poor_reached": counted["near_poor"],
        "items": counted["items"],
        "status": status,
        "review_comment": comment,
        "flags": [],
        "content_hash": content_hash(payload),
        "deleted_at": None,
        "version": 1,
    }


# What an activity of each type costs, in thousands of đồng (low, high), and how often the money comes from where.
COSTS = {
    "talk": (1500, 6000),
    "banner": (800, 3500),
    "leaflet": (500, 2500),
    "broadcast": (200, 800),
    "media": (2000, 9000),
}
SOURCES = {"central": 45, "city": 30, "mobilised": 20, "other": 5}


def _cost(kind: str, rng: random.Random) -> tuple[int | None, str | None]:
    """Most entries state a cost, rounded to a thousand đồng; a few give it without a source."""
    if rng.random() < 0.3:
        return None, None
    low, high = COSTS[kind]
    source = None if rng.random() < 0.05 else rng.choices(list(SOURCES), list(SOURCES.values()))[0]
    return rng.randint(low, high) * 1000, source


def _occurred_at(today: date, rng: random.Random) -> datetime:
    """A working-hours moment on one of the DAYS days before today, local time +07:00."""
    day = today - timedelta(days=rng.randint(1, DAYS))
    while day.weekday() == 6 and rng.random() < 0.8:  # little field work on Sundays
        day = today - timedelta(days=rng.randint(1, DAYS))
    minute = rng.choice([rng.randint(7 * 60, 11 * 60 + 30), rng.randint(13 * 60 + 30, 17 * 60)])
    return datetime.combine(day, time(minute // 60, minute % 60), LOCAL)


def _upload_delay(rng: random.Random) -> timedelta:
    """Most entries arrive within the hour; some wait in the offline outbox until the officer is back."""
    if rng.random() < 0.15:
        return timedelta(hours=rng.uniform(2, 30))
    return timedelta(minutes=rng.uniform(0.2, 45))


def _status(occurred: datetime, today: date, rng: random.Random) -> tuple[str, str]:
    """Most entries await review; older ones are often verified, a few returned with a reason."""
    draw = rng.random()
    if draw < 0.03:
        return ActivityStatus.RETURNED.value, rng.choice(REVIEW_COMMENTS)
    if draw < 0.23 and (today - occurred.date()).days > 3:
        return ActivityStatus.VERIFIED.value, ""
    return ActivityStatus.SUBMITTED.value, ""


def insert_rows(rows: list[dict]) -> None:
    """Bulk-insert the rows in chunks (one executemany each), inside the caller's transaction."""
    # Into the table, not the mapped class: the ORM's bulk insert splits a batch by which values are None (a
    # statement per pattern), hundreds of small executemany calls per chunk.
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Activity.__table__), rows[start : start + CHUNK])
