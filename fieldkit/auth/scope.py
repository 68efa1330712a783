"""The one guard for routes, and the one lookup of an entry a user may see.

``require(*roles)`` is the only way a route is guarded: not logged in, a page sends to /login and the API
answers JSON 401; logged in with another role, 403 (JSON on the API). Use it as a
blueprint's guard, ``bp.before_request(require(Role.ADMIN))``, or on one view, ``@require(Role.OFFICER)``; with
no roles it asks only for a login. Which records a user sees is ``fieldkit.activities.access``; a record outside
the viewer's scope answers 404, exactly as an unknown one (``visible_or_404``).

On purpose, officers may open /map and export their own entries: both show only what ``visible`` lets them see,
their own work, which an officer may well want on a map or in a spreadsheet. tests/test_access_matrix.py is the
fence for every route.
"""

import functools

from flask import abort, current_app, request
from flask_login import current_user

from fieldkit.activities.access import can_edit, can_view, visible
from fieldkit.activities.services import by_uuid
from fieldkit.models import Activity, Role, User

__all__ = ["SUPERVISORS", "can_edit", "can_view", "require", "visible", "visible_or_404"]

SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)


class require:
    """A guard: logged in, and with one of ``roles`` when any are named."""

    def __init__(self, *roles: Role):
        self.roles = frozenset(roles)

    def __call__(self, view=None):
        """Called bare (as a before_request), check; called with a view, return it guarded."""
        if view is None:
            return self.check()

        @functools.wraps(view)
        def guarded(*args, **kwargs):
            refused = self.check()
            return refused if refused is not None else view(*args, **kwargs)

        return guarded

    def check(self):
        """None when the current user may go on; else the answer (a redirect to log in) or an abort."""
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                abort(401)
            return current_app.login_manager.unauthorized()
        if self.roles and current_user.role not in self.roles:
            abort(403)
        return None


def visible_or_404(user: User, uuid: str, withdrawn: bool = False) -> Activity:
    """The live entry with this uuid if the user may see it; else 404, as for an entry that does not exist.
    ``withdrawn=True`` also finds the user's own withdrawn entry, so that a repeated withdrawal is answered."""
    activity = by_uuid(uuid, withdrawn=withdrawn)
    if activity is None:
        abort(404)
    own_withdrawn = withdrawn and activity.deleted_at is not None and activity.officer_id == user.id
    if not (own_withdrawn or can_view(user, activity)):
        abort(404)
    return activity
