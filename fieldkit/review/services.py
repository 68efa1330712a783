"""Supervisors review entries: the queue, verify, or return to the officer with a comment. Flush, never commit."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import format_decimal, format_timedelta, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, cast, func, or_
from sqlalchemy.orm.exc import StaleDataError

from fieldkit.activities import cursors, quality
from fieldkit.activities.access import can_view
from fieldkit.activities.queries import Filters, Page, statement
from fieldkit.extensions import db
from fieldkit.i18n import nfc
from fieldkit.models import Activity, ActivityStatus, Area, AuditEvent, Photo, User
from fieldkit.models.audit import record as audit
from fieldkit.vocabulary import FLAG_EXPLANATIONS, FLAG_LABELS, Flag


class ReviewError(Exception):
    """The decision cannot be taken; the message says why, in words for the supervisor."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotReviewer(ReviewError):
    """The user is not a supervisor of this entry's commune."""


@dataclass
class QueueFilters:
    """What the review queue shows: the common filters, one flag, and whether flagged entries come first."""

    filters: Filters
    flag: str | None = None
    flagged_first: bool = False


def may_review(user: User, activity: Activity) -> bool:
    """Supervisors and administrators review the entries they may see."""
    return user.is_supervisor and can_view(user, activity)


def verify(user: User, activity: Activity, comment: str = "", version: int | None = None) -> None:
    """Mark an entry verified (the officer can no longer change it), with an optional note."""
    _decide(user, activity, ActivityStatus.VERIFIED, comment, version)


def return_to_officer(user: User, activity: Activity, comment: str, version: int | None = None) -> None:
    """Send an entry back to its officer with a comment that says what to fix."""
    if not nfc((comment or "").strip()):
        raise ReviewError(_l("Say what the officer should fix."))
    _decide(user, activity, ActivityStatus.RETURNED, comment, version)


ALREADY = {
    ActivityStatus.VERIFIED: _l("This entry is already verified."),
    ActivityStatus.RETURNED: _l("This entry is already returned to the officer."),
}
STALE = _l("The entry changed while you were looking at it. Look at it again before deciding.")


def _decide(user: User, activity: Activity, status: ActivityStatus, comment: str, version: int | None) -> None:
    if not may_review(user, activity):
        raise NotReviewer(_l("You may not review this entry."))
    if version is not None and version != activity.version:
        raise ReviewError(STALE)
    if activity.status == status:
        raise ReviewError(ALREADY[status])
    before = {"status": activity.status, "review_comment": activity.review_comment}
    activity.status, activity.review_comment = status.value, nfc((comment or "").strip())
    try:
        db.session.flush()
    except StaleDataError:  # the officer saved a change between our read and this write
        raise ReviewError(STALE) from None
    after = {"status": activity.status, "review_comment": activity.review_comment}
    action = "verify" if status == ActivityStatus.VERIFIED else "return"
    audit(user.id, action, "activity", activity.uuid, before=before, after=after)


def _flags_text():
    return func.coalesce(cast(Activity.flags, String), "[]")


def no_flags():
    """A WHERE clause for entries without quality flags (the JSON list stored empty, or nothing stored)."""
    return _flags_text().in_(("[]", "null"))


def _queue_statement(user: User, chosen: QueueFilters):
    query = statement(user, chosen.filters).order_by(None)
    if chosen.flag:
        query = query.where(_flags_text().like(f'%"{chosen.flag}"%'))  # names are whole quoted words in the list
    return query


@dataclass
class Counts:
    """How many entries the queue's filters show, how many of them wait for a decision, and how many of those
    have no quality flags (what "verify all unflagged" would take)."""

    shown: int
    waiting: int
    waiting_unflagged: int


def counts(user: User, chosen: QueueFilters) -> Counts:
    """Count the queue under its filters (every page, not only the one shown), in one query."""
    waiting = Activity.status == ActivityStatus.SUBMITTED.value
    query = _queue_statement(user, chosen).with_only_columns(
        func.count(Activity.id),
        func.sum(case((waiting, 1), else_=0)),
        func.sum(case((waiting & no_flags(), 1), else_=0)),
    )
    shown, pending, unflagged = db.session.execute(query).one()
    return Counts(shown or 0, int(pending or 0), int(unflagged or 0))


