"""Demo banners: the banner entries' banners, some with a remove-by date, and inspections over the weeks since.

Its own random stream, so the other demo data stays as it was. Inspections go in as rows in bulk, their banners'
states set from them as ``banners.inspections.refresh_state`` would (the latest observation wins).
"""

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from fieldkit.banners import services as banners
from fieldkit.extensions import db
from fieldkit.models import Activity, Banner, BannerInspection
from fieldkit.timeutil import utcnow

NOTES = ("", "", "Còn tốt, chữ rõ", "Bạc màu nhẹ", "Rách một góc, đã báo thôn", "Bị gió làm lệch khung", "")
METRE = 1 / 111_000  # degrees of latitude, roughly


def add(today: date, rng: random.Random) -> dict:
    """Give the banner entries their banners and inspections; flush. Answer what was made."""
    entries = db.session.scalars(select(Activity).filter_by(type="banner", deleted_at=None)).all()
    for entry in entries:
        if rng.random() < 0.6:
            put_up = entry.occurred_at.date()
            entry.details = {**entry.details, "remove_by": (put_up + timedelta(days=rng.randint(20, 120))).isoformat()}
        banners.follow(entry, new=True)
    rows, now = [], utcnow()
    made = db.session.scalars(select(Banner)).all()
    for banner in made:
        rows += _inspections(banner, today, now, rng)
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(BannerInspection), rows[start : start + 1000])
    by_banner: dict[int, list[dict]] = {}
    for row in rows:
        by_banner.setdefault(row["banner_id"], []).append(row)
    for banner in made:
        found = sorted(by_banner.get(banner.id, []), key=lambda r: r["observed_at"])
        if found:
            banner.state, banner.state_observed_at = found[-1]["state"], found[-1]["observed_at"]
            banner.last_inspected_at, banner.inspections_count = found[-1]["observed_at"], len(found)
    db.session.flush()
    return {"banners": len(made), "inspections": len(rows)}


def _inspections(banner: Banner, today: date, now: datetime, rng: random.Random) -> list[dict]:
    """Zero to three inspections after the banner went up: standing mostly, some damaged, removed when due."""
    start = banner.installed_at + timedelta(days=1)
    if start >= now:
        return []
    count = rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]
    times = sorted(start + (now - start) * rng.random() for _ in range(count))
    rows = []
    for number, moment in enumerate(times, start=1):
        state = rng.choices(("standing", "damaged", "missing"), weights=(80, 16, 4))[0]
        last = number == count
        if last and banner.remove_by and banner.remove_by <= today and rng.random() < 0.6:
            state = "removed"
        far = rng.random() < 0.05
        lat, lon = banner.lat, banner.lon
        if lat is not None:
            spread = 1500 if far else 15
            lat, lon = lat + rng.gauss(0, spread) * METRE, lon + rng.gauss(0, spread) * METRE
        rows.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "banner_id": banner.id,
                "inspector_id": banner.officer_id,
                "state": state,
                "observed_at": moment.replace(microsecond=0),
                "utc_offset_min": 420,
                "received_at": moment.replace(microsecond=0) + timedelta(minutes=rng.randint(1, 600)),
                "lat": lat,
                "lon": lon,
                "accuracy_m": rng.choice((5.0, 8.0, 12.0, 20.0, 35.0)) if lat is not None else None,
                "location_source": "gps" if lat is not None else "none",
                "distance_m": None,
                "note": rng.choice(NOTES),
                "flags": ["far_from_banner"] if far and lat is not None else [],
                "content_hash": "demo",
            }
        )
    return rows
