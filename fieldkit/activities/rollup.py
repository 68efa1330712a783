"""Coverage summed ahead (models.CoverageRollup): kept by the write path, read by coverage, bodies and trends.

Rows are cut by local day, with the same midnights the filters use (queries.local_midnight), and summed again per
dekad (ten days) and per local month, so a period reads whole months from the month rows, whole dekads of its
ragged ends from the dekad rows and only the days left (fewer than a dekad at either end) from the day rows. Each
body has its rows, and rows of every body (ALL) and of every commune (EVERYWHERE) sum them for the readers that
need no more. The session hook notes the (commune, local day) each flush takes an entry from and puts it in, and
just before the commit recounts those days from the entries, then their months; bulk writes that go around the
ORM call ``rebuild``. A filter the rollup does not carry (an officer, a status) or an officer's own view reads the
entries instead.
"""

import zlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise

from flask import current_app, g
from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    distinct,
    event,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    text,
)

from fieldkit.activities.queries import Filters, local_midnight
from fieldkit.activity_types import ActivityType
from fieldkit.extensions import db
from fieldkit.models import Activity, CoverageRollup, CoverageRollupState, Organization, User
from fieldkit.models.coverage_rollup import ALL, DAY, DEKAD, EVERYWHERE, MONTH
from fieldkit.timeutil import local_date, utcnow

PENDING = "fieldkit.rollup.pending"
COUNTED = (
    "occurred_at",
    "area_code",
    "declared_area_code",
    "type",
    "organization_id",
    "deleted_at",
    "items",
    "people_reached",
    "poor_reached",
    "near_poor_reached",
    "cost_vnd",
    "lat",
    "lon",
)
R = CoverageRollup


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def dekad_of(day: date) -> date:
    """The first day of the day's dekad: the 1st, the 11th or the 21st."""
    return day.replace(day=min(day.day - (day.day - 1) % 10, 21))


def next_dekad(dekad: date) -> date:
    return next_month(dekad) if dekad.day == 21 else dekad + timedelta(days=10)


def _ceiling(floor, following):
    """The first start of a grain on or after a day, from the grain's floor and its next start."""
    return lambda day: day if floor(day) == day else following(floor(day))


# Coarsest first: (grain, the first start on or after a day, the last start on or before it).
GRAINS = (
    (MONTH, _ceiling(month_of, next_month), month_of),
    (DEKAD, _ceiling(dekad_of, next_dekad), dekad_of),
)


# ---- reading -------------------------------------------------------------------------------------------------


def ready(user: User, filters: Filters) -> bool:
    """Whether the rollup answers for this user and these filters (else count the entries themselves)."""
    if user.is_officer or filters.officer or filters.status:
        return False
    return _built() == current_app.config["FIELDKIT_TIMEZONE"]


def _built() -> str | None:
    """The zone the complete rollup was cut in, or None while it is not complete; read once per request (it
    changes only when the rollup is rebuilt)."""
    if "rollup_zone" not in g:
        g.rollup_zone = db.session.scalar(select(CoverageRollupState.zone).where(CoverageRollupState.id == 1))
    return g.rollup_zone


def _where(user: User, filters: Filters, days_only: bool = False, bodies: bool = False, everywhere: bool = False):
    """The rollup rows that cover the filters, each entry counted once: whole months from the month rows, the
    period's ragged ends (or, ``days_only``, all of it) from the day rows; each commune's rows, or (``everywhere``,
    when no commune is named) the every-commune rows that sum them."""
    where = [_period(filters, days_only)]
    codes = {user.area_code, filters.area} - {None}  # an officer's own view never comes here (ready)
    for code in codes:
        where.append(R.place == code)
    if not codes:
        summed = everywhere and not (bodies or filters.org)  # the every-commune rows sum every body's only
        where.append(R.place == EVERYWHERE if summed else R.place != EVERYWHERE)
    if filters.type:
        where.append(R.type == filters.type)
    if filters.org:
        body = select(Organization.id).where(Organization.code == filters.org).scalar_subquery()
        where.append(R.body == body)
    else:  # the rows of every body together, or (``bodies``) each body's own
        where.append(R.body != ALL if bodies else R.body == ALL)
    return and_(*where)


def _period(filters: Filters, days_only: bool):
    """The rows of the filters' period [lo, hi) in the coarsest grains that tile it, or (``days_only``) its days."""
    lo, hi = filters.date_from, filters.date_to and filters.date_to + timedelta(days=1)
    pieces = [(DAY, lo, hi)] if days_only else pieces_of(lo, hi)
    return or_(*(and_(R.grain == grain, *_between(start, end)) for grain, start, end in pieces))