def queue(user: User, chosen: QueueFilters, cursor: str | None, size: int) -> Page:
    """Return one page of the entries the user may review, newest first (flagged ones first if asked)."""
    flagged = case((no_flags(), 0), else_=1)
    query = _queue_statement(user, chosen)
    if cursor:
        first, last_id = decode_cursor(cursor)
        after = Activity.id < last_id
        query = query.where(or_(flagged < first, and_(flagged == first, after)) if chosen.flagged_first else after)
    order = (flagged.desc(), Activity.id.desc()) if chosen.flagged_first else (Activity.id.desc(),)
    rows = list(db.session.scalars(query.order_by(*order).limit(size + 1)).unique())
    more, rows = len(rows) > size, rows[:size]
    return Page(rows, encode_cursor(bool(rows[-1].flags), rows[-1].id) if more and rows else None)


def encode_cursor(flagged: bool, last_id: int) -> str:
    return cursors.encode("r", int(flagged), last_id)


def decode_cursor(cursor: str) -> tuple[int, int]:
    """Return (flagged, id) the cursor points after; raise ValueError for anything else."""
    flagged, last_id = cursors.decode(cursor, "r", 2)
    if flagged not in (0, 1):
        raise ValueError("not a review cursor")
    return flagged, last_id


def areas_in_scope(user: User) -> list[Area]:
    """The communes a supervisor may filter by: their own, or all for the city."""
    query = db.select(Area).order_by(Area.name)
    return list(db.session.scalars(query.where(Area.code == user.area_code) if user.area_code else query))


def history(activity: Activity) -> list[tuple[AuditEvent, User | None]]:
    """The entry's audit trail, oldest first, with who did each thing."""
    query = (
        db.select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.entity == "activity", AuditEvent.entity_id == activity.uuid)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [(event, user) for event, user in db.session.execute(query)]


@dataclass
class Finding:
    """One flag of an entry in words, with the numbers behind it and the entries it points at."""

    flag: str
    label: object
    lines: list[str]
    related: list[Activity]


def explain(user: User, activity: Activity) -> list[Finding]:
    """Explain each stored flag with today's numbers (distance, hours, speed); fall back to the general words."""
    findings = []
    for flag in activity.flags or []:
        lines, related = _DETAILS[flag](user, activity) if flag in _DETAILS else ([], [])
        fallback = [str(FLAG_EXPLANATIONS.get(flag, flag))]
        findings.append(Finding(flag, FLAG_LABELS.get(flag, flag), lines or fallback, related))
    return findings


def km(metres: float) -> str:
    """Metres as kilometres with one decimal, in the reader's locale (3,2 in Vietnamese)."""
    return format_decimal(metres / 1000, "#,##0.0")


def _low_accuracy(_user, activity):
    limit = current_app.config["FIELDKIT_GPS_ACCURACY_M"]
    if activity.accuracy_m is None:
        return [], []
    accuracy = format_decimal(round(activity.accuracy_m))
    return [
        _("The GPS fix was accurate to ±%(accuracy)s m; the limit is %(limit)s m.", accuracy=accuracy, limit=limit)
    ], []


def _area_mismatch(_user, activity):
    if not (activity.area and activity.declared_area):
        return [], []
    names = {"gps": activity.area.full_name, "declared": activity.declared_area.full_name}
    return [_("The GPS point lies in %(gps)s, but the officer chose %(declared)s.", **names)], []


def _photo_far(_user, activity):
    lines = []
    for photo in activity.photos:
        metres = quality.photo_distance_m(activity, photo)
        if metres is not None and metres > quality.PHOTO_FAR_M:
            lines.append(
                _(
                    "Photo %(number)d was taken %(km)s km from where the entry was recorded.",
                    number=photo.index + 1,
                    km=km(metres),
                )
            )
    return lines, []


