"""Communes (areas) with their boundaries, and their poverty statistics by year."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit import rates
from fieldkit.extensions import db
from fieldkit.timeutil import utcnow


class Area(db.Model):
    """A commune-level unit keyed by its official GSO code."""

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # Xã | Phường | Đặc khu, or "" when not known
    province_code: Mapped[str] = mapped_column(String(4))
    geometry: Mapped[dict] = mapped_column(JSON)  # GeoJSON, WGS84, [lon, lat]
    centroid_lat: Mapped[float] = mapped_column(Float)
    centroid_lon: Mapped[float] = mapped_column(Float)
    bbox: Mapped[list] = mapped_column(JSON)  # [min_lon, min_lat, max_lon, max_lat]
    approximate: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    stats: Mapped[list["AreaStat"]] = relationship(back_populates="area", order_by="AreaStat.year.desc()")

    @property
    def full_name(self) -> str:
        """The kind and the name ("Phường An Bình"); the name alone while the kind is unknown."""
        return f"{self.kind} {self.name}" if self.kind else self.name


class AreaStat(db.Model, rates.Rates):
    """Households, poor and near-poor households of one commune in one year."""

    __table_args__ = (UniqueConstraint("area_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code", ondelete="CASCADE"))
    year: Mapped[int]
    households: Mapped[int]
    poor_households: Mapped[int]
    near_poor_households: Mapped[int]
    source: Mapped[str] = mapped_column(String(300), default="")
    illustrative: Mapped[bool] = mapped_column(default=False)

    area: Mapped[Area] = relationship(back_populates="stats")
