"""A reporting unit's report for a period: its narrative, where it stands, and the numbers it was sent with."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class SubmissionState(StrEnum):
    """Where a stored report stands (a unit without a row has not started; "late" is read off the due date)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ReportSubmission(db.Model):
    """One unit's report for one period: a commune (unit_kind "area") or an implementing body ("org")."""

    __table_args__ = (UniqueConstraint("period", "unit_kind", "unit_code", name="uq_report_submission_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8), index=True)  # the canonical key: 2025, 2025-Q4, 2025-11
    unit_kind: Mapped[str] = mapped_column(String(4))  # area | org
    unit_code: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), default=SubmissionState.DRAFT)
    results: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    # The numbers as sent, and the mark of the entries they came from (what later changes are found against).
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])

    __mapper_args__ = {"version_id_col": version}

    def narrative(self) -> dict[str, str]:
        """The three parts the plan asks for, by their API names."""
        return {"results": self.results, "difficulties": self.difficulties, "proposals": self.proposals}
