"""Administrators' work on tokens and users: plain functions that flush and audit, never commit."""

from fieldkit.extensions import db
from fieldkit.models import ApiToken, Organization, User
from fieldkit.models.audit import record as audit
from fieldkit.models.token import hash_token
from fieldkit.timeutil import utcnow


def tokens() -> list[ApiToken]:
    """Every token, live ones first, newest first."""
    query = db.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
    return list(db.session.scalars(query))


def create_token(admin: User, user: User, label: str) -> tuple[ApiToken, str]:
    """Make a token for the user; return the row and the token itself, which is stored only as a hash."""
    secret = ApiToken.generate()
    token = ApiToken(user_id=user.id, label=label, token_hash=hash_token(secret))
    db.session.add(token)
    db.session.flush()
    audit(admin.id, "create", "token", token.id, after={"user": user.username, "label": label})
    return token, secret


def revoke_token(admin: User, token: ApiToken) -> None:
    """Stop the token working from the next request on (a repeat changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit(admin.id, "revoke", "token", token.id, after={"user": token.user.username, "label": token.label})


def users() -> list[User]:
    """Every account: active ones first, then by username."""
    return list(db.session.scalars(db.select(User).order_by(User.active.desc(), User.username)))


def create_user(
    admin: User,
    username: str,
    display_name: str,
    role: str,
    area_code: str | None,
    password: str,
    organization: Organization | None = None,
) -> User:
    """Add an account with its first password, in its body."""
    user = User(username=username, display_name=display_name, role=role, area_code=area_code, organization=organization)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    after = {"username": username, "role": role, "area_code": area_code, "organization_id": user.organization_id}
    audit(admin.id, "create", "user", user.id, after=after)
    return user


def set_active(admin: User, user: User, active: bool) -> None:
    """Deactivate (logged out at their next request, tokens stop working) or reactivate an account."""
    if user.active != active:
        user.active = active
        if not active:
            user.end_sessions()  # a reactivated account starts without its old sessions
        db.session.flush()
        audit(admin.id, "activate" if active else "deactivate", "user", user.id, after={"username": user.username})


def reset_password(admin: User, user: User, password: str) -> None:
    """Give the account a new password (the old one and every session stop working)."""
    user.set_password(password)
    db.session.flush()
    audit(admin.id, "reset_password", "user", user.id, after={"username": user.username})


EDITABLE = ("display_name", "role", "area_code", "locale", "organization_id")


def update_user(admin: User, user: User, **values) -> dict[str, tuple]:
    """Change an account's name, role, commune, language or body; audit what changed; answer
    {field: (before, after)}."""
    changes = {name: (getattr(user, name), values[name]) for name in EDITABLE if getattr(user, name) != values[name]}
    if not changes:
        return changes
    for name, (_before, after) in changes.items():
        setattr(user, name, after)
    db.session.flush()
    audit(
        admin.id,
        "update",
        "user",
        user.id,
        before={"username": user.username, **{name: before for name, (before, _after) in changes.items()}},
        after={"username": user.username, **{name: after for name, (_before, after) in changes.items()}},
    )
    return changes
