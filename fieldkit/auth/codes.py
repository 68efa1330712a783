"""Using a sign-in code: look it up by its hash, and spend it at most once (plain functions, never commit)."""

from sqlalchemy import update

from fieldkit.extensions import db
from fieldkit.models import SigninCode
from fieldkit.models.audit import record as audit
from fieldkit.models.signin_code import hash_code
from fieldkit.timeutil import utcnow

MAX_CODE_LENGTH = 64  # the codes are 32 characters; anything much longer is not one


def look_up(code: str) -> tuple[SigninCode | None, str]:
    """The code's row and its state: 'active', 'used', 'revoked', 'expired', 'inactive' (the account is
    deactivated) or 'unknown' (no such code; the row is then None)."""
    if not code or len(code) > MAX_CODE_LENGTH:
        return None, "unknown"
    row = db.session.scalar(db.select(SigninCode).filter_by(code_hash=hash_code(code)))
    if row is None:
        return None, "unknown"
    state = row.state()
    return row, "inactive" if state == "active" and not row.user.active else state


def redeem(code: str) -> tuple[SigninCode | None, str]:
    """Spend the code: one conditional UPDATE, so of two phones scanning it at once only one is signed in. Answer
    the row and 'active' when this request spent it, else why not. Refusals of a known code are audited."""
    row, state = look_up(code)
    if state == "active":
        now = utcnow()
        spent = db.session.execute(
            update(SigninCode)
            .where(
                SigninCode.id == row.id,
                SigninCode.used_at.is_(None),
                SigninCode.revoked_at.is_(None),
                SigninCode.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(row)
        if spent.rowcount == 1:
            audit(row.user_id, "use", "signin_code", row.id, after={"user": row.user.username})
            return row, state
        state = row.state()
    if row is not None:
        audit(None, "refuse", "signin_code", row.id, after={"user": row.user.username, "state": state})
    return row, state
