"""Where each role starts: officers on their home page, supervisors on coverage, administrators on administration."""

from flask import url_for

from fieldkit.models import Role, User


def landing(user: User) -> str:
    """Return the URL that this user lands on after logging in, and when opening '/'."""
    if user.role == Role.ADMIN:
        return url_for("admin.index")
    if user.role == Role.SUPERVISOR:
        return url_for("coverage.index")
    return url_for("field.home")
