"""Bodies as plain functions: seed the plan's list and the communes' committees, look up, list, create, change."""

from dataclasses import dataclass

from fieldkit.extensions import db
from fieldkit.i18n import folded, holds, sort_key
from fieldkit.models import Area, Organization, User
from fieldkit.models.audit import record as audit
from fieldkit.organizations.bodies import LEAD, PLAN_BODIES

KIND_ORDER = ("department", "mass_organisation", "press", "commune_committee")
EDITABLE = ("name_vi", "name_en", "kind", "area_code", "active")


@dataclass
class Seeded:
    """What a seed added: the plan's bodies and the communes' committees (0 and 0 when all were there)."""

    bodies: int = 0
    committees: int = 0


def seed() -> Seeded:
    """Add the plan's bodies and a People's Committee for every stored commune that lacks one; change nothing
    that is there (an administrator may have renamed a body). Flushes; the caller commits."""
    existing = set(db.session.scalars(db.select(Organization.code)))
    result = Seeded()
    for body in PLAN_BODIES:
        if body.code not in existing:
            db.session.add(Organization(**body._asdict()))
            result.bodies += 1
    for area in db.session.scalars(db.select(Area).order_by(Area.code)):
        code = Organization.committee_code(area.code)
        if code not in existing:
            name_vi, name_en = Organization.committee_names(area.kind, area.name)
            db.session.add(
                Organization(code=code, name_vi=name_vi, name_en=name_en, kind="commune_committee", area_code=area.code)
            )
            result.committees += 1
    db.session.flush()
    return result


def by_code(code: str | None) -> Organization | None:
    """The body with this code (as stored: upper case), or None."""
    if not code:
        return None
    return db.session.scalar(db.select(Organization).filter_by(code=code.strip().upper()))


def listed(active_only: bool = False) -> list[Organization]:
    """Every body: departments (the lead first), mass organisations, press, then the communes' committees, each
    kind by name."""
    query = db.select(Organization)
    if active_only:
        query = query.where(Organization.active.is_(True))
    rank = {kind: n for n, kind in enumerate(KIND_ORDER)}
    return sorted(db.session.scalars(query), key=lambda o: (rank.get(o.kind, 9), o.code != LEAD, sort_key(o.name_vi)))


def searched(body: Organization) -> str:
    """What a search of bodies reads: the code and both names."""
    return f"{body.code} {body.name_vi} {body.name_en or ''}"


def found(kind: str | None = None, words: str | None = None) -> list[Organization]:
    """The bodies of listed(), of one kind and holding every word (without case or tone marks) when given."""
    folded_words = folded(words).split() if words else []
    return [b for b in listed() if (not kind or b.kind == kind) and holds(searched(b), folded_words)]


def committee_of(area_code: str | None) -> Organization | None:
    """A commune's People's Committee, or None."""
    return by_code(Organization.committee_code(area_code)) if area_code else None


def create(admin: User | None, **values) -> Organization:
    """Add a body; audited."""
    body = Organization(**values)
    db.session.add(body)
    db.session.flush()
    audit(admin.id if admin else None, "create", "organization", body.code, after=values)
    return body


def update(admin: User | None, body: Organization, **values) -> dict[str, tuple]:
    """Change a body's names, kind, commune or whether it is in use (its code stays); audit what changed."""
    changes = {name: (getattr(body, name), values[name]) for name in EDITABLE if getattr(body, name) != values[name]}
    for name, (_before, after) in changes.items():
        setattr(body, name, after)
    if changes:
        db.session.flush()
        audit(
            admin.id if admin else None,
            "update",
            "organization",
            body.code,
            before={name: before for name, (before, _after) in changes.items()},
            after={name: after for name, (_before, after) in changes.items()},
        )
    return changes


def as_dict(body: Organization) -> dict:
    """A body as GET /api/v1/organizations answers it."""
    return {
        "code": body.code,
        "name_vi": body.name_vi,
        "name_en": body.name_en,
        "kind": body.kind,
        "area_code": body.area_code,
        "active": body.active,
    }
