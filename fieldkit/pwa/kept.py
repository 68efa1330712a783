"""The officer's entries the phone keeps for use without a connection: the last 50 and every returned one.

The service worker asks for this list when a page loads and keeps each entry's page, its edit page (while it may be
edited) and its photos' thumbnails. Each entry carries a stamp that changes whenever what its pages show changes,
so the phone fetches again only what changed, and drops what left the list (withdrawn, verified long ago).
"""

import hashlib

from flask import url_for
from flask_babel import get_locale
from sqlalchemy.orm import selectinload

from fieldkit.activities import queries
from fieldkit.activities.access import can_edit
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, User
from fieldkit.pwa import assets

RECENT = 50
RETURNED_CAP = 500  # a bound on one answer; an officer with more returned entries has other problems


def kept_entries(user: User) -> list[dict]:
    """The entries to keep offline, newest first, each as {"uuid", "stamp", "urls"}."""
    recent = queries.page(user, queries.Filters(), None, RECENT).items
    returned = queries.statement(user, queries.Filters(status=ActivityStatus.RETURNED))
    returned = returned.options(selectinload(Activity.photos)).limit(RETURNED_CAP)
    seen, entries = set(), []
    for activity in [*recent, *db.session.scalars(returned).unique()]:
        if activity.id not in seen:
            seen.add(activity.id)
            entries.append(_entry(user, activity))
    return entries


def _entry(user: User, activity: Activity) -> dict:
    editable = can_edit(user, activity)
    urls = [url_for("field.activity", uuid=activity.uuid)]
    if editable:
        urls.append(url_for("field.edit_activity", uuid=activity.uuid))
    urls += [url_for("photos.photo", uuid=activity.uuid, index=p.index, thumb=True) for p in activity.photos]
    parts = [
        str(activity.version),
        activity.status,
        str(editable),
        str(get_locale()),
        assets.current().version,
        *(f"{p.index}:{p.sha256}" for p in activity.photos),
    ]
    return {"uuid": activity.uuid, "stamp": hashlib.sha256("|".join(parts).encode()).hexdigest()[:16], "urls": urls}
