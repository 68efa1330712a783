"""Allocations imported from a file (all rows or none), and what the activities cost against them."""

from fieldkit.extensions import db
from fieldkit.funding.csvfile import read
from fieldkit.models import Allocation
from fieldkit.models.audit import record as audit
from fieldkit.targets.csvfile import RowError
from fieldkit.targets.services import ImportResult  # what an import wrote, as for the targets


class AllocationFileError(ValueError):
    """The file has bad rows; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the allocations file")  # the messages need a locale
        self.errors = errors


def import_csv(data: bytes | str, user_id: int | None = None) -> ImportResult:
    """Check every row, then set each (code, year, source)'s amount; raise AllocationFileError if any row is bad."""
    rows, errors = read(data)
    if errors:
        raise AllocationFileError(errors)
    years = {row.year for row in rows}
    stored = {
        (a.area_code, a.organization_id, a.year, a.source): a
        for a in db.session.scalars(db.select(Allocation).where(Allocation.year.in_(years)))
    }
    result = ImportResult()
    for row in rows:
        existing = stored.get((row.area_code, row.organization_id, row.year, row.source))
        if existing is None:
            db.session.add(
                Allocation(
                    year=row.year,
                    source=row.source,
                    amount_vnd=row.amount_vnd,
                    area_code=row.area_code,
                    organization_id=row.organization_id,
                )
            )
            result.created += 1
        elif existing.amount_vnd != row.amount_vnd:
            existing.amount_vnd = row.amount_vnd
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    audit(user_id, "import", "allocation", "csv", after={"rows": result.rows, "created": result.created})
    return result
