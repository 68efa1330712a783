"""Travel between two of an officer's consecutive entries: distance, time and whether the speed is plausible."""

import math
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from fieldkit import distance

SAME_PLACE_M = 1000.0  # closer than this, two entries may be one place within GPS error, even in the same minute
EARTH_RADIUS_M = 6_371_008.8


class Point(NamedTuple):
    """An entry as the travel check sees it: where and when (naive UTC)."""

    id: int
    at: datetime
    lat: float
    lon: float


@dataclass(frozen=True)
class Leg:
    """The way between two of an officer's consecutive entries."""

    distance_m: float
    seconds: float

    @property
    def speed_kmh(self) -> float | None:
        """The speed it implies; None when both happened at the same moment."""
        return self.distance_m / self.seconds * 3.6 if self.seconds else None

    def implausible(self, max_kmh: float) -> bool:
        """Too fast — or apart at the same moment — and too far apart to be one place within GPS error."""
        return self.distance_m > SAME_PLACE_M and (self.speed_kmh is None or self.speed_kmh > max_kmh)


def leg(a: Point, b: Point) -> Leg:
    """Measure the way from a to b on the ellipsoid."""
    return Leg(distance.metres((a.lat, a.lon), (b.lat, b.lon)), abs((b.at - a.at).total_seconds()))


def too_fast(a: Point, b: Point, max_kmh: float) -> bool:
    """Tell whether going from a to b is implausible, as leg(a, b).implausible() does, but cheaply."""
    seconds = abs((b.at - a.at).total_seconds())
    rough = _haversine_m(a, b)
    # A sphere is within 0.6 % of the ellipsoid: where a 1 % margin cannot change the answer, skip the geodesic.
    low, high = rough * 0.99, rough * 1.01
    if high <= SAME_PLACE_M or (seconds and high / seconds * 3.6 <= max_kmh):
        return False
    if low > SAME_PLACE_M and (not seconds or low / seconds * 3.6 > max_kmh):
        return True
    return leg(a, b).implausible(max_kmh)


def _haversine_m(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
