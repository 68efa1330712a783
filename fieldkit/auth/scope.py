"""Who may see and change which activities: the one place for these rules."""

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
