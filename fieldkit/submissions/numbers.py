"""A unit's numbers for a period, from the same computation as the periodic report, and the mark of the entries
they came from: a frozen report keeps both, and the entries as they stand now are compared with the mark.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from sqlalchemy import String, cast

from fieldkit.activities.queries import Filters, statement
from fieldkit.activity_types import ActivityType
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.periods import Period
from fieldkit.reports import services as reports
from fieldkit.submissions.units import AREA, ORG, Unit

PROMOTING = (ActivityType.TALK.value, ActivityType.MEDIA.value)  # the types that can name role models
HASH_CHARS = 16  # of each entry's content hash kept in a snapshot: enough to tell a change


@dataclass
class Changes:
    """How the entries in a frozen report's scope differ from those it was sent with."""

    changed: list[str] = field(default_factory=list)  # uuids revised since
    removed: list[str] = field(default_factory=list)  # withdrawn, or moved out of the unit or the period
    added: list[str] = field(default_factory=list)  # recorded (or moved in) after it was sent

    @property
    def any(self) -> bool:
        return bool(self.changed or self.removed or self.added)

    def as_dict(self) -> dict:
        return {"changed": len(self.changed), "removed": len(self.removed), "added": len(self.added)}


def figures(unit: Unit, period: Period) -> dict:
    """The unit's numbers as the periodic report computes them: the sum row and one row per form, and the role
    models promoted in the period."""
    area, org = (unit.code, None) if unit.kind == AREA else (None, unit.code)
    report = reports.build(reports.city_reporter(), period, area, True, org=org)
    lines = [_line(report.totals.total), *(_line(line) for line in report.totals.forms)]
    if org:  # the plan's targets are the communes'; a body has none of its own
        for line in lines:
            line["target"] = None
    models = sorted(promoted(unit, period))
    return {"lines": lines, "role_models": len(models), "role_model_ids": models}


def _line(line: reports.Line) -> dict:
    values = asdict(line)
    values.pop("targeted_to_date")
    return values


def in_scope(unit: Unit, period: Period):
    """The SELECT of the live entries a unit reports on in the period."""
    area, org = (unit.code, None) if unit.kind == AREA else (None, unit.code)
    return statement(reports.city_reporter(), Filters(period.start, period.end, area=area, org=org)).order_by(None)


def promoted(unit: Unit, period: Period) -> set[int]:
    """The role models that the unit's talks and media entries of the period named."""
    query = (
        in_scope(unit, period)
        .with_only_columns(Activity.details)
        .where(Activity.type.in_(PROMOTING), cast(Activity.details, String).like("%role_model_ids%"))
    )
    return {int(i) for details in db.session.scalars(query) for i in (details or {}).get("role_model_ids") or ()}


def mark(unit: Unit, period: Period) -> dict[str, str]:
    """Each live entry in the unit's scope, by uuid, with (the start of) its content hash."""
    query = in_scope(unit, period).with_only_columns(Activity.uuid, Activity.content_hash)
    return {uuid: digest[:HASH_CHARS] for uuid, digest in db.session.execute(query)}


def marks(period: Period) -> dict[tuple[str, str | int], dict[str, str]]:
    """mark() of every unit at once, in one query, keyed by (AREA, commune code) and (ORG, body id): for the
    city's overview and its consolidated report."""
    query = (
        statement(reports.city_reporter(), Filters(period.start, period.end))
        .with_only_columns(
            Activity.area_code,
            Activity.declared_area_code,
            Activity.organization_id,
            Activity.uuid,
            Activity.content_hash,
        )
        .order_by(None)
    )
    found: dict[tuple[str, str | int], dict[str, str]] = defaultdict(dict)
    for area_code, declared, org_id, uuid, digest in db.session.execute(query):
        found[AREA, area_code or declared][uuid] = digest[:HASH_CHARS]
        if org_id is not None:
            found[ORG, org_id][uuid] = digest[:HASH_CHARS]
    return found


def key(unit: Unit) -> tuple[str, str | int]:
    """The unit's key in marks()."""
    return (AREA, unit.code) if unit.kind == AREA else (ORG, unit.org_id)


def compare(sent: dict[str, str], now: dict[str, str]) -> Changes:
    """What changed between the entries a report was sent with and those in its scope now."""
    return Changes(
        changed=sorted(uuid for uuid, digest in now.items() if uuid in sent and sent[uuid] != digest),
        removed=sorted(uuid for uuid in sent if uuid not in now),
        added=sorted(uuid for uuid in now if uuid not in sent),
    )
