"""One commune's page: its numbers, a page of its entries, and their points on a small map of the commune."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import format_datetime

from fieldkit.activities.coverage import AreaCoverage, compute
from fieldkit.activities.queries import Filters, Page, page, statement
from fieldkit.activity_types import info
from fieldkit.extensions import db
from fieldkit.map_assets import map_assets, tile_server
from fieldkit.models import Activity, Area, User

if TYPE_CHECKING:
    from maps.base import Parts
    from maps.commune import Point

MAP_POINTS = 500  # the newest; enough to see where the work went without a heavy page


@dataclass
class Commune:
    """What the commune's page shows."""

    numbers: AreaCoverage
    entries: Page
    points: list[Point]
    map: Parts  # for the page's <head>, its body and its scripts


def load(user: User, filters: Filters, cursor: str | None, size: int) -> Commune | None:
    """The commune of ``filters.area`` as the user may see it, or None (unknown, or outside their scope).

    A malformed cursor raises ValueError.
    """
    found = compute(user, filters).areas
    if not found:
        return None
    entries = page(user, filters, cursor, size)
    where = points(user, filters)
    return Commune(found[0], entries, where, small_map(filters.area, where))


def points(user: User, filters: Filters, limit: int = MAP_POINTS) -> list[Point]:
    """The positioned entries the user may see under the filters, newest first, as map points."""
    from maps.commune import Point  # the map builders bring folium: imported by the pages that draw one

    query = (
        statement(user, filters)
        .with_only_columns(Activity.type, Activity.lat, Activity.lon, Activity.topic, Activity.occurred_at)
        .where(Activity.lat.is_not(None), Activity.lon.is_not(None))
        .limit(limit)
    )
    return [
        Point(lat, lon, info(kind).colour, _label(kind, topic, occurred_at))
        for kind, lat, lon, topic, occurred_at in db.session.execute(query)
    ]


def small_map(code: str, entries: list[Point]) -> Parts:
    """The commune's map with Leaflet served by the app and the configured tiles, cut for the page."""
    from maps.base import parts
    from maps.commune import commune_map

    boundary = db.session.scalar(db.select(Area.geometry).where(Area.code == code))
    return parts(commune_map(boundary, entries, map_assets(own=False), tile_server()))


def _label(kind: str, topic: str, occurred_at) -> str:
    parts = [str(info(kind).label), topic, format_datetime(occurred_at, "dd/MM/yyyy")]
    return " · ".join(part for part in parts if part)