def pieces_of(lo: date | None, hi: date | None, grains=GRAINS) -> list[tuple[str, date | None, date | None]]:
    """[lo, hi) (either end open when None) as (grain, start, end) pieces: the whole months in it, then the whole
    dekads of what is left at either end, then the days left."""
    if not grains:
        return [(DAY, lo, hi)]
    (grain, ceiling, floor), finer = grains[0], grains[1:]
    first, last = lo and ceiling(lo), hi and floor(hi)
    if first and last and first >= last:
        return pieces_of(lo, hi, finer)
    ends = [(start, end) for start, end in ((lo, first), (last, hi)) if start != end]
    return [(grain, first, last)] + [piece for start, end in ends for piece in pieces_of(start, end, finer)]


def _between(start: date | None, end: date | None) -> list:
    """Rows starting in [start, end), either end open when None."""
    return [bound for bound in (start and R.start >= start, end and R.start < end) if bound is not None]


def _sums():
    per_type = [func.sum(case((R.type == t.value, R.activities), else_=0)).label(t.value) for t in ActivityType]
    return (
        func.max(R.last).label("last"),
        func.sum(R.items).label("items"),
        func.sum(R.people).label("people"),
        func.sum(R.poor).label("poor"),
        func.sum(R.near_poor).label("near_poor"),
        *per_type,
    )


def per_commune(user: User, filters: Filters, by_type: bool = False):
    """A subquery of the sums per commune (``code``; and ``type``, when by_type), with the columns
    coverage.compute reads."""
    groups = (R.place, R.type) if by_type else (R.place,)
    columns = (R.place.label("code"), *([R.type.label("type")] if by_type else []), *_sums())
    return select(*columns).where(_where(user, filters)).group_by(*groups).subquery()


def per_body(user: User, filters: Filters):
    """The sums per body (``body``, None without one), with the columns bodies.by_body reads."""
    body = case((R.body == 0, None), else_=R.body)
    return (
        select(
            body.label("body"),
            *_sums(),
            func.count(distinct(R.place)).label("communes"),
            func.coalesce(func.sum(R.spent), 0).label("spent"),
        )
        .where(_where(user, filters, bodies=True))
        .group_by(body)
    )


def counts(user: User, filters: Filters) -> tuple[int, int]:
    """(entries, entries without a position) placed in a commune, under the filters."""
    summed = select(func.sum(R.activities), func.sum(R.unlocated)).where(_where(user, filters, everywhere=True))
    total, unlocated = db.session.execute(summed).one()
    return int(total or 0), int(unlocated or 0)


def per_day(user: User, filters: Filters):
    """(local day, type, activities, poor and near-poor households) over the filters' period."""
    day = R.start.label("day")
    return (
        select(day, R.type, func.sum(R.activities), func.sum(R.poor + R.near_poor))
        .where(_where(user, filters, days_only=True, everywhere=True))
        .group_by(R.start, R.type)
    )


# ---- keeping it --------------------------------------------------------------------------------------------------


def init_app(_app) -> None:
    """Install the hook on the app's session (once: the session object is shared by every app)."""
    for name, listener in (("before_flush", _note), ("before_commit", settle), ("after_soft_rollback", _forget)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def _note(session, _context, _instances) -> None:
    """Note the (commune, local day) each changed entry counted in before this flush, and counts in after it."""
    now, stored = [], []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Activity):
            continue
        state = inspect(obj)
        if state.persistent:
            if obj in session.deleted or any(state.attrs[name].history.has_changes() for name in COUNTED):
                stored.append(obj.id)
            else:
                continue
        if obj not in session.deleted:
            now.append((obj.area_code or obj.declared_area_code, obj.occurred_at))
    if stored:  # as the database holds them before this flush (an expired value has no history to read)
        place = func.coalesce(Activity.area_code, Activity.declared_area_code)
        before = select(place, Activity.occurred_at).where(Activity.id.in_(stored))
        now += session.connection().execute(before).all()
    touched(now, session)


def touched(places: Iterable[tuple[str | None, datetime | None]], session=None) -> None:
    """Note that entries counted (or now count) in these (commune, moment)s: their local days are recounted just
    before the commit. What writes entries around the ORM says so here (placement.reassign)."""
    zone = current_app.config["FIELDKIT_TIMEZONE"]
    keys = {(place, local_date(moment, zone)) for place, moment in places if place and moment}
    if keys:
        (session or db.session()).info.setdefault(PENDING, set()).update(keys)


