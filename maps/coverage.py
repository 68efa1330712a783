"""The supervisor's coverage map: communes coloured by poverty or gap, the campaign's activities on top.

Layers: a choropleth of the communes (poverty rate, poor and near-poor rate or gap score, switched in the legend),
with tooltips; the gap layer, outlining communes whose poor and near-poor rate is at least ``gap_rate`` while their
reach is below ``gap_reach``; the activities on one set of clusters (one badge per place, split by type in its
popup), with a layer per activity type in the layer control, whose popups the browser fetches on click; a heat
layer; a layer control. A click on a commune opens ``commune_url`` with the commune's code in place of "{code}".
With ``points=None`` (too many to send) the activities show as per-commune totals, and the browser loads the
points of the view once the user zooms in to ``detail_zoom``.

folium takes (lat, lon); GeoJSON takes [lon, lat].
"""

import html
from collections.abc import Sequence

import folium

from maps.assets import Assets
from maps.base import MAX_ZOOM, Tiles, base_map
from maps.data import METRICS, Commune, Kind, Texts
from maps.layers import ScriptLayer, geometry_bounds
from maps.points import Points
from maps.scale import NO_DATA, Scale, quantiles

# Points closer than this (in pixels) share a badge. The largest badge is 52 px across, so two badges never touch.
CLUSTER_RADIUS = 72


def coverage_map(
    communes: Sequence[Commune],
    kinds: Sequence[Kind],
    points: Points | None,
    *,
    assets: Assets,
    tile_server: Tiles | None = None,
    texts: Texts | None = None,
    metric: str = "poverty_rate",
    gap_rate: float = 0.0,
    gap_reach: float = 0.5,
    popup_url: str | None = None,
    points_url: str | None = None,
    commune_url: str | None = None,
    detail_zoom: int = 13,
) -> folium.Map:
    """Build the coverage map from plain data; ``points=None`` draws per-commune totals instead of points."""
    texts = texts or Texts()
    _check(communes, kinds, metric, gap_rate, gap_reach, popup_url, detail_zoom)
    if commune_url is not None and "{code}" not in commune_url:
        raise ValueError(f"Expected a commune URL with a {{code}} to fill in, got {commune_url!r}")
    bounds = geometry_bounds([c.geometry for c in communes]) or (points.bounds() if points else None)
    m = base_map(assets, tile_server, bounds)
    scales = {name: quantiles([c.value(name) for c in communes]) for name in METRICS}
    gaps = [c.code for c in communes if _is_gap(c, gap_rate, gap_reach)]
    legend = _legend(texts, metric, scales, gaps) | {"communeUrl": commune_url, "open": texts.open_commune}
    area_layer = ScriptLayer(
        "communes", html.escape(texts.communes), _features(communes, scales), legend, bounds=bounds
    )
    m.add_child(area_layer)
    m.add_child(
        ScriptLayer("gaps", html.escape(texts.gaps), None, {"codes": gaps}, data_id=area_layer.data_id, show=bool(gaps))
    )
    kind_list = [{"key": k.key, "label": k.label, "colour": k.colour, "icon": k.icon} for k in kinds]
    cluster_texts = {"activities": texts.activities, "zoom": texts.zoom_in, "spread": texts.spread}
    m.add_child(
        ScriptLayer(
            "activities",
            html.escape(texts.activities),
            None,
            {"kinds": kind_list, "texts": cluster_texts, "radius": CLUSTER_RADIUS},
            cluster_look=True,  # map-points.js clusters with Supercluster
            control=False,
            data_id="none",
        )
    )
    common = {"popupUrl": popup_url, "texts": _popup_texts(texts)}
    clusters = []  # one layer per type, in the shared clusters; with points=None they start empty
    for slot, kind in enumerate(kinds):
        data = points.encode([kind.key])[kind.key] if points is not None else None
        options = {**common, "kind": kind.key, "colour": kind.colour, "icon": kind.icon, "label": kind.label}
        options.update(slot=slot)
        layer = ScriptLayer("kind", _kind_name(kind), data, options)
        clusters.append(layer)
        m.add_child(layer)
    if points is None:
        totals = ScriptLayer(
            "aggregates",
            html.escape(texts.aggregates),
            [[*c.centroid, c.total, [c.activities.get(k.key, 0) for k in kinds], c.name] for c in communes],
            {
                "kinds": kind_list,
                "texts": cluster_texts | {"spread": texts.zoom_in},
                "pointsUrl": points_url,
                "detailZoom": detail_zoom,
                "radius": CLUSTER_RADIUS,
            },
            clustered=True,
        )
        m.add_child(totals)
        heat = {"aggregates": totals.data_id}
    else:
        heat = {"sources": [layer.data_id for layer in clusters]}
    m.add_child(ScriptLayer("heat", html.escape(texts.heat), None, heat, show=False, data_id="none"))
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def _check(communes, kinds, metric, gap_rate, gap_reach, popup_url, detail_zoom) -> None:
    if metric not in METRICS:
        raise ValueError(f"Expected metric to be one of {METRICS}, got {metric!r}")
    codes = [c.code for c in communes]
    if len(set(codes)) != len(codes):
        raise ValueError(f"Expected each commune once, got {sorted(c for c in codes if codes.count(c) > 1)!r} twice")
    keys = [k.key for k in kinds]
    if not keys or len(set(keys)) != len(keys):
        raise ValueError(f"Expected one or more distinct activity types, got {keys!r}")
    for name, value in (("gap_rate", gap_rate), ("gap_reach", gap_reach)):
        if not 0 <= value <= 1:
            raise ValueError(f"Expected {name} as a fraction from 0 to 1, got {value!r}")
    if popup_url is not None and "{id}" not in popup_url:
        raise ValueError(f"Expected a popup URL with an {{id}} to fill in, got {popup_url!r}")
    if not 0 <= detail_zoom <= MAX_ZOOM:
        raise ValueError(f"Expected detail_zoom from 0 to {MAX_ZOOM}, got {detail_zoom!r}")


