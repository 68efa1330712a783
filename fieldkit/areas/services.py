"""Areas as plain data: the latest statistics and the GeoJSON the API and pages show."""

from fieldkit.extensions import db
from fieldkit.models import Area, AreaStat


def newest_stats():
    """A subquery of each area's most recent statistics year (area_code, year): join AreaStat on both."""
    query = db.select(AreaStat.area_code, db.func.max(AreaStat.year).label("year")).group_by(AreaStat.area_code)
    return query.subquery()


def latest_stats() -> dict[str, AreaStat]:
    """Return each area's most recent statistics row, by area code."""
    newest = newest_stats()
    rows = db.session.scalars(
        db.select(AreaStat).join(newest, (AreaStat.area_code == newest.c.area_code) & (AreaStat.year == newest.c.year))
    )
    return {row.area_code: row for row in rows}


def feature_collection(areas: list[Area]) -> dict:
    """Return areas as a GeoJSON FeatureCollection with code, name, kind and the latest stats."""
    stats = latest_stats()
    features = []
    for area in areas:
        stat = stats.get(area.code)
        properties = {
            "code": area.code,
            "name": area.full_name,
            "kind": area.kind or None,  # null: neither the boundary file nor the official list knew it
            "approximate": area.approximate,
            "year": None,
            "households": None,
            "poor_households": None,
            "near_poor_households": None,
            "poverty_rate": None,
            "multidimensional_rate": None,
            "illustrative": None,
        }
        if stat is not None:
            properties.update(
                year=stat.year,
                households=stat.households,
                poor_households=stat.poor_households,
                near_poor_households=stat.near_poor_households,
                poverty_rate=stat.poverty_rate,
                multidimensional_rate=stat.multidimensional_rate,
                illustrative=stat.illustrative,
            )
        features.append({"type": "Feature", "id": area.code, "geometry": area.geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def choices(scope_code: str | None = None) -> list[Area]:
    """Return the areas an officer may choose from, scope first, then by name."""
    areas = list(db.session.scalars(db.select(Area).order_by(Area.name)))
    return sorted(areas, key=lambda area: area.code != scope_code)