def settle(session=None) -> None:
    """Recount the noted days from the entries, just before the commit makes the change visible."""
    session = session or db.session()
    if session.in_nested_transaction():
        return  # a savepoint's release: the recount follows at the real commit
    session.flush()
    keys = session.info.pop(PENDING, None)
    if keys and _built():
        keys |= {(EVERYWHERE, day) for _place, day in keys}
        _lock(session, keys)
        for day, places in _grouped(keys).items():
            _run(session, _day_statements(current_app.config["FIELDKIT_TIMEZONE"], day), places)
            _run(session, _everywhere(day), None)
        for dekad, places in _grouped((place, dekad_of(day)) for place, day in keys).items():
            _run(session, _summed(DEKAD, dekad, True), places)
        for month, places in _grouped((place, month_of(day)) for place, day in keys).items():
            _run(session, _summed(MONTH, month, True), places)


def _grouped(keys) -> dict:
    """{second: sorted places} of (place, second) pairs."""
    found = {}
    for place, second in sorted(keys):
        found.setdefault(second, []).append(place)
    return found


def _lock(session, keys) -> None:
    """On PostgreSQL, writers of one local month recount it one after the other: its every-commune rows are
    theirs in common (SQLite's one writer at a time does the same). One statement, whatever the months."""
    if session.get_bind().dialect.name != "postgresql":
        return
    months = sorted({month_of(day) for _place, day in keys})
    locks = [zlib.crc32(f"rollup|{month}".encode()) - 2**31 for month in months]
    session.execute(
        text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k"), {"keys": locks}
    )


def _run(session, statements, places) -> None:
    for statement in statements:
        session.execute(statement, {"places": places} if places else {})


def _forget(session, _previous) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING, None)


def rebuild() -> int:
    """Count every entry again into an empty rollup and mark it complete for this zone; return its row count."""
    session = db.session()
    session.flush()
    session.info.pop(PENDING, None)  # all of it is counted now
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE coverage_rollup IN EXCLUSIVE MODE"))
    session.execute(delete(CoverageRollup.__table__))
    zone = current_app.config["FIELDKIT_TIMEZONE"]
    for month in _months(session):
        _run(session, _month_from_entries(zone, month), None)
    state = session.get(CoverageRollupState, 1) or CoverageRollupState(id=1)
    state.zone, state.built_at = current_app.config["FIELDKIT_TIMEZONE"], utcnow()
    g.pop("rollup_zone", None)
    session.add(state)
    session.flush()
    return session.scalar(select(func.count()).select_from(CoverageRollup))


def _months(session) -> list[date]:
    """Every local month that holds an entry."""
    first, last = session.execute(select(func.min(Activity.occurred_at), func.max(Activity.occurred_at))).one()
    if first is None:
        return []
    zone = current_app.config["FIELDKIT_TIMEZONE"]
    month, end, found = month_of(local_date(first, zone)), month_of(local_date(last, zone)), []
    while month <= end:
        found.append(month)
        month = next_month(month)
    return found


COLUMNS = ("place", "grain", "start", "type", "body", "activities", "items", "people", "poor", "near_poor", "spent")
COLUMNS += ("unlocated", "last")
SUMS = COLUMNS[5:12]
TABLE = CoverageRollup.__table__  # Core statements: no ORM objects to keep in step
PLACES = bindparam("places", expanding=True)


def _entries(day, start: datetime, end: datetime, some: bool):
    """The live, placed entries between two instants (of the communes bound as ``places`` when ``some``), with
    their local day (``day``, an SQL expression) and body."""
    place = func.coalesce(Activity.area_code, Activity.declared_area_code)
    where = [Activity.deleted_at.is_(None), Activity.occurred_at >= start, Activity.occurred_at < end]
    where.append(place.is_not(None))
    if some:
        declared = Activity.area_code.is_(None) & Activity.declared_area_code.in_(PLACES)
        where.append(or_(Activity.area_code.in_(PLACES), declared))
    return (
        select(
            place.label("place"),
            day.label("start"),
            Activity.type.label("type"),
            func.coalesce(Activity.organization_id, 0).label("body"),
            Activity.items,
            Activity.people_reached,
            Activity.poor_reached,
            Activity.near_poor_reached,
            func.coalesce(Activity.cost_vnd, 0).label("cost"),
            case((Activity.lat.is_(None) | Activity.lon.is_(None), 1), else_=0).label("unlocated"),
            Activity.occurred_at,
        )
        .where(*where)
        .subquery()
    )


