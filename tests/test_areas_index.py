"""Placing GPS points in communes: inside, on a border sliver, outside, and on Can Tho's real boundaries."""

import json
import os

import pytest
from shapely.geometry import shape

from fieldkit.areas import index
from fieldkit.areas.index import AreaIndex
from fieldkit.extensions import db
from fieldkit.models import Area
from tests.factories import INSIDE_A, INSIDE_B, SQUARES, square


@pytest.fixture
def squares():
    return AreaIndex([(code, square(box)) for code, (_, _, box) in SQUARES.items()])


def test_points_inside_take_their_commune(squares):
    assert squares.locate(*INSIDE_A, tolerance_m=200).code == "90001"
    assert squares.locate(*INSIDE_B, tolerance_m=200).code == "90002"
    assert squares.locate(*INSIDE_A, tolerance_m=200).distance_m == 0


def test_a_point_in_the_sliver_takes_the_nearest_commune_within_tolerance(squares):
    placed = squares.locate(10.01, 105.72015, tolerance_m=200)  # 5 m from B, 16 m from A
    assert placed.code == "90002" and 0 < placed.distance_m < 10
    assert squares.locate(10.01, 105.72015, tolerance_m=0).code is None


def test_a_point_far_outside_is_outside(squares):
    placed = squares.locate(10.03, 105.71, tolerance_m=200)  # about 1.1 km north of A
    assert placed.code is None and placed.distance_m is None
    assert squares.locate(10.0215, 105.71, tolerance_m=200).code == "90001"  # about 166 m north


def test_locate_many_agrees_with_locate(squares):
    points = [INSIDE_A, INSIDE_B, (10.01, 105.72015), (10.03, 105.71), (10.0215, 105.71)]
    many = squares.locate_many([p[0] for p in points], [p[1] for p in points], 200)
    assert list(many) == [squares.locate(lat, lon, 200) for lat, lon in points]


def test_the_process_index_is_rebuilt_when_areas_change(app, areas):
    assert index.current().locate(*INSIDE_A, 200).code == "90001"
    area = db.session.get(Area, "90001")
    area.geometry = square((105.60, 10.00, 105.62, 10.02))
    db.session.commit()
    assert index.current().locate(*INSIDE_A, 200).code is None


def test_real_can_tho_boundaries(shared_data):
    with open(os.path.join(shared_data, "cantho_communes_2025.geojson"), encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    real = AreaIndex([(f["properties"]["ma_xa"], f["geometry"]) for f in features])
    assert len(real.codes) == 103
    assert real.locate(10.0300, 105.7800, 200).code == "31135"  # Ninh Kiều wharf → Phường Ninh Kiều
    by_code = {f["properties"]["ma_xa"]: f for f in features}
    sample = ["31150", "31153", "31507", "31321", "31810"]
    for code in sample:
        inner = shape(by_code[code]["geometry"]).representative_point()
        assert real.locate(inner.y, inner.x, 200).code == code
    assert real.locate(10.5, 104.5, 200).code is None  # Cambodia side of the border: outside
