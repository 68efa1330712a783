"""An entry's banners, kept in step with the entry: called only by the activities write surface.

A banner entry of quantity q holds q banners (up to FIELDKIT_BANNER_MAX_PER_ENTRY); an edit of the quantity adds
banners or retires the last ones; a withdrawn entry, or one that is no longer a banner entry, retires them all.
Retired banners are kept (their inspections with them) but leave every list, map and report.
"""

from datetime import date

from flask import current_app
from sqlalchemy import select

from fieldkit.activity_types import ActivityType
from fieldkit.banners.codes import new_code
from fieldkit.extensions import db
from fieldkit.models import Activity, Banner
from fieldkit.timeutil import utcnow


def wanted(activity: Activity) -> int:
    """How many live banners the entry should hold."""
    if activity.deleted_at is not None or activity.type != ActivityType.BANNER:
        return 0
    quantity = int((activity.details or {}).get("quantity") or 0)
    return min(quantity, current_app.config["FIELDKIT_BANNER_MAX_PER_ENTRY"])


def follow(activity: Activity, new: bool = False) -> None:
    """Create, update or retire the entry's banners to match it; flushes. ``new``: the entry was just stored."""
    count = wanted(activity)
    if new and count == 0:
        return
    held = [] if new else list(db.session.scalars(select(Banner).filter_by(activity_id=activity.id)))
    live = sorted((b for b in held if b.retired_at is None), key=lambda b: b.ordinal)
    for banner in live[count:]:
        banner.retired_at = utcnow()
    ordinal = max((b.ordinal for b in held), default=0)
    codes = _fresh_codes(count - len(live))
    for code in codes:
        ordinal += 1
        banner = Banner(code=code, activity_id=activity.id, activity_uuid=activity.uuid, ordinal=ordinal)
        db.session.add(banner)
        live.append(banner)
    for banner in live[:count]:
        _copy(activity, banner)
    db.session.flush()


def _copy(activity: Activity, banner: Banner) -> None:
    """What a banner takes from its entry: kind, message, size, position, commune, time and removal date."""
    details = activity.details or {}
    banner.officer_id = activity.officer_id
    banner.kind, banner.message = details.get("kind") or "", details.get("message") or ""
    banner.size_m2 = details.get("size_m2")
    banner.lat, banner.lon = activity.lat, activity.lon
    banner.area_code = activity.area_code or activity.declared_area_code
    banner.installed_at = activity.occurred_at
    remove_by = details.get("remove_by")
    banner.remove_by = date.fromisoformat(remove_by) if remove_by else None


def _fresh_codes(count: int) -> list[str]:
    """``count`` codes that no banner holds yet."""
    codes: set[str] = set()
    while len(codes) < count:
        batch = {new_code() for _ in range(count - len(codes))} - codes
        taken = set(db.session.scalars(select(Banner.code).where(Banner.code.in_(batch)))) if batch else set()
        codes |= batch - taken
    return sorted(codes)