def _day_rows(entries):
    """INSERT the day rows of each body, then of all bodies (body ALL), from the entries."""
    keys = (entries.c.place, entries.c.start, entries.c.type, entries.c.body)
    per_body = select(
        keys[0],
        literal(DAY),
        *keys[1:],
        func.count(),
        *(func.sum(entries.c[name]) for name in ("items", "people_reached", "poor_reached", "near_poor_reached")),
        func.sum(entries.c.cost),
        func.sum(entries.c.unlocated),
        func.max(entries.c.occurred_at),
    ).group_by(*keys)
    return insert(TABLE).from_select(COLUMNS, per_body)


def _all_bodies(where):
    """INSERT the all-bodies rows summed from the body rows under ``where``."""
    keys = (TABLE.c.place, TABLE.c.grain, TABLE.c.start, TABLE.c.type)
    summed = (
        select(*keys, literal(ALL), *(func.sum(TABLE.c[name]) for name in SUMS), func.max(TABLE.c.last))
        .where(*where, TABLE.c.body != ALL)
        .group_by(*keys)
    )
    return insert(TABLE).from_select(COLUMNS, summed)


@lru_cache(maxsize=64)
def _day_statements(zone: str, day: date) -> tuple:
    """Recount one local day of the communes bound as ``places``: its day rows (the month's follow)."""
    mine = (TABLE.c.grain == DAY, TABLE.c.start == day, TABLE.c.place.in_(PLACES))
    entries = _entries(literal(day), local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone), True)
    return delete(TABLE).where(*mine), _day_rows(entries), _all_bodies(mine)


FINER = {DEKAD: (DAY, next_dekad), MONTH: (DEKAD, next_month)}


@lru_cache(maxsize=192)
def _summed(grain: str, start: date, some: bool) -> tuple:
    """Replace the rows of one dekad or month (of the communes bound as ``places`` when ``some``) with the sums of
    the finer rows in it: a dekad's days, a month's dekads."""
    finer, following = FINER[grain]
    places = [TABLE.c.place.in_(PLACES)] if some else []
    parts = select(
        TABLE.c.place,
        literal(grain),
        literal(start),
        TABLE.c.type,
        TABLE.c.body,
        *(func.sum(TABLE.c[name]) for name in SUMS),
        func.max(TABLE.c.last),
    ).where(TABLE.c.grain == finer, TABLE.c.start >= start, TABLE.c.start < following(start), *places)
    return (
        delete(TABLE).where(TABLE.c.grain == grain, TABLE.c.start == start, *places),
        insert(TABLE).from_select(COLUMNS, parts.group_by(TABLE.c.place, TABLE.c.type, TABLE.c.body)),
    )


@lru_cache(maxsize=48)
def _month_from_entries(zone: str, month: date) -> tuple:
    """Every row of one local month, of every commune, again: the day rows from the entries, a CASE over its local
    midnights giving each entry its day, then the dekad rows from them and the month rows from those."""
    following = next_month(month)
    mine = (TABLE.c.start >= month, TABLE.c.start < following)
    dekads = (month, month + timedelta(days=10), month + timedelta(days=20))
    midnights = []
    day = month
    while day <= following:
        midnights.append((day, local_midnight(day, zone)))
        day += timedelta(days=1)
    local = case(*((Activity.occurred_at < end, literal(day)) for (day, _), (_, end) in pairwise(midnights)))
    entries = _entries(local, midnights[0][1], midnights[-1][1], False)
    day_rows = (TABLE.c.grain == DAY, *mine)
    return (
        delete(TABLE).where(*mine),
        _day_rows(entries),
        _all_bodies(day_rows),
        *_everywhere(month, following),
        *(statement for dekad in dekads for statement in _summed(DEKAD, dekad, False)),
        *_summed(MONTH, month, False),
    )


@lru_cache(maxsize=128)
def _everywhere(start: date, end: date | None = None) -> tuple:
    """Replace the every-commune day rows (place EVERYWHERE, every body) of one day (or of the days up to ``end``)
    with the sums of the communes' rows: what a city-wide count reads instead of every commune's."""
    span = (TABLE.c.start >= start, TABLE.c.start < end) if end else (TABLE.c.start == start,)
    mine = (TABLE.c.grain == DAY, *span)
    summed = (
        select(
            literal(EVERYWHERE),
            TABLE.c.grain,
            TABLE.c.start,
            TABLE.c.type,
            literal(ALL),
            *(func.sum(TABLE.c[name]) for name in SUMS),
            func.max(TABLE.c.last),
        )
        .where(*mine, TABLE.c.body == ALL, TABLE.c.place != EVERYWHERE)
        .group_by(TABLE.c.grain, TABLE.c.start, TABLE.c.type)
    )
    return delete(TABLE).where(*mine, TABLE.c.place == EVERYWHERE), insert(TABLE).from_select(COLUMNS, summed)
