"""Sign-in codes: a printed QR code that signs one officer in on a phone once; only the code's hash is stored."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.models.audit import record as audit
from fieldkit.timeutil import utcnow


def hash_code(code: str) -> str:
    """Hash a sign-in code for storage and look-up."""
    return hashlib.sha256(code.encode()).hexdigest()


class SigninCode(db.Model):
    """A single-use sign-in link for one user, until it is used, expires or is revoked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    @staticmethod
    def generate() -> str:
        """Make a new random code (printed once, never stored): 192 bits, URL-safe."""
        return secrets.token_urlsafe(24)

    def state(self, now: datetime | None = None) -> str:
        """'active', 'used', 'revoked' or 'expired' (a used or revoked code says so even once past its time)."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if (now or utcnow()) >= self.expires_at else "active"


def revoke_open(user, by_id: int | None) -> int:
    """Revoke the user's unused, unexpired codes (a new password or a deactivation ends them too); audited as
    done by ``by_id`` (None: the command line). Answer how many."""
    now = utcnow()
    query = db.select(SigninCode).filter_by(user_id=user.id, used_at=None, revoked_at=None)
    rows = list(db.session.scalars(query.where(SigninCode.expires_at > now)))
    for row in rows:
        row.revoked_at = now
        audit(by_id, "revoke", "signin_code", row.id, after={"user": user.username})
    return len(rows)
