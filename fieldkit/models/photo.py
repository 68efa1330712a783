"""A photo attached to an activity as evidence."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class Photo(db.Model):
    """One of an activity's photos (index 0–4); files live under uploads/ by the upload's sha256."""

    __table_args__ = (UniqueConstraint("activity_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    index: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the bytes as uploaded
    path: Mapped[str] = mapped_column(String(200))  # relative to the uploads folder
    thumb_path: Mapped[str] = mapped_column(String(200))
    width: Mapped[int]
    height: Mapped[int]
    bytes: Mapped[int]
    taken_at: Mapped[datetime | None]  # naive UTC, from EXIF or what the phone read
    exif_lat: Mapped[float | None]
    exif_lon: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity = relationship("Activity", back_populates="photos")

    def receipt(self) -> dict:
        """What the phone needs to know the server holds this photo."""
        return {"index": self.index, "sha256": self.sha256, "width": self.width, "height": self.height}