def _is_gap(commune: Commune, gap_rate: float, gap_reach: float) -> bool:
    rate = commune.multidimensional_rate
    return rate is not None and rate >= gap_rate and (commune.reach or 0.0) < gap_reach


def _features(communes: Sequence[Commune], scales: dict[str, Scale]) -> dict:
    """The communes as GeoJSON with each metric's colour, for the browser to restyle without a round trip."""
    features = [
        {
            "type": "Feature",
            "id": c.code,
            "geometry": c.geometry,
            "properties": {
                "code": c.code,
                "name": c.name,
                "fill": {name: scales[name].colour(c.value(name)) for name in METRICS},
                "tip": [list(row) for row in c.details],
            },
        }
        for c in communes
    ]
    return {"type": "FeatureCollection", "features": features}


def _legend(texts: Texts, metric: str, scales: dict[str, Scale], gaps: list[str]) -> dict:
    return {
        "metric": metric,
        "title": texts.legend,
        "metrics": [
            {"key": name, "label": texts.metrics[name], "classes": scales[name].legend(texts.percent)}
            for name in METRICS
        ],
        "noData": {"colour": NO_DATA, "label": texts.no_data},
        "gap": texts.gap_legend if gaps else None,
    }


def _popup_texts(texts: Texts) -> dict:
    return {"loading": texts.loading, "failed": texts.failed, "open": texts.open_entry, "photo": texts.photo}


def _kind_name(kind: Kind) -> str:
    """The layer control's label (Leaflet shows it as HTML): a dot in the type's colour with its glyph."""
    return (
        f'<span class="fk-dot" style="background:{kind.colour}">{html.escape(kind.icon)}</span> '
        f"{html.escape(kind.label)}"
    )
