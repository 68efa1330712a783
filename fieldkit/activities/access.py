"""Who may see and change which activities, and whom a supervisor oversees: the one home of these rules.

Officers see and edit their own entries (edit until verified); a commune supervisor sees the entries placed in
their commune (the GPS commune, else the declared one); a city-wide supervisor and an administrator see all.
"""

from sqlalchemy import or_

from fieldkit.extensions import db
from fieldkit.i18n import sort_key
from fieldkit.models import Activity, ActivityStatus, Role, User


def visible(user: User):
    """Return a WHERE clause for the activities this user may see."""
    live = Activity.deleted_at.is_(None)
    if user.role == Role.OFFICER:
        return live & (Activity.officer_id == user.id)
    if user.area_code:
        in_area = or_(
            Activity.area_code == user.area_code,
            Activity.area_code.is_(None) & (Activity.declared_area_code == user.area_code),
        )
        return live & in_area
    return live


def can_view(user: User, activity: Activity) -> bool:
    """Tell whether the user may see this activity and its photos (the record form of ``visible``)."""
    if activity.deleted_at is not None:
        return False
    if user.role == Role.OFFICER:
        return activity.officer_id == user.id
    if user.area_code:
        place = activity.area_code or activity.declared_area_code
        return place == user.area_code
    return True


def can_edit(user: User, activity: Activity) -> bool:
    """Officers edit, and withdraw, their own entries until a supervisor has verified them."""
    return activity.deleted_at is None and activity.officer_id == user.id and activity.status != ActivityStatus.VERIFIED


def officers_in_scope(user: User) -> list[User]:
    """The officers a supervisor oversees, by name: those of their commune, or all for a city-wide one."""
    query = db.select(User).where(*_overseen(user))
    return sorted(db.session.scalars(query), key=lambda officer: sort_key(officer.display_name))


def officer_choices(user: User) -> list[tuple[str, str]]:
    """(username, name) of the officers in scope, by name: what a filter offers (two columns, not whole users:
    a country holds thousands)."""
    query = db.select(User.username, User.display_name).where(*_overseen(user))
    return sorted(((name, shown) for name, shown in db.session.execute(query)), key=lambda o: sort_key(o[1]))


def _overseen(user: User) -> list:
    where = [User.role == Role.OFFICER]
    if user.area_code and not user.is_officer:
        where.append(User.area_code == user.area_code)
    return where
