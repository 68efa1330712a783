"""Demo allocations: for each commune and body at work, per funding source, somewhat more than the 90 days spent
(the year's money, of which a part is used by now)."""

import random

from sqlalchemy import func, insert, select

from fieldkit.extensions import db
from fieldkit.models import Activity, Allocation


def add(year: int, rng: random.Random) -> int:
    """Insert the allocations after the activities are stored; answer how many."""
    place = func.coalesce(Activity.area_code, Activity.declared_area_code)
    rows = []
    for column, key in ((place, "area_code"), (Activity.organization_id, "organization_id")):
        spent = db.session.execute(
            select(column, Activity.funding_source, func.sum(Activity.cost_vnd))
            .where(Activity.funding_source.is_not(None), column.is_not(None))
            .group_by(column, Activity.funding_source)
        ).all()
        for target, source, amount in spent:
            allocated = round(int(amount) * rng.uniform(1.6, 3.2), -6)  # whole millions of đồng
            rows.append({"year": year, "source": source, "amount_vnd": allocated, key: target})
    if rows:
        db.session.execute(insert(Allocation), rows)
    return len(rows)
