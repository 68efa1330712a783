"""The plan's targets: how many activities of a type a commune should carry out in a year."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fieldkit.extensions import db


class Target(db.Model):
    """A commune's target for one activity type in one year."""

    __table_args__ = (UniqueConstraint("area_code", "year", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code", ondelete="CASCADE"))
    year: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]
