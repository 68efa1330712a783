"""Flask-Login set-up and bearer-token authentication."""

import hmac
import secrets
from datetime import timedelta

from flask import request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

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
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=30))


@login.user_loader
def load_user(user_id: str) -> User | None:
    """Load the user of a session or remember-me cookie ("id:nonce:salt"); a stale nonce or inactive user is none."""
    number, _, rest = user_id.partition(":")
    nonce = rest.partition(":")[0]
    user = db.session.get(User, int(number)) if number.isdigit() and nonce else None
    if user is None or not user.active or not hmac.compare_digest(user.session_nonce, nonce):
        return None
    return user


def sign_in(user: User) -> None:
    """Start a fresh session with a remember-me cookie of its own (the salt makes it new at every login)."""
    session.clear()
    login_user(user, remember=True)
    session["_user_id"] = f"{user.get_id()}:{secrets.token_urlsafe(8)}"  # what the remember-me cookie signs


def sign_out() -> None:
    """End this session and every other one of the user's: their copied cookies stop signing in."""
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()


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
