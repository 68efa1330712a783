"""The map builders in maps/: pure functions from plain data to a folium map, with local assets and safe data."""

import json
import os
import re

import folium
import pytest
import shapely
from folium.plugins import Fullscreen

from fieldkit.areas.placement import place
from maps.assets import Assets, localize
from maps.base import Tiles, base_map, parts, tiles
from maps.coverage import coverage_map
from maps.data import Commune, Kind
from maps.elements import safe_json
from maps.points import Points, unpack
from maps.scale import NO_DATA, quantiles
from tests.factories import INSIDE_A, INSIDE_B, SQUARES, square

ASSETS = Assets("/static/vendor", ("/static/js/map-layers.js",), ("/static/css/map.css",))
OSM = Tiles("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors")
KINDS = [Kind("talk", "Talk", "#c0392b", "🗣"), Kind("banner", "Banner", "#2471a3", "🚩")]
URL = re.compile(r"https?://[^\s\"'<>)\\]+")


def communes(name_a="An Thử") -> list[Commune]:
    names = {"90001": name_a, "90002": "Bình Thử"}
    return [
        Commune(
            code,
            names[code],
            square(box),
            ((box[1] + box[3]) / 2, (box[0] + box[2]) / 2),
            0.02 * (i + 1),
            0.07 * (i + 1),
            0.5,
            0.035 * (i + 1),
            {"talk": 2 + i},
            (("Poverty rate", f"{2 * (i + 1)} %"),),
        )
        for i, (code, (_name, _kind, box)) in enumerate(SQUARES.items())
    ]


def some_points() -> Points:
    return Points.from_rows([(7, "talk", *INSIDE_A), (8, "banner", *INSIDE_B), (9, "talk", 10.0123, 105.7011)])


def render(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def page_data(html: str) -> dict[str, object]:
    """The JSON values the page carries, by element id."""
    found = re.findall(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', html, re.S)
    return {element_id: json.loads(text) for element_id, text in found}


def test_one_feature_per_commune_with_each_metric_coloured():
    html = render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS))
    (collection,) = [
        v for v in page_data(html).values() if isinstance(v, dict) and v.get("type") == "FeatureCollection"
    ]
    assert [f["id"] for f in collection["features"]] == list(SQUARES)
    fills = collection["features"][1]["properties"]["fill"]
    assert set(fills) == {"poverty_rate", "multidimensional_rate", "gap_score"}
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in fills.values())
    assert collection["features"][0]["properties"]["tip"] == [["Poverty rate", "2 %"]]


def test_layers_legend_and_control_are_named():
    html = render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS, metric="gap_score"))
    for fragment in (
        "FieldkitMap.communes(",
        "FieldkitMap.gaps(",
        "FieldkitMap.activities(",
        "FieldkitMap.kind(",
        "FieldkitMap.heat(",
        "L.control.layers(",
        '"Communes"',
        '"Heat map of activities"',
        '"Gaps: high poverty, low reach"',
        "Colour communes by",
        '"metric":"gap_score"',
    ):
        assert fragment in html, fragment
    # One set of clusters for every type (not in the layer control), and one layer per type in the control, named
    # with its colour and glyph (Leaflet shows the name as HTML).
    assert html.count("FieldkitMap.activities(") == 1 and html.count("FieldkitMap.kind(") == len(KINDS)
    overlays = html[html.index("overlays :") : html.index("L.control.layers")]
    assert 'style=\\"background:#c0392b\\"\\u003e\\ud83d\\udde3\\u003c/span\\u003e Talk"' in overlays
    assert overlays.count("fk-dot") == len(KINDS) and '"activities" :' not in overlays


def test_points_are_packed_per_type_and_round_trip():
    html = render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS))
    packed = [v for v in page_data(html).values() if isinstance(v, dict) and "ids" in v]
    talk = next(p for p in packed if p["n"] == 2)
    ids, lats, lons = unpack(talk)
    assert sorted(zip(ids, lats, lons, strict=True)) == [(7, *INSIDE_A), (9, 10.0123, 105.7011)]
    assert all(isinstance(v, int) for name in ("ids", "lat", "lon") for v in talk[name])  # plain JSON numbers
    assert "FieldkitMap.aggregates(" not in html


