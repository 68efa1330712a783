"""Spent against allocated (issue 14): the cost the visible entries state, by funding source, against the year's
allocations — per source, per commune and per body.

An entry's cost counts in its commune (the GPS commune, else the declared one, as coverage places it), in the body
it kept when it was recorded, and under its funding source ("not stated" when the officer gave none). Allocations
are a year's; the share spent is spent in the period over the year's allocation.
"""

from dataclasses import dataclass, field

from sqlalchemy import func

from fieldkit.activities.queries import Filters, statement
from fieldkit.extensions import db
from fieldkit.i18n import sort_key
from fieldkit.models import Activity, Allocation, Area, User
from fieldkit.organizations.services import listed
from fieldkit.vocabulary import FUNDING_SOURCES

UNSTATED = ""  # the source of a cost given without one


@dataclass
class Account:
    """What one commune, body or source was allocated for the year and what its entries spent in the period."""

    code: str
    name: str
    allocated: dict[str, int] = field(default_factory=dict)  # by source
    spent: dict[str, int] = field(default_factory=dict)  # by source, UNSTATED included
    entries: int = 0  # entries that state a cost

    @property
    def allocated_vnd(self) -> int:
        return sum(self.allocated.values())

    @property
    def spent_vnd(self) -> int:
        return sum(self.spent.values())

    @property
    def spent_share(self) -> float | None:
        """Spent over allocated; None without an allocation."""
        return self.spent_vnd / self.allocated_vnd if self.allocated_vnd else None

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "allocated_vnd": self.allocated_vnd,
            "spent_vnd": self.spent_vnd,
            "spent_share": self.spent_share,
            "allocated_by_source": dict(self.allocated),
            "spent_by_source": dict(self.spent),
            "entries_with_cost": self.entries,
        }


@dataclass
class Money:
    """The year's allocations and the period's spending: per source, per commune, per body, and the total."""

    year: int
    sources: list[Account]
    communes: list[Account]
    bodies: list[Account]
    total: Account


def spent_against_allocated(user: User, filters: Filters, year: int, locale=None) -> Money:
    """Gather the money for the user's scope: the entries they may see under the filters, the year's allocations
    to the communes in their scope and to the bodies whose entries they see (every body, for the city)."""
    place = func.coalesce(Activity.area_code, Activity.declared_area_code)
    query = (
        statement(user, filters)
        .with_only_columns(
            place.label("code"),
            Activity.organization_id.label("body"),
            Activity.funding_source.label("source"),
            func.sum(Activity.cost_vnd).label("spent"),
            func.count().label("entries"),
        )
        .where(Activity.cost_vnd.is_not(None))
        .order_by(None)
        .group_by(place, Activity.organization_id, Activity.funding_source)
    )
    spent = db.session.execute(query).all()
    scope = user.area_code if not user.is_officer else None
    allocations = db.session.scalars(db.select(Allocation).where(Allocation.year == year)).all()
    # names only: a commune's row holds its boundary
    communes = {
        code: f"{kind} {name}".strip()
        for code, kind, name in db.session.execute(db.select(Area.code, Area.kind, Area.name))
    }
    bodies = {body.id: body for body in listed()}

    by_source = {code: Account(code, str(label)) for code, label in FUNDING_SOURCES.items()}
    by_commune: dict[str, Account] = {}
    by_body: dict[int, Account] = {}
    total = Account("", "")

    def commune(code: str) -> Account:
        if code not in by_commune:
            by_commune[code] = Account(code, communes.get(code, code))
        return by_commune[code]

    def body(body_id: int) -> Account:
        if body_id not in by_body:
            found = bodies.get(body_id)
            by_body[body_id] = Account(found.code, found.name(locale)) if found else Account("", "")
        return by_body[body_id]

    for code, body_id, source, amount, entries in spent:  # one row per (commune, body, source): tens of thousands
        source, amount = source or UNSTATED, int(amount or 0)
        if source not in by_source:
            by_source[source] = Account(source, "")
        _add(total, source, amount, entries)
        _add(by_source[source], source, amount, entries)
        if code:
            _add(commune(code), source, amount, entries)
        if body_id is not None:
            _add(body(body_id), source, amount, entries)
    seen_bodies = set(by_body)
    for allocation in allocations:
        if allocation.area_code is not None:
            if scope and allocation.area_code != scope:
                continue
            account = commune(allocation.area_code)
        else:
            committee = bodies.get(allocation.organization_id)
            if (
                scope
                and allocation.organization_id not in seen_bodies
                and (committee is None or committee.area_code != scope)
            ):
                continue  # a commune supervisor sees the bodies at work in their commune, and its committee
            account = body(allocation.organization_id)
        for target in (account, total, by_source[allocation.source]):
            target.allocated[allocation.source] = target.allocated.get(allocation.source, 0) + allocation.amount_vnd
    rank = {body_id: n for n, body_id in enumerate(bodies)}
    sources = [account for account in by_source.values() if account.code != UNSTATED or account.spent]
    return Money(
        year=year,
        sources=sources,
        communes=sorted(by_commune.values(), key=lambda a: sort_key(a.name)),
        bodies=[by_body[key] for key in sorted(by_body, key=lambda key: rank.get(key, len(rank)))],
        total=total,
    )


def _add(account: Account, source: str, amount: int, entries: int) -> None:
    account.spent[source] = account.spent.get(source, 0) + amount
    account.entries += entries
