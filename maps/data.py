"""The plain data the coverage map is drawn from, and the words it shows (the app passes them translated)."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

METRICS = ("poverty_rate", "multidimensional_rate", "gap_score")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def percent(value: float) -> str:
    """Format a fraction as a percentage with one decimal (the app passes a localized formatter)."""
    return f"{value * 100:.1f} %"


@dataclass(frozen=True)
class Kind:
    """An activity type as the map shows it: key, label, colour (#rrggbb) and a glyph that needs no icon font."""

    key: str
    label: str
    colour: str
    icon: str

    def __post_init__(self):
        if not _COLOUR.fullmatch(self.colour):
            raise ValueError(f"Expected a colour like '#c0392b' for type {self.key!r}, got {self.colour!r}")


@dataclass(frozen=True)
class Commune:
    """One commune with its coverage numbers (fractions from 0 to 1, None without statistics)."""

    code: str
    name: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon, [lon, lat]
    centroid: tuple[float, float]  # (lat, lon), a point inside the commune
    poverty_rate: float | None = None
    multidimensional_rate: float | None = None
    reach: float | None = None
    gap_score: float | None = None
    activities: dict[str, int] = field(default_factory=dict)  # by type key
    details: tuple[tuple[str, str], ...] = ()  # the tooltip's rows (label, text), worded and formatted

    def __post_init__(self):
        if not isinstance(self.geometry, dict) or self.geometry.get("type") not in ("Polygon", "MultiPolygon"):
            kind = self.geometry.get("type") if isinstance(self.geometry, dict) else type(self.geometry).__name__
            raise ValueError(f"Expected a Polygon or MultiPolygon for commune {self.code!r}, got {kind!r}")
        lat, lon = self.centroid
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"Expected a (lat, lon) centroid for commune {self.code!r}, got {self.centroid!r}")
        for name in ("poverty_rate", "multidimensional_rate", "reach", "gap_score"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise ValueError(f"Expected {name} of commune {self.code!r} to be a fraction ≥ 0, got {value!r}")

    def value(self, metric: str) -> float | None:
        """Return one of METRICS."""
        return getattr(self, metric)

    @property
    def total(self) -> int:
        return sum(self.activities.values())


@dataclass(frozen=True)
class Texts:
    """Everything the map says; English by default, the app passes its translations."""

    communes: str = "Communes"
    gaps: str = "Gaps: high poverty, low reach"
    gap_legend: str = "High poverty, low reach"
    heat: str = "Heat map of activities"
    aggregates: str = "Activities per commune"
    legend: str = "Colour communes by"
    no_data: str = "no statistics"
    metrics: dict[str, str] = field(
        default_factory=lambda: {
            "poverty_rate": "Poverty rate",
            "multidimensional_rate": "Poor and near-poor rate",
            "gap_score": "Gap score",
        }
    )
    activities: str = "activities"
    loading: str = "Loading…"
    failed: str = "Could not load the details."
    open_entry: str = "Open the entry"
    open_commune: str = "Open the commune's page"
    zoom_in: str = "Zoom in here"
    spread: str = "Show each one"
    photo: str = "Photo"
    percent: Callable[[float], str] = percent