def test_no_cdn_only_the_tile_server_and_local_copies():
    html = render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS, tile_server=OSM))
    assert set(URL.findall(html)) == {OSM.url}
    for local in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet-markercluster/MarkerCluster.Default.css",
        "/static/js/map-layers.js",
        "/static/css/map.css",
    ):
        assert f'"{local}"' in html, local
    assert "bootstrap" not in html.lower() and "awesome" not in html.lower()
    # Points are clustered by Supercluster and no popup of folium's is on the map: neither script is loaded ...
    assert "leaflet.markercluster.js" not in html and "jquery" not in html
    # ... but the communes' totals (too many points to send) are clustered by Leaflet.markercluster.
    totals = render(coverage_map(communes(), KINDS, None, assets=ASSETS, tile_server=OSM))
    assert '"/static/vendor/leaflet-markercluster/leaflet.markercluster.js"' in totals
    assert not URL.findall(render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS)))


def test_bounds_are_the_communes():
    fmap = coverage_map(communes(), KINDS, some_points(), assets=ASSETS)
    assert fmap.get_bounds() == [[10.0, 105.70], [10.02, 105.74]]


def test_too_many_points_draws_totals_per_commune():
    html = render(coverage_map(communes(), KINDS, None, assets=ASSETS, points_url="/map/points.json?type=talk"))
    assert "FieldkitMap.aggregates(" in html
    totals = [v for v in page_data(html).values() if isinstance(v, list)]
    assert [[row[2:] for row in rows] for rows in totals] == [[[2, [2, 0], "An Thử"], [3, [3, 0], "Bình Thử"]]]
    assert totals[0][0][:2] == pytest.approx([10.01, 105.71])
    assert '"pointsUrl":"/map/points.json?type=talk"' in html


def test_gaps_are_poor_communes_with_low_reach():
    rich, poor = communes()
    poor = Commune(**{**poor.__dict__, "reach": 0.1})
    html = render(coverage_map([rich, poor], KINDS, None, assets=ASSETS, gap_rate=0.1, gap_reach=0.5))
    assert '"codes":["90002"]' in html


def test_texts_from_the_database_stay_text():
    """Names pass through branca's second Jinja pass and into <script>: neither may read them as code."""
    name = "{{ 7*7 }} {% if 1 %}x{% endif %} </script><img src=x onerror=alert(1)>"
    html = render(coverage_map(communes(name), KINDS, some_points(), assets=ASSETS))
    assert "</script><img" not in html and "49" not in html.split("{{")[0][-5:]
    (collection,) = [
        v for v in page_data(html).values() if isinstance(v, dict) and v.get("type") == "FeatureCollection"
    ]
    assert collection["features"][0]["properties"]["name"] == name


