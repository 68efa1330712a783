"""Who may see and change which activities: the one place for these rules."""

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import or_

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
    """Tell whether the user may see this activity and its photos."""
    if activity.deleted_at is not None:
        return False
    if user.role == Role.OFFICER:
        return activity.officer_id == user.id
    if user.area_code:
        place = activity.area_code or activity.declared_area_code
        return place == user.area_code
    return True


def can_edit(user: User, activity: Activity) -> bool:
    """Officers edit their own entries until a supervisor has verified them."""
    return activity.deleted_at is None and activity.officer_id == user.id and activity.status != ActivityStatus.VERIFIED


def supervisors_only():
    """A blueprint's before_request guard: log in first, then supervisors and administrators only."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_supervisor:
        abort(403)
    return None
