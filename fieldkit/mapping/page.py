"""Turn the map's data into the folium map of the page: the words in the reader's language, URLs, tile server."""

import folium
from flask import url_for
from flask_babel import format_percent
from flask_babel import gettext as _

from fieldkit.activities.queries import Filters
from fieldkit.map_assets import map_assets, tile_server
from fieldkit.mapping.services import GAP_REACH, MapData, percent
from forms.filters import url_args
from maps.coverage import coverage_map
from maps.data import Texts

ID_SLOT = 2_147_483_647  # a placeholder id that url_for accepts, swapped for "{id}"
CODE_SLOT = "00000"  # likewise for a commune's code, swapped for "{code}"
PAGE_FILTERS = ("from", "to", "type", "officer", "status")  # what a commune's page takes over from the map


def texts(gap_rate: float) -> Texts:
    """Everything the map says, in the reader's language."""
    return Texts(
        communes=_("Communes"),
        gaps=_("Gaps: high poverty, low reach"),
        gap_legend=_(
            "Gap: poor and near-poor rate at least %(rate)s, reach under %(reach)s",
            rate=percent(gap_rate),
            reach=format_percent(GAP_REACH),
        ),
        heat=_("Heat map of activities"),
        aggregates=_("Activities per commune"),
        legend=_("Colour communes by"),
        no_data=_("no statistics"),
        metrics={
            "poverty_rate": _("Poverty rate"),
            "multidimensional_rate": _("Poor and near-poor rate"),
            "gap_score": _("Gap score"),
        },
        activities=_("activities"),
        loading=_("Loading…"),
        failed=_("Could not load the details."),
        open_entry=_("Open the entry"),
        open_commune=_("Open the commune's page"),
        zoom_in=_("Zoom in here"),
        spread=_("Show each one"),
        photo=_("Photo"),
        percent=percent,
    )


def build(data: MapData, filters: Filters, metric: str, asked: dict[str, str] | None = None) -> folium.Map:
    """Build the page's map; a commune's link keeps the filters the user ``asked`` for (the query string)."""
    popup = url_for("mapping.popup", activity_id=ID_SLOT).replace(str(ID_SLOT), "{id}")
    kept = {name: value for name, value in (asked or {}).items() if name in PAGE_FILTERS and value}
    commune = url_for("coverage.area", code=CODE_SLOT, **kept).replace(CODE_SLOT, "{code}", 1)
    return coverage_map(
        data.communes,
        data.kinds,
        data.points,
        assets=map_assets(),
        tile_server=tile_server(),
        texts=texts(data.gap_rate),
        metric=metric,
        gap_rate=data.gap_rate,
        gap_reach=GAP_REACH,
        popup_url=popup,
        points_url=url_for("mapping.points", **url_args(filters)),
        commune_url=commune,
    )