def test_safe_json_escapes_script_and_template_openers():
    text = safe_json({"a": "</script>{{x}}{%y%}{#z#}&\u2028"})
    assert "<" not in text and "{{" not in text and "{%" not in text and "{#" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script>{{x}}{%y%}{#z#}&\u2028"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "wealth"}, "'wealth'"),
        ({"gap_reach": 1.5}, "1.5"),
        ({"popup_url": "/map/activities/x.json"}, "'/map/activities/x.json'"),
        ({"detail_zoom": 30}, "30"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        coverage_map(communes(), KINDS, None, assets=ASSETS, **kwargs)


def test_bad_data_is_refused_up_front():
    with pytest.raises(ValueError, match="'Point'"):
        Commune("1", "x", {"type": "Point", "coordinates": [105, 10]}, (10, 105))
    with pytest.raises(ValueError, match=re.escape("105.7")):
        Commune("1", "x", square((0, 0, 1, 1)), (105.7, 10.0))  # (lon, lat) given for (lat, lon)
    with pytest.raises(ValueError, match="'red'"):
        Kind("talk", "Talk", "red", "🗣")
    with pytest.raises(ValueError, match=re.escape("123.0")):
        Points.from_rows([(1, "talk", 123.0, 105.0)])
    with pytest.raises(ValueError, match="twice"):
        coverage_map(communes() * 2, KINDS, None, assets=ASSETS)
    with pytest.raises(ValueError, match=re.escape("'http://cdn.example/x.js'")):
        Assets("http://cdn.example/x.js")
    with pytest.raises(ValueError, match=re.escape("'https://tiles.example/x.png'")):
        Tiles("https://tiles.example/x.png", "©")


def test_tiles_none_means_no_tile_layer():
    assert tiles("none", "x") is None and tiles("", "x") is None
    assert "L.tileLayer" not in render(base_map(ASSETS, None))
    html = render(base_map(ASSETS, tiles(OSM.url, "<b>OSM</b>")))
    assert "L.tileLayer" in html and '"attribution": "\\u0026lt;b\\u0026gt;OSM' in html and '"maxZoom": 19' in html


def test_localize_serves_folium_from_here_and_refuses_unknown_plugins():
    fmap = folium.Map(location=[10, 105.7], tiles=None)
    folium.Marker([10, 105.7], popup=folium.Popup("<b>x</b>")).add_to(fmap)
    html = render(localize(fmap, Assets("/static/vendor")))
    assert not URL.findall(html)
    assert '"/static/vendor/jquery/jquery.min.js"' in html and '"/static/vendor/leaflet/leaflet.js"' in html
    Fullscreen().add_to(fmap)
    with pytest.raises(ValueError, match=re.escape("No local copy of 'Control.Fullscreen.js'")):
        localize(fmap, Assets("/static/vendor"))


def test_parts_leave_out_the_full_page_styles():
    piece = parts(coverage_map(communes(), KINDS, some_points(), assets=ASSETS))
    assert "/static/vendor/leaflet/leaflet.js" in piece.head
    assert "user-scalable=no" not in piece.head and "html, body" not in piece.head
    assert 'class="folium-map"' in piece.body and "application/json" in piece.body
    assert "L.map(" in piece.script and "FieldkitMap.communes(" in piece.script


def test_quantile_classes():
    scale = quantiles([0.01, 0.02, 0.03, 0.04, 0.05, None])
    assert scale.breaks == (0.01, 0.02, 0.03, 0.04, 0.05)
    assert scale.colour(0.025) == scale.colours[2] and scale.colour(None) == NO_DATA
    assert [row["label"] for row in scale.legend(lambda v: f"{v:.2f}")][:2] == ["0.01", "0.01 – 0.02"]
    single = quantiles([0.3])
    assert single.breaks == (0.3,) and len(single.legend(str)) == 1
    assert quantiles([None]).colour(0.1) == NO_DATA


def test_place_puts_points_in_the_first_polygon_that_holds_them():
    polygons = [shapely.geometry.shape(square(box)) for _n, _k, box in SQUARES.values()]
    lats = [INSIDE_A[0], INSIDE_B[0], 10.01, 10.05, 10.0]
    lons = [INSIDE_A[1], INSIDE_B[1], 105.7201, 105.71, 105.72]  # in A, in B, in the sliver, outside, on A's edge
    assert place(polygons, lons, lats).tolist() == [0, 1, -1, -1, 0]
    with pytest.raises(ValueError, match="shapes"):
        place(polygons, [1, 2], [1])


def test_commune_and_review_maps_do_not_evaluate_templates_in_texts():
    from maps.assets import Assets
    from maps.commune import Point, commune_map

    boundary = {"type": "Polygon", "coordinates": [[[105.7, 10.0], [105.72, 10.0], [105.72, 10.02], [105.7, 10.0]]]}
    hostile = "{{ 7*7 }} {{ cycler.__init__.__globals__.os.getpid() }} <script>alert(1)</script>"
    html_out = commune_map(boundary, [Point(10.01, 105.71, "#c0392b", hostile)], Assets("/v")).get_root().render()
    assert "7*7" in html_out  # the text is there, as text
    assert "{{ 7*7 }}" not in html_out and str(os.getpid()) not in html_out
    assert "<script>alert(1)</script>" not in html_out


def test_every_map_fits_its_bounds_with_fractional_zoom_and_refits_while_its_box_settles():
    html = render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS))
    assert '"zoomSnap": 0.1' in html
    fit = html[html.index("var fit = function") : html.index("[[10.0,105.7],[10.02,105.74]]")]
    assert "map.fitBounds(bounds" in fit and "new ResizeObserver" in fit
    assert "fitBounds([[" not in html  # folium's own fit, once at start, is gone


def test_a_commune_opens_its_page_and_the_clusters_know_the_types():
    html = render(coverage_map(communes(), KINDS, some_points(), assets=ASSETS, commune_url="/coverage/{code}?from=x"))
    assert '"communeUrl":"/coverage/{code}?from=x"' in html
    assert '"kinds":[{"key":"talk","label":"Talk","colour":"#c0392b"' in html
    with pytest.raises(ValueError, match="commune URL with a \\{code\\}"):
        coverage_map(communes(), KINDS, some_points(), assets=ASSETS, commune_url="/coverage/90001")
