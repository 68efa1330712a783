"""Money allocated to a commune or to a body for the plan's communication work, by year and funding source."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class Allocation(db.Model):
    """One year's allocation from one source (vocabulary.FUNDING_SOURCES) to a commune or to a body (one of them)."""

    __table_args__ = (
        UniqueConstraint("year", "source", "area_code", "organization_id"),
        CheckConstraint("(area_code IS NULL) <> (organization_id IS NULL)", name="commune_or_body"),
        CheckConstraint("amount_vnd >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(12))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)  # whole đồng
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    organization = relationship("Organization")
