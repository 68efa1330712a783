"""What is due: a banner not inspected within FIELDKIT_BANNER_INSPECT_DAYS, one past its remove-by date and not
removed. One rule, as a WHERE clause for lists and as a test of one banner, which a test keeps in agreement."""

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func

from fieldkit.models import Banner
from fieldkit.timeutil import local_date, utcnow
from fieldkit.vocabulary import BannerState


def inspection_cutoff(now: datetime | None = None) -> datetime:
    """Banners last seen (or put up) before this are due an inspection (naive UTC)."""
    return (now or utcnow()) - timedelta(days=current_app.config["FIELDKIT_BANNER_INSPECT_DAYS"])


def today(now: datetime | None = None) -> date:
    """Today's date where the installation is (a remove-by date is a local date)."""
    return local_date(now or utcnow(), current_app.config["FIELDKIT_TIMEZONE"])


def inspection_due_clause(now: datetime | None = None):
    """WHERE: not removed, and neither inspected nor put up within the period."""
    seen = func.coalesce(Banner.last_inspected_at, Banner.installed_at)
    return (Banner.state != BannerState.REMOVED) & (seen < inspection_cutoff(now))


def removal_overdue_clause(now: datetime | None = None):
    """WHERE: past the remove-by date and not removed."""
    return (Banner.state != BannerState.REMOVED) & (Banner.remove_by < today(now))


def inspection_due(banner: Banner, now: datetime | None = None) -> bool:
    """The record form of ``inspection_due_clause``."""
    seen = banner.last_inspected_at or banner.installed_at
    return banner.state != BannerState.REMOVED and seen < inspection_cutoff(now)


def removal_overdue(banner: Banner, now: datetime | None = None) -> bool:
    """The record form of ``removal_overdue_clause``."""
    return banner.state != BannerState.REMOVED and banner.remove_by is not None and banner.remove_by < today(now)
