"""The coverage table in pages once there are more communes than one page holds."""

import re

import pytest

from fieldkit.coverage.table import page_of
from fieldkit.extensions import db
from fieldkit.models import Area
from tests.factories import square


def test_pages_split_the_rows_and_stay_within_range():
    rows = list(range(450))
    first, last = page_of(rows, None, 200), page_of(rows, 99, 200)
    assert (first.number, first.pages, first.first, first.last, first.rows) == (1, 3, 1, 200, rows[:200])
    assert (last.number, last.first, last.last, last.rows) == (3, 401, 450, rows[400:])
    assert page_of(rows, -4, 200).number == 1
    assert page_of([], 1, 200).complete and page_of(rows[:200], 1, 200).complete


@pytest.fixture
def many_communes(areas):
    for i in range(250):
        box = (106.0 + i * 0.01, 10.0, 106.01 + i * 0.01, 10.01)
        db.session.add(
            Area(
                code=f"8{i:04d}",
                name=f"Số {i:03d}",
                kind="Xã",
                province_code="92",
                geometry=square(box),
                centroid_lat=10.005,
                centroid_lon=box[0] + 0.005,
                bbox=list(box),
            )
        )
    db.session.commit()


def test_a_table_of_many_communes_comes_in_pages_by_name(client, make_user, login, many_communes):
    login(make_user("supervisor"))
    first = client.get("/coverage").get_data(as_text=True)
    assert "data-sortable" not in first  # sorting one page in the browser would mislead
    rows = re.findall(r'<th scope="row" data-value="([^"]+)"', first)
    assert len(rows) == 200 and rows[0] == "Phường An Thử"
    assert "Xã/phường 1–200 trên 252, theo tên" in first
    following = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(following).get_data(as_text=True)
    assert len(re.findall(r'<th scope="row" data-value=', second)) == 52
    assert "Xã/phường 201–252 trên 252, theo tên" in second and 'rel="next"' not in second
    assert 'rel="prev"' in second


def test_a_city_table_stays_whole_and_sortable(client, make_user, login, areas):
    login(make_user("supervisor"))
    page = client.get("/coverage").get_data(as_text=True)
    assert "data-sortable" in page and "table-pages" not in page
