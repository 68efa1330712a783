"""Banners as things that stand in the field: one row per panel, banner or slogan of a banner entry, and the
inspections that follow it (append-only: an inspection is never changed, a later one supersedes it)."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.timeutil import at_offset, utcnow
from fieldkit.vocabulary import BannerState


class Banner(db.Model):
    """One banner of an entry; ``code`` is printed on its label. Its state is its latest inspection's."""

    __table_args__ = (
        UniqueConstraint("activity_id", "ordinal"),
        Index("ix_banner_area_state", "area_code", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)  # Crockford base32, see banners.codes
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    activity_uuid: Mapped[str] = mapped_column(String(36), index=True)
    ordinal: Mapped[int]  # 1..quantity within the entry
    officer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))  # who put it up (the entry's officer)
    kind: Mapped[str] = mapped_column(String(16), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    size_m2: Mapped[float | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))  # the entry's commune (GPS, else declared)
    installed_at: Mapped[datetime]  # naive UTC: the entry's time
    remove_by: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default=BannerState.STANDING)
    state_observed_at: Mapped[datetime | None]  # of the inspection that set the state
    last_inspected_at: Mapped[datetime | None]
    inspections_count: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None]  # the entry was withdrawn or its quantity lowered
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area = relationship("Area", lazy="joined")
    inspections = relationship(
        "BannerInspection",
        back_populates="banner",
        order_by=lambda: (BannerInspection.observed_at.desc(), BannerInspection.id.desc()),  # newest first
        cascade="all, delete-orphan",
    )

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


class BannerInspection(db.Model):
    """What an officer found at a banner; ``uuid`` is made by the phone and is the idempotency key."""

    __table_args__ = (Index("ix_inspection_banner_observed", "banner_id", "observed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    banner_id: Mapped[int] = mapped_column(ForeignKey("banner.id", ondelete="CASCADE"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    state: Mapped[str] = mapped_column(String(10))
    observed_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC
    utc_offset_min: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    location_source: Mapped[str] = mapped_column(String(8), default="none")
    distance_m: Mapped[float | None]  # from the banner's own position
    note: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))

    banner = relationship("Banner", back_populates="inspections")
    inspector = relationship("User", lazy="joined")
    photos = relationship(
        "InspectionPhoto", back_populates="inspection", order_by="InspectionPhoto.index", cascade="all, delete-orphan"
    )

    @property
    def local_observed_at(self) -> datetime:
        """The time as the officer's phone showed it."""
        return at_offset(self.observed_at, self.utc_offset_min)


class InspectionPhoto(db.Model):
    """A photo of an inspection, stored by the photo pipeline exactly as an entry's photo (same files, by sha256)."""

    __table_args__ = (UniqueConstraint("inspection_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("banner_inspection.id", ondelete="CASCADE"))
    index: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(200))
    thumb_path: Mapped[str] = mapped_column(String(200))
    width: Mapped[int]
    height: Mapped[int]
    bytes: Mapped[int]
    taken_at: Mapped[datetime | None]
    exif_lat: Mapped[float | None]
    exif_lon: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    inspection = relationship("BannerInspection", back_populates="photos")

    def receipt(self) -> dict:
        """What the phone needs to know the server holds this photo."""
        return {"index": self.index, "sha256": self.sha256, "width": self.width, "height": self.height}
