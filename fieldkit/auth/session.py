"""Flask-Login set-up and bearer-token authentication."""

from datetime import timedelta

from flask import request
from flask_babel import lazy_gettext as _l

from fieldkit.extensions import db, login
from fieldkit.models import ApiToken, User
from fieldkit.models.token import hash_token
from fieldkit.timeutil import utcnow


def init_app(app) -> None:
    """Configure the login manager."""
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = _l("Please log in to continue.")
    login.login_message_category = "info"


@login.user_loader
def load_user(user_id: str) -> User | None:
    """Load the session's user; an inactive user is treated as logged out."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@login.request_loader
def load_user_from_token(req) -> User | None:
    """Authenticate ``Authorization: Bearer <token>`` for other programs."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = db.session.scalar(db.select(ApiToken).filter_by(token_hash=hash_token(header[7:].strip())))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.last_used_at is None or utcnow() - token.last_used_at > timedelta(minutes=10):
        token.last_used_at = utcnow()  # coarse, so reads do not write on every request
        db.session.commit()
    request.environ["fieldkit.token"] = True
    return token.user


def by_token() -> bool:
    """Tell whether this request was authenticated by a bearer token (no CSRF then)."""
    return bool(request.environ.get("fieldkit.token"))
