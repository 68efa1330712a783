"""One field activity: what, when, where, who reached, with which evidence."""

import uuid as uuid_module
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.timeutil import at_offset, utcnow

# The columns funding.money groups and sums, and the entries it reads: what ix_activity_spending holds.
SPENDING = ("occurred_at", "area_code", "declared_area_code", "organization_id", "funding_source", "cost_vnd")
SPENDING_WHERE = text("cost_vnd IS NOT NULL AND deleted_at IS NULL")


class ActivityStatus(StrEnum):
    """Where an entry stands in review."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    RETURNED = "returned"


class LocationSource(StrEnum):
    """Where the position came from: measured by GPS, placed on the form's map, typed in, or none."""

    GPS = "gps"
    MAP = "map"
    TYPED = "typed"
    NONE = "none"
    PHOTO = "photo"  # older entries only: no longer accepted


class Activity(db.Model):
    """An activity as recorded by an officer; ``uuid`` is made by the phone and is the idempotency key."""

    __table_args__ = (
        Index("ix_activity_area_occurred", "area_code", "occurred_at"),
        Index("ix_activity_declared_occurred", "declared_area_code", "occurred_at"),  # the rollup's recount
        Index("ix_activity_points", "occurred_at", "deleted_at", "lat", "lon", "type", "id"),  # the map's points
        Index("ix_activity_officer_id", "officer_id", "id"),
        Index("ix_activity_officer_occurred", "officer_id", "occurred_at", "id"),  # an officer's neighbours in time
        Index(  # the spending (funding.money) read from the index alone: the live entries that state a cost
            "ix_activity_spending",
            *SPENDING,
            sqlite_where=SPENDING_WHERE,
            postgresql_where=SPENDING_WHERE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC
    utc_offset_min: Mapped[int] = mapped_column(default=0)  # the device's offset at the time
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    officer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The officer's body when the entry was recorded: kept when the officer later moves to another body.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    location_source: Mapped[str] = mapped_column(String(8), default=LocationSource.NONE)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))  # from the GPS point
    area_distance_m: Mapped[float | None]  # > 0 when the point lay outside and the nearest commune was taken
    declared_area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))
    topic: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)  # the type's own fields
    # Tallies derived from details when stored, so coverage is a plain GROUP BY.
    people_reached: Mapped[int] = mapped_column(default=0)
    poor_reached: Mapped[int] = mapped_column(default=0)
    near_poor_reached: Mapped[int] = mapped_column(default=0)
    items: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(12), default=ActivityStatus.SUBMITTED, index=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # What it cost, in whole đồng, and where the money came from (vocabulary.FUNDING_SOURCES); both optional.
    cost_vnd: Mapped[int | None] = mapped_column(BigInteger)
    funding_source: Mapped[str | None] = mapped_column(String(12))
    content_hash: Mapped[str] = mapped_column(String(64))  # of the submitted content, for idempotent replays
    deleted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    officer = relationship("User", lazy="joined")
    organization = relationship("Organization", lazy="joined")
    area = relationship("Area", foreign_keys=[area_code], lazy="joined")
    declared_area = relationship("Area", foreign_keys=[declared_area_code], lazy="joined")
    photos = relationship("Photo", back_populates="activity", order_by="Photo.index", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @staticmethod
    def new_uuid() -> str:
        return str(uuid_module.uuid4())

    @staticmethod
    def stored_uuid(text: str) -> str | None:
        """The uuid as stored (any spelling of it is the same entry), or None: a NUL or a path is no entry."""
        try:
            return str(uuid_module.UUID(text))
        except ValueError:
            return None

    @property
    def local_occurred_at(self) -> datetime:
        """The time as the officer's phone showed it."""
        return at_offset(self.occurred_at, self.utc_offset_min)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def place(self):
        """The commune that places the entry: the GPS commune, else the declared one."""
        return self.area or self.declared_area
