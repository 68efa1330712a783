"""Failed-login limits kept in the database, so that every worker and every app server counts together.

Three counters per attempt, failed attempts only: the (account, address) pair, strict, so one address cannot go
on guessing; the account alone, looser, so that an attacker at one address cannot lock the owner out elsewhere
while many addresses together still meet a ceiling; and the address alone, against one address trying many
accounts. The account is the name as the login reads it (forms.auth.login_name), so other spellings of one name
share its allowance. Fixed windows; a row per key and window, deleted once the window is over.
"""

import time

from flask import current_app
from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError

from fieldkit.extensions import db
from fieldkit.models import LoginCounter

LIMITS = {
    "pair": "FIELDKIT_LOGIN_LIMIT_PAIR",
    "account": "FIELDKIT_LOGIN_LIMIT_ACCOUNT",
    "address": "FIELDKIT_LOGIN_LIMIT_ADDRESS",
}


def _windows(username: str, address: str, now: int) -> list[tuple[str, int, int, int]]:
    """(key, window start, window length, allowed failures) of every counter an attempt touches now."""
    from limits import parse_many  # loads at the first sign-in, not at start-up

    idents = {"pair": f"{username[:64]}|{address}", "account": username[:64], "address": address}
    found = []
    for scope, setting in LIMITS.items():
        for item in parse_many(current_app.config[setting]):
            length = item.get_expiry()
            key = f"{scope}:{idents[scope]}:{item.amount}/{length}"
            found.append((key, now - now % length, length, item.amount))
    return found


def retry_after(username: str, address: str) -> int | None:
    """Seconds until this account may be tried again from this address, or None when it may be tried now."""
    now = int(time.time())
    windows = _windows(username, address, now)
    wanted = or_(*(and_(LoginCounter.key == key, LoginCounter.window == start) for key, start, _, _ in windows))
    counts = {(row.key, row.window): row.count for row in db.session.scalars(db.select(LoginCounter).where(wanted))}
    waits = [start + length - now for key, start, length, amount in windows if counts.get((key, start), 0) >= amount]
    return max(waits, default=None)


def failed(username: str, address: str) -> None:
    """Count one failed attempt on each of its counters (flushes; the caller commits)."""
    now = int(time.time())
    table = LoginCounter.__table__
    for key, start, length, _amount in _windows(username, address, now):
        where = (table.c.key == key) & (table.c.window == start)
        if db.session.execute(table.update().where(where).values(count=table.c.count + 1)).rowcount:
            continue
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert().values(key=key, window=start, count=1, expires=start + length))
        except IntegrityError:  # another server made the row meanwhile
            db.session.execute(table.update().where(where).values(count=table.c.count + 1))
    db.session.execute(table.delete().where(table.c.expires <= now))
