"""People who use fieldkit, and what they may see."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class Role(StrEnum):
    """What a user does: records, supervises, or administers."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


def new_nonce() -> str:
    """A fresh session nonce: every cookie signed with the old one stops signing in."""
    return secrets.token_hex(8)


class User(UserMixin, db.Model):
    """A field officer, a supervisor (of one commune or the city) or an administrator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=Role.OFFICER)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)  # their body
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of every session and remember-me cookie (get_id); changing it ends all of the user's sessions.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)

    organization = relationship("Organization", lazy="joined")

    def get_id(self) -> str:
        """What the session and the remember-me cookie carry: the id and the current session nonce."""
        return f"{self.id}:{self.session_nonce}"

    def end_sessions(self) -> None:
        """Make every session and remember-me cookie issued so far stop signing in."""
        self.session_nonce = new_nonce()

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password; sessions opened with the old one end."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        """Deactivated users are logged out at their next request."""
        return self.active

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)
