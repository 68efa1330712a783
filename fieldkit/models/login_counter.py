"""Counters of failed logins, in the database so that every worker and app server counts together."""

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldkit.extensions import db


class LoginCounter(db.Model):
    """Failed logins for one key (an account, an address, or the pair) in one fixed time window."""

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # the window's start, seconds since 1970
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires: Mapped[int] = mapped_column(BigInteger, index=True)  # when the window ends: rows past it are deleted
