"""Coverage kept summed by the write path: per commune, local day (and month), type and implementing body."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldkit.extensions import db

DAY, DEKAD, MONTH = "d", "t", "m"  # a local day; ten days (the 1st, 11th, 21st to the month's end); a month
ALL = -1  # the body of the rows that sum every body's
EVERYWHERE = "*"  # the place of the rows that sum every commune's (of every body)


class CoverageRollup(db.Model):
    """The live entries of one commune (GPS commune, else the declared one), one type and one body, summed over a
    local day (grain ``d``), a dekad (``t``: the 1st to the 10th, the 11th to the 20th, the 21st to the month's
    end) or a whole local month (``m``), ``start`` its first day. Body 0: recorded
    without a body; ALL: every body together, the rows coverage and trends read (a body's own rows answer the
    bodies' table and the body filter)."""

    __table_args__ = (Index("ix_coverage_rollup_grain_start", "grain", "start"),)

    place: Mapped[str] = mapped_column(String(10), primary_key=True)
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    type: Mapped[str] = mapped_column(String(16), primary_key=True)
    body: Mapped[int] = mapped_column(Integer, primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(BigInteger)
    people: Mapped[int] = mapped_column(BigInteger)
    poor: Mapped[int] = mapped_column(BigInteger)
    near_poor: Mapped[int] = mapped_column(BigInteger)
    spent: Mapped[int] = mapped_column(BigInteger)
    unlocated: Mapped[int] = mapped_column(Integer)  # of the entries, those without a position
    last: Mapped[datetime] = mapped_column()  # naive UTC, the latest entry's time


class CoverageRollupState(db.Model):
    """One row once the rollup is complete: the time zone its local days were cut in. Without it (a database
    upgraded, not yet rebuilt) or with another zone, coverage is counted from the entries themselves."""

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column()
