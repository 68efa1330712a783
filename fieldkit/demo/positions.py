"""Where demo activities happen: around settlements inside each commune, as a phone's GPS would report it."""

import math
import random
from types import SimpleNamespace

import shapely
from flask import current_app

from fieldkit.activities.quality import flags_for
from fieldkit.areas.index import AreaIndex
from fieldkit.demo.areas import DemoArea

METRES_PER_DEGREE = 111_320.0
SETTLEMENT_SPREAD_M = 250.0  # how far from a hamlet's centre a talk or banner typically is
TRIES = 8


class Positions:
    """Per-commune settlements (hamlet centres), chosen once so every officer meets the same villages."""

    def __init__(self, areas: list[DemoArea], rng: random.Random):
        self.areas = {area.code: area for area in areas}
        for area in areas:
            shapely.prepare(area.geometry)
        self.settlements = {area.code: self._settlements(area, rng) for area in areas}

    def _settlements(self, area: DemoArea, rng: random.Random) -> list[tuple[float, float]]:
        """Pick hamlet centres around the commune's centre, inside its polygon."""
        radius_m = math.sqrt(area.area_km2 / math.pi) * 1000
        centre = (area.centre_lon, area.centre_lat)
        found = [centre]
        # People live near the centre and along roads and canals; a Gaussian around the centre will do.
        for _ in range(rng.randint(4, 9)):
            point = self._near(area, centre, radius_m * 0.45, rng)
            if point is not None:
                found.append(point)
        return found

    def sample(self, code: str, rng: random.Random) -> tuple[float, float]:
        """Return a true (lon, lat) of an activity in the commune, inside its polygon."""
        area = self.areas[code]
        hamlet = rng.choice(self.settlements[code])
        return self._near(area, hamlet, SETTLEMENT_SPREAD_M, rng) or hamlet

    def _near(
        self, area: DemoArea, origin: tuple[float, float], spread_m: float, rng: random.Random
    ) -> tuple[float, float] | None:
        """Draw a point around origin that lies in the commune, or None after a few misses."""
        for _ in range(TRIES):
            lon, lat = offset(origin, rng.gauss(0, spread_m), rng.gauss(0, spread_m))
            if shapely.contains_xy(area.geometry, lon, lat):
                return lon, lat
        return None


def offset(origin: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    """Move a (lon, lat) by metres east and north."""
    lon, lat = origin
    return (lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))), lat + north_m / METRES_PER_DEGREE)


def gps_fix(true: tuple[float, float], rng: random.Random) -> tuple[float, float, float]:
    """Return (lat, lon, accuracy_m) as a phone reports it: usually 5–40 m, now and then a poor fix."""
    accuracy = rng.uniform(150, 800) if rng.random() < 0.02 else rng.uniform(5, 40)
    # The reported accuracy is roughly a one-sigma radius, so the fix strays by about that much.
    lon, lat = offset(true, rng.gauss(0, accuracy / 1.5), rng.gauss(0, accuracy / 1.5))
    return round(lat, 6), round(lon, 6), round(accuracy, 1)


def place(rows: list[dict], areas: list[DemoArea], index: AreaIndex | None = None) -> None:
    """Assign each point's commune in one bulk look-up, then the quality flags, as the service would."""
    index = index or area_index(areas)
    located = [row for row in rows if row["lat"] is not None]
    placements = index.locate_many(
        [r["lat"] for r in located], [r["lon"] for r in located], current_app.config["FIELDKIT_AREA_TOLERANCE_M"]
    )
    for row, placement in zip(located, placements, strict=True):
        row["area_code"], row["area_distance_m"] = placement.code, placement.distance_m
    for row in rows:
        # flags_for reads only these attributes, so a light stand-in spares building 100,000 ORM objects.
        probe = SimpleNamespace(
            accuracy_m=row["accuracy_m"],
            has_position=row["lat"] is not None,
            area_code=row["area_code"],
            declared_area_code=row["declared_area_code"],
        )
        row["flags"] = flags_for(probe)


def area_index(areas: list[DemoArea]) -> AreaIndex:
    """The communes' index, as the app builds it from the stored rows."""
    return AreaIndex([(area.code, area.geojson) for area in areas])
