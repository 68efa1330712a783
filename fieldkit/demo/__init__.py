"""Demo data for an empty database: Can Tho's communes, illustrative statistics, users and activities."""

import logging
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, insert, select, text, update

from fieldkit.activities import quality, rollup
from fieldkit.demo import activities as demo_activities
from fieldkit.demo import allocations, people, photos, stats
from fieldkit.demo import areas as demo_areas
from fieldkit.demo import banners as demo_banners
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, AreaStat, Role, User
from fieldkit.organizations import services as organizations

log = logging.getLogger(__name__)


class DemoError(RuntimeError):
    """Demo data cannot be loaded into this database."""


def load(
    activities: int = 2000,
    seed: int = 159,
    today: date | None = None,
    country: bool = False,
    provinces: set[str] | None = None,
) -> dict:
    """Fill an empty database with demo data in one transaction; answer a summary with the demo logins.
    country: the whole country's communes (or those of these province codes), an officer per commune, no photos,
    banners or allocations (fieldkit.demo.country)."""
    if activities < 0:
        raise DemoError(f"the number of activities must be 0 or more, got {activities}")
    _check_empty()
    today = today or datetime.now(ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"])).date()
    try:
        if country or provinces:
            from fieldkit.demo import country as whole_country

            try:
                summary = whole_country.fill(activities, seed, today, provinces)
            except ValueError as error:
                raise DemoError(str(error)) from None
        else:
            summary = _fill(activities, seed, today)
        rollup.rebuild()  # the activities went in around the ORM
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.execute(text("ANALYZE"))  # else PostgreSQL plans for empty tables until autovacuum comes by
    db.session.commit()
    log.info("demo data loaded: %s", {k: v for k, v in summary.items() if k != "logins"})
    return summary


def is_empty() -> bool:
    """Tell whether the database has no communes and no activities, so demo data may go in."""
    return _counts() == (0, 0)


def _counts() -> tuple[int, int]:
    """Count the communes and the activities stored."""
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return count(Area), count(Activity)


def _check_empty() -> None:
    """Refuse a database that already holds communes, activities or a demo user's name."""
    areas, entries = _counts()
    if areas or entries:
        raise DemoError(
            f"the database already has {areas} communes and {entries} activities; demo data is only "
            "loaded into an empty database"
        )
    taken = db.session.scalars(select(User.username).where(User.username.in_(people.USERNAMES))).all()
    if taken:
        raise DemoError(
            f"the database already has the user(s) {', '.join(sorted(taken))}; demo data is only "
            "loaded into an empty database"
        )


def _bodies_of_officers() -> None:
    """Give each demo entry its officer's body, as receive() does for a new one."""
    body = select(User.organization_id).where(User.id == Activity.officer_id).scalar_subquery()
    db.session.execute(update(Activity).values(organization_id=body))


def _fill(count: int, seed: int, today: date) -> dict:
    """Add every demo row and flush; the caller commits."""
    # One stream per part, so that e.g. changing the number of activities leaves the statistics as they were.
    parts = ("stats", "activities", "photos", "money", "banners")
    streams = {part: random.Random(f"fieldkit-demo:{seed}:{part}") for part in parts}
    areas = demo_areas.build()
    db.session.execute(insert(Area), [area.row() for area in areas])
    stat_rows = stats.build(areas, today.year, streams["stats"])
    db.session.execute(insert(AreaStat), stat_rows)
    organizations.seed()  # the plan's bodies and the communes' committees, for the users below
    logins = people.plan(areas, stats.multidimensional_rates(stat_rows))
    users = people.create(logins)
    officers = [(users[login.username].id, login.area) for login in logins if login.role == Role.OFFICER]
    rates = {
        row["area_code"]: (row["poor_households"] / row["households"], row["near_poor_households"] / row["households"])
        for row in stat_rows
    }
    rows = demo_activities.generate(count, officers, areas, rates, today, streams["activities"])
    demo_activities.insert_rows(rows)
    _bodies_of_officers()
    allocations.add(today.year, streams["money"])
    photo_count = photos.add(rows, streams["photos"])
    quality.refresh_flags(db.session.scalars(select(Activity.id)).all())  # the flags that compare entries
    made = demo_banners.add(today, streams["banners"])
    return {
        "areas": len(areas),
        "stats": len(stat_rows),
        "year": today.year,
        "users": len(users),
        "activities": len(rows),
        "photos": photo_count,
        **made,
        "without_position": sum(row["lat"] is None for row in rows),
        "outside_areas": sum(row["lat"] is not None and row["area_code"] is None for row in rows),
        "today": today.isoformat(),
        "seed": seed,
        "logins": people.summary(logins),
    }
