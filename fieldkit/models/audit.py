"""Who did what to which record, and when."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class AuditEvent(db.Model):
    """One change to a record, with its state before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


def record(user_id: int | None, action: str, entity: str, entity_id, before=None, after=None) -> AuditEvent:
    """Add an audit event to the session (the caller commits)."""
    event = AuditEvent(
        user_id=user_id, action=action, entity=entity, entity_id=str(entity_id), before=before, after=after
    )
    db.session.add(event)
    return event
