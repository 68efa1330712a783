"""Who sees and inspects which banners: the rules of activities (``activities.access``), carried to banners.

A banner is placed in its entry's commune. A commune supervisor sees the banners of their commune, a city-wide
supervisor and an administrator all; an officer sees the banners they put up and, since a label is there to be
checked by whoever passes, those of their own commune. Officers and supervisors record inspections of the banners
they see. Retired banners (withdrawn entries, lowered quantities) are seen by nobody.
"""

from sqlalchemy import or_

from fieldkit.models import Banner, Role, User

INSPECTORS = (Role.OFFICER, Role.SUPERVISOR)


def visible(user: User):
    """Return a WHERE clause for the banners this user may see."""
    live = Banner.retired_at.is_(None)
    if user.role == Role.OFFICER:
        own = Banner.officer_id == user.id
        return live & (or_(own, Banner.area_code == user.area_code) if user.area_code else own)
    if user.area_code:
        return live & (Banner.area_code == user.area_code)
    return live


def can_view(user: User, banner: Banner) -> bool:
    """Tell whether the user may see this banner (the record form of ``visible``)."""
    if banner.retired_at is not None:
        return False
    if user.role == Role.OFFICER:
        return banner.officer_id == user.id or (user.area_code is not None and banner.area_code == user.area_code)
    return not user.area_code or banner.area_code == user.area_code


def can_inspect(user: User, banner: Banner) -> bool:
    """Officers and supervisors inspect the banners they see."""
    return user.role in INSPECTORS and can_view(user, banner)
