"""Exemplary households and poverty-reduction models (tấm gương điển hình, mô hình giảm nghèo tiêu biểu)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class RoleModel(db.Model):
    """An example that talks and media entries can promote; its photo is kept in the photo store."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    photo_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    photo_path: Mapped[str | None] = mapped_column(String(80))
    thumb_path: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    area = relationship("Area", lazy="joined")

    def as_dict(self) -> dict:
        """The register entry as the API shows it."""
        return {
            "id": self.id,
            "name": self.name,
            "area_code": self.area_code,
            "description": self.description,
            "photo": self.photo_sha256 is not None,
            "active": self.active,
        }
