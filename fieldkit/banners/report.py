"""The report's banner figures for a period: standing at its end, inspected in it, removed on time, overdue.

- standing: put up by the end of the period, not retired, and not found removed or missing by then (the latest
  inspection observed before the end says standing or damaged, or there is none yet);
- inspected: banners with at least one inspection observed in the period;
- removed on time: banners first found removed in the period, on or before their remove-by date (or with none);
- overdue: at the end of the period, past their remove-by date and not found removed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from fieldkit.banners.access import visible
from fieldkit.extensions import db
from fieldkit.models import Banner, BannerInspection, User
from fieldkit.vocabulary import BannerState

GONE = (BannerState.REMOVED, BannerState.MISSING)


@dataclass
class BannerCounts:
    """The four figures, for the report's scope and period."""

    standing: int = 0
    inspected: int = 0
    removed_on_time: int = 0
    overdue: int = 0

    @property
    def any(self) -> bool:
        return bool(self.standing or self.inspected or self.removed_on_time or self.overdue)


def _utc(day: date) -> datetime:
    """Local midnight at the start of ``day``, as naive UTC."""
    zone = ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"])
    return datetime.combine(day, time(), zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def counts(user: User, start: date, end: date, area_code: str | None = None) -> BannerCounts:
    """Count the banners in the user's scope (and commune) for the period from ``start`` to ``end`` (local dates,
    both included)."""
    since, until = _utc(start), _utc(end + timedelta(days=1))
    query = select(Banner).where(visible(user), Banner.installed_at < until)
    if area_code:
        query = query.where(Banner.area_code == area_code)
    banners = {b.id: b for b in db.session.scalars(query)}
    if not banners:
        return BannerCounts()
    seen: dict[int, list[tuple[datetime, int, str]]] = {}
    rows = select(BannerInspection.banner_id, BannerInspection.observed_at, BannerInspection.id, BannerInspection.state)
    for banner_id, observed, row_id, state in db.session.execute(
        rows.where(BannerInspection.banner_id.in_(banners), BannerInspection.observed_at < until)
    ):
        seen.setdefault(banner_id, []).append((observed, row_id, state))
    zone = ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"])
    result = BannerCounts()
    for banner_id, banner in banners.items():
        found = sorted(seen.get(banner_id, []))
        state_at_end = found[-1][2] if found else BannerState.STANDING
        result.standing += state_at_end not in GONE
        result.inspected += any(observed >= since for observed, _, _ in found)
        removed = next((observed for observed, _, state in found if state == BannerState.REMOVED), None)
        if removed is not None and removed >= since:
            local = removed.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
            result.removed_on_time += banner.remove_by is None or local <= banner.remove_by
        result.overdue += (
            state_at_end != BannerState.REMOVED and banner.remove_by is not None and banner.remove_by < end
        )
    return result
