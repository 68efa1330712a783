"""Verify many entries at once: the ones a supervisor ticked, or every unflagged one the queue's filters show.

A bulk decision is two steps. ``plan`` turns the choice into the entries it would verify, each with the version the
supervisor was shown, so the confirmation can say how many; ``verify_all`` then verifies exactly those, one by one
through ``services.verify`` (one audit event each), and skips, with the reason, every entry that was withdrawn,
changed, decided, flagged or moved out of the supervisor's scope in the meantime. Flush, never commit.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from fieldkit.activities.queries import Filters, statement
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, User
from fieldkit.review import services
from fieldkit.review.services import QueueFilters, ReviewError, no_flags
from fieldkit.vocabulary import STATUSES
from forms.review import BULK_MAX

LIMIT = BULK_MAX


@dataclass(frozen=True)
class Pick:
    """One entry as the supervisor saw it: its uuid and version."""

    uuid: str
    version: int


@dataclass
class Skip:
    """An entry left as it was, and why."""

    uuid: str
    activity: Activity | None
    reason: object  # a lazy string


@dataclass
class Plan:
    """What a bulk decision would verify (at most LIMIT), how many the choice held, and what it cannot verify."""

    entries: list[Activity]
    total: int
    skipped: list[Skip] = field(default_factory=list)

    @property
    def picks(self) -> list[Pick]:
        return [Pick(activity.uuid, activity.version) for activity in self.entries]


@dataclass
class Outcome:
    """What a bulk decision did."""

    verified: list[Activity] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


GONE = _l("It was withdrawn, or is not in your scope.")
CHANGED = _l("The officer changed it after you chose it.")
FLAGGED = _l("It has quality flags now; look at it on its own.")


def plan_unflagged(user: User, chosen: QueueFilters) -> Plan:
    """Every submitted entry without flags that the queue's filters show, newest first (the first LIMIT)."""
    query = _unflagged(user, chosen)
    total = db.session.scalar(query.with_only_columns(db.func.count(Activity.id)).order_by(None))
    return Plan(list(db.session.scalars(query.limit(LIMIT)).unique()), total or 0)


def plan_selected(user: User, picks: list[Pick]) -> Plan:
    """The ticked entries that can still be verified as they were shown; the others with their reason."""
    found = _load(user, picks)
    plan = Plan([], len(picks))
    for pick in picks:
        activity = found.get(pick.uuid)
        reason = _why_not(activity, pick, unflagged=False)
        if reason is None:
            plan.entries.append(activity)
        else:
            plan.skipped.append(Skip(pick.uuid, activity, reason))
    return plan


def verify_all(user: User, picks: list[Pick], unflagged: bool = False) -> Outcome:
    """Verify each picked entry that is still submitted at the version shown (and unflagged, if that was the
    choice); one audit event per entry verified. Each entry is its own savepoint: a refusal undoes only itself."""
    found = _load(user, picks)
    outcome = Outcome()
    for pick in picks[:LIMIT]:
        activity = found.get(pick.uuid)
        reason = _why_not(activity, pick, unflagged)
        if reason is None:
            try:
                with db.session.begin_nested():
                    services.verify(user, activity, version=pick.version)
            except ReviewError as error:
                reason = error.message
        if reason is None:
            outcome.verified.append(activity)
        else:
            outcome.skipped.append(Skip(pick.uuid, activity, reason))
    return outcome


def _unflagged(user: User, chosen: QueueFilters):
    query = statement(user, chosen.filters).where(Activity.status == ActivityStatus.SUBMITTED.value, no_flags())
    if chosen.flag:  # an entry with this flag is never unflagged
        query = query.where(db.false())
    return query


def _load(user: User, picks: list[Pick]) -> dict[str, Activity]:
    """The picked entries the user may see, by uuid (withdrawn ones and others' communes are simply absent)."""
    uuids = {pick.uuid for pick in picks[:LIMIT]}
    if not uuids:
        return {}
    query = statement(user, Filters()).where(Activity.uuid.in_(uuids)).order_by(None)
    return {activity.uuid: activity for activity in db.session.scalars(query).unique()}


def _why_not(activity: Activity | None, pick: Pick, unflagged: bool):
    """The reason this entry cannot be verified now, or None."""
    if activity is None:
        return GONE
    if activity.status != ActivityStatus.SUBMITTED:
        return _l("Its status changed meanwhile: it is now “%(status)s”.", status=STATUSES[activity.status])
    if activity.version != pick.version:
        return CHANGED
    if unflagged and activity.flags:
        return FLAGGED
    return None