def _photo_time(_user, activity):
    lines = []
    for photo in activity.photos:
        gap = quality.photo_time_gap(activity, photo)
        if gap is None or abs(gap) <= quality.PHOTO_TIME_GAP:
            continue
        words = {"number": photo.index + 1, "gap": format_timedelta(abs(gap), threshold=2)}
        if gap < timedelta(0):
            lines.append(_("Photo %(number)d was taken %(gap)s before the activity.", **words))
        else:
            lines.append(_("Photo %(number)d was taken %(gap)s after the activity.", **words))
    return lines, []


def _duplicate_photo(user, activity):
    lines, related = [], {}
    for photo in activity.photos:
        holders = db.select(Photo.activity_id).where(Photo.sha256 == photo.sha256, Photo.activity_id != activity.id)
        query = db.select(Activity).where(Activity.id.in_(holders), Activity.deleted_at.is_(None))
        others = list(db.session.scalars(query.order_by(Activity.id)).unique())
        if others:
            lines.append(
                ngettext(
                    "Photo %(number)d is also used in %(num)d other entry.",
                    "Photo %(number)d is also used in %(num)d other entries.",
                    len(others),
                    number=photo.index + 1,
                )
            )
            related.update((other.id, other) for other in others if can_view(user, other))
    return lines, list(related.values())


def _implausible_travel(user, activity):
    if not activity.has_position:
        return [], []
    limit = current_app.config["FIELDKIT_MAX_SPEED_KMH"]
    here = quality.Point(activity.id, activity.occurred_at, activity.lat, activity.lon)
    lines, related = [], []
    before, after = quality.neighbours([activity.id]).get(activity.id, (None, None))
    for other, messages in ((before, _TRAVEL_BEFORE), (after, _TRAVEL_AFTER)):
        if other is None:
            continue
        leg = quality.leg(here, other)
        if not leg.implausible(limit):
            continue
        words = {"km": km(leg.distance_m), "limit": limit}
        if leg.speed_kmh is None:
            lines.append(messages[0] % words)
        else:
            gap = format_timedelta(timedelta(seconds=leg.seconds), threshold=2)
            lines.append(messages[1] % {**words, "gap": gap, "speed": format_decimal(round(leg.speed_kmh))})
        neighbour = db.session.get(Activity, other.id)
        if neighbour is not None and can_view(user, neighbour):
            related.append(neighbour)
    return lines, related


_TRAVEL_BEFORE = (
    _l("%(km)s km from the officer's previous entry, recorded at the same time."),
    _l("%(km)s km from the officer's previous entry, %(gap)s earlier: %(speed)s km/h (the limit is %(limit)s km/h)."),
)
_TRAVEL_AFTER = (
    _l("%(km)s km from the officer's next entry, recorded at the same time."),
    _l("%(km)s km from the officer's next entry, %(gap)s later: %(speed)s km/h (the limit is %(limit)s km/h)."),
)
_DETAILS = {
    Flag.LOW_ACCURACY: _low_accuracy,
    Flag.AREA_MISMATCH: _area_mismatch,
    Flag.PHOTO_FAR: _photo_far,
    Flag.PHOTO_TIME: _photo_time,
    Flag.DUPLICATE_PHOTO: _duplicate_photo,
    Flag.IMPLAUSIBLE_TRAVEL: _implausible_travel,
}


def map_data(activity: Activity) -> dict:
    """The plain data of the entry's small map: its point and accuracy, the declared and the GPS commune."""

    from maps.review import Commune  # folium comes with it: imported where the map is drawn

    def commune(area: Area | None) -> Commune | None:
        return Commune(area.code, area.full_name, area.geometry) if area is not None else None

    return {
        "point": (activity.lat, activity.lon) if activity.has_position else None,
        "accuracy_m": activity.accuracy_m,
        "declared": commune(activity.declared_area),
        "located": commune(activity.area),
    }
