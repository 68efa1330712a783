"""Reporting units: each commune, and each implementing body that reports; who writes, reads and reviews them.

A unit is named in URLs by its code: a commune's GSO code ("31150") or a body's code ("HLHPN"). Its kind says which:
"area" (the commune's People's Committee reports on the entries placed in the commune) or "org" (a body reports
on the entries its officers recorded).
"""

from dataclasses import dataclass

from flask_babel import get_locale

from fieldkit.extensions import db
from fieldkit.i18n import sort_key
from fieldkit.models import Area, Organization, Role, User
from fieldkit.organizations.bodies import LEAD

AREA, ORG = "area", "org"


@dataclass(frozen=True)
class Unit:
    """One reporting unit."""

    kind: str  # area | org
    code: str
    name: str
    org_id: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "kind": self.kind, "name": self.name}


def communes() -> list[Unit]:
    """Every commune as a unit, by name."""
    rows = db.session.execute(db.select(Area.code, Area.kind, Area.name))
    units = [Unit(AREA, code, f"{kind} {name}".strip()) for code, kind, name in rows]
    return sorted(units, key=lambda unit: sort_key(unit.name))


def every_unit() -> list[Unit]:
    """Every reporting unit: the communes by name, then the bodies that report."""
    return communes() + bodies()


def bodies() -> list[Unit]:
    """The implementing bodies that report on their own work: every active one but the communes' committees
    (their commune reports) and the Department, which consolidates."""
    query = db.select(Organization).where(
        Organization.active.is_(True), Organization.kind != "commune_committee", Organization.code != LEAD
    )
    locale = str(get_locale() or "")
    found = [Unit(ORG, body.code, body.name(locale), body.id) for body in db.session.scalars(query)]
    return sorted(found, key=lambda unit: sort_key(unit.name))


def find(code: str) -> Unit | None:
    """The unit with this code, or None."""
    area = db.session.get(Area, code) if code and len(code) <= 10 else None
    if area is not None:
        return Unit(AREA, area.code, area.full_name)
    return next((unit for unit in bodies() if unit.code == code), None)


def is_department(user: User) -> bool:
    """A city-wide supervisor of the Department (or of no body): who accepts and returns the units' reports. A
    city-wide supervisor of another body is that body's reporter, not its reviewer."""
    if user.role != Role.SUPERVISOR or user.area_code:
        return False
    return user.organization is None or user.organization.code == LEAD


def may_write(user: User, unit: Unit) -> bool:
    """The unit's own reporter: its commune's supervisor, or a supervisor who belongs to the body."""
    if user.role != Role.SUPERVISOR:
        return False
    if unit.kind == AREA:
        return user.area_code == unit.code
    return unit.org_id is not None and user.organization_id == unit.org_id


def may_read(user: User, unit: Unit) -> bool:
    """City-wide supervisors and administrators read every unit's report; a reporter reads their own."""
    if user.is_officer:
        return False
    return (not user.area_code) or may_write(user, unit)


def readable(user: User) -> list[Unit]:
    """The units whose reports the user may read, in order."""
    return [unit for unit in every_unit() if may_read(user, unit)]
