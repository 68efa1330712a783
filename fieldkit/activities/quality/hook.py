"""Keep flags consistent: note what each flush changes, and refresh the flags once, just before the commit.

A change to one entry can change the flags of others (its old and new neighbours in time, the other holders of
its photos), so the hook notes every entry whose time, position, commune, accuracy or photos change (or that is
withdrawn), with what it was linked to before the change, and ``settle`` refreshes them all in a few queries.
"""

from dataclasses import dataclass, field

from sqlalchemy import event, inspect, select

from fieldkit.activities.quality.refresh import linked, refresh_flags
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo

PENDING = "fieldkit.quality.pending"
MOVES = ("occurred_at", "lat", "lon", "officer_id", "deleted_at")  # change the neighbours in time
OWN = ("accuracy_m", "location_source", "area_code", "declared_area_code", "flags")  # change only the entry's own flags
PHOTO_FIELDS = ("sha256", "taken_at", "exif_lat", "exif_lon")


def init_app(_app) -> None:
    """Install the hook on the app's session (once: the session object is shared by every app)."""
    for name, listener in (
        ("before_flush", _note_changes),
        ("before_commit", settle),
        ("after_soft_rollback", _forget),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


@dataclass
class _Pending:
    entries: list = field(default_factory=list)  # changed Activity objects (a new one has its id only after flush)
    moved: list = field(default_factory=list)  # of them, the new ones and those whose MOVES changed
    ids: set = field(default_factory=set)  # entries linked, as stored before the change, to a changed one


def _note_changes(session, _context, _instances) -> None:
    """Note the entries whose flags this flush may change, and what they were linked to before it."""
    noted, old_links, old_shas = _Pending(), [], []
    deleted = session.deleted
    for obj in (*session.new, *session.dirty, *deleted):
        state = inspect(obj)
        if isinstance(obj, Activity):
            moved = state.pending or _changed(state, MOVES)
            if moved or _changed(state, OWN):
                noted.entries.append(obj)
            if moved:
                noted.moved.append(obj)
            if state.persistent and (obj in deleted or moved):
                old_links.append(obj.id)
        elif isinstance(obj, Photo) and (state.pending or obj in deleted or _changed(state, PHOTO_FIELDS)):
            if obj.activity is not None:
                noted.entries.append(obj.activity)
            else:
                noted.ids.add(obj.activity_id)
            if state.persistent:
                old_shas += state.attrs.sha256.history.deleted or ([obj.sha256] if obj in deleted else [])
    if old_links:
        noted.ids |= linked(session, old_links)
    if old_shas:
        noted.ids.update(session.scalars(select(Photo.activity_id).where(Photo.sha256.in_(old_shas)).distinct()))
    if noted.entries or noted.ids:
        pending = session.info.setdefault(PENDING, _Pending())
        pending.entries += noted.entries
        pending.moved += noted.moved
        pending.ids |= noted.ids


def _changed(state, names: tuple[str, ...]) -> bool:
    return any(state.attrs[name].history.has_changes() for name in names)


def settle(session=None) -> None:
    """Refresh the noted entries, their old and new links; the commit does it before it makes them visible.

    A view that answers with an entry's flags settles them and serializes before it commits: after the commit
    the entry would have to be loaded again.
    """
    session = session or db.session()
    if session.in_nested_transaction():
        return  # a savepoint's release: the flags follow at the real commit
    session.flush()  # what is still unflushed is noted now
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    changed = {entry.id for entry in pending.entries if entry.id is not None}
    moved = {entry.id for entry in pending.moved if entry.id is not None}  # only these change a neighbour's flags
    photoless = {entry.id for entry in pending.entries if "photos" not in inspect(entry).unloaded and not entry.photos}
    targets = changed | pending.ids | linked(session, moved, holders_of=changed - photoless)
    if targets:
        refresh_flags(targets, session)


def _forget(session, _previous) -> None:
    """What was noted is gone with the transaction."""
    if not session.in_transaction():
        session.info.pop(PENDING, None)
