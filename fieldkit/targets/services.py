"""Targets as plain functions: import a CSV (all rows or none), set one commune's row, measure progress."""

from dataclasses import dataclass
from datetime import date

from fieldkit.activities.coverage import activities_per_commune
from fieldkit.activities.queries import Filters
from fieldkit.activity_types import KINDS, ActivityType
from fieldkit.extensions import db
from fieldkit.models import Role, Target, User
from fieldkit.models.audit import record as audit
from fieldkit.targets.csvfile import RowError, read


class TargetFileError(ValueError):
    """The file has bad rows; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the targets file")  # the messages need a locale to render
        self.errors = errors


@dataclass
class ImportResult:
    """What an import wrote."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


def import_csv(data: bytes | str, user_id: int | None = None) -> ImportResult:
    """Check every row of a targets CSV, then create or update them all; raise TargetFileError if any is bad."""
    rows, errors = read(data)
    if errors:
        raise TargetFileError(errors)
    result = ImportResult()
    existing = _existing({(code, year) for code, year, _type, _n in rows})
    for code, year, kind, quantity in rows:
        target = existing.get((code, year, kind))
        if target is None:
            db.session.add(Target(area_code=code, year=year, type=kind, quantity=quantity))
            result.created += 1
        elif target.quantity != quantity:
            target.quantity = quantity
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    audit(user_id, "import", "target", "csv", after={"rows": result.rows, "created": result.created})
    return result


def set_targets(code: str, year: int, quantities: dict[str, int | None], user_id: int | None = None) -> None:
    """Set one commune's targets for a year; None removes a type's target."""
    existing = {(t.area_code, t.year, t.type): t for t in _existing({(code, year)}).values()}
    before = {t.type: t.quantity for t in existing.values()}
    for kind in ActivityType:
        quantity, target = quantities.get(kind.value), existing.get((code, year, kind.value))
        if quantity is None and target is not None:
            db.session.delete(target)
        elif quantity is not None and target is None:
            db.session.add(Target(area_code=code, year=year, type=kind.value, quantity=quantity))
        elif quantity is not None:
            target.quantity = quantity
    db.session.flush()
    after = {k: v for k, v in quantities.items() if v is not None}
    audit(user_id, "update", "target", f"{code}/{year}", before=before, after=after)


def for_year(year: int, area_codes: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Return {area code: {type: quantity}} for a year, optionally for some communes only."""
    query = db.select(Target).where(Target.year == year)
    if area_codes is not None:
        query = query.where(Target.area_code.in_(area_codes))
    found: dict[str, dict[str, int]] = {}
    for target in db.session.scalars(query):
        found.setdefault(target.area_code, {})[target.type] = target.quantity
    return found


def _existing(pairs: set[tuple[str, int]]) -> dict[tuple[str, int, str], Target]:
    if not pairs:
        return {}
    codes, years = {code for code, _ in pairs}, {year for _, year in pairs}
    query = db.select(Target).where(Target.area_code.in_(codes), Target.year.in_(years))
    return {(t.area_code, t.year, t.type): t for t in db.session.scalars(query)}


@dataclass(frozen=True)
class Cell:
    """One type's target and what was done against it."""

    target: int | None
    done: int
    counted: int | None = None  # in a sum: what was done where a target is set, which the ratio compares

    @property
    def ratio(self) -> float | None:
        """Done over target (may pass 1); None without a positive target."""
        return (self.done if self.counted is None else self.counted) / self.target if self.target else None


@dataclass
class AreaProgress:
    """A commune's (or the scope's) cells, one per activity type, in the enum's order."""

    code: str
    cells: dict[str, Cell]

    @property
    def has_targets(self) -> bool:
        return any(cell.target is not None for cell in self.cells.values())


@dataclass
class Progress:
    """Progress per commune and type for a year; ``total`` sums the targets set and everything done."""

    year: int
    areas: dict[str, AreaProgress]
    total: AreaProgress

    @property
    def has_targets(self) -> bool:
        return self.total.has_targets


def progress(area_codes: list[str], year: int, counts: dict[str, dict[str, int]]) -> Progress:
    """Compare done counts ({code: {type: activities}}) with the year's targets of the given communes."""
    targets = for_year(year, list(area_codes))
    areas = {}
    for code in area_codes:
        done, wanted = counts.get(code, {}), targets.get(code, {})
        cells = {kind: Cell(wanted.get(kind), int(done.get(kind, 0))) for kind in KINDS}
        areas[code] = AreaProgress(code, cells)
    total = {}
    for kind in ActivityType:
        cells = [a.cells[kind.value] for a in areas.values()]
        targeted = [c for c in cells if c.target is not None]
        wanted = sum(c.target for c in targeted) if targeted else None
        total[kind.value] = Cell(wanted, sum(c.done for c in cells), sum(c.done for c in targeted))
    return Progress(year, areas, AreaProgress("", total))


def year_progress(user: User, year: int, area_code: str | None = None) -> Progress:
    """Progress over the whole calendar year for the communes the user may see (one query)."""
    counts = activities_per_commune(user, Filters(date(year, 1, 1), date(year, 12, 31), area=area_code))
    return progress(list(counts), year, counts)


def commune_progress(area_code: str, year: int) -> Progress:
    """A commune's progress over the year, counting every officer's entries there, as its supervisor sees it.

    An officer sees only their own entries one by one; against the commune's targets they see the commune's
    counts, which are figures, not entries.
    """
    reader = User(role=Role.SUPERVISOR, area_code=area_code)  # never added to the session
    return year_progress(reader, year, area_code)
