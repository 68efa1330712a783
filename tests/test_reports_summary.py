"""The report reads as a summary first: totals and key figures on page one, quiet communes folded into one line
(unless ?all=1), each measure under one name and in one format on the pages, the printed report and the XLSX."""

import io
import re

import openpyxl
import pytest

from fieldkit.extensions import db
from fieldkit.models import Area
from tests.factories import square
from tests.test_reports import Cells
from tests.test_reports import fixture_data as fixture_data  # the fixtures, shared
from tests.test_reports import supervisor as supervisor

QUIET = (105.7402, 10.00, 105.76, 10.02)


@pytest.fixture
def quiet_commune(areas):
    """A third commune, without statistics, where nothing happened."""
    db.session.add(
        Area(code="90003", name="Cái Thử", kind="Xã", province_code="92", geometry=square(QUIET),
             centroid_lat=10.01, centroid_lon=105.75, bbox=list(QUIET))
    )  # fmt: skip
    db.session.commit()


def rows_of(page: str) -> dict[str, dict]:
    parser = Cells()
    parser.feed(page)
    return parser.rows


def test_a_summary_comes_first_and_quiet_communes_fold_into_one_line(client, supervisor, fixture_data, quiet_commune):
    page = client.get("/reports/2025-Q4").text
    summary, by_commune = page.split('<section class="by-commune">')
    assert 'data-row="total/sum"' in summary and 'data-row="90001/sum"' not in summary
    assert "Số xã, phường có hoạt động trong kỳ: 2/3 (1 xã, phường chưa có)." in summary
    assert "Hộ nghèo, cận nghèo được tiếp cận: 95/140 hộ (mức độ tiếp cận 67,9%)." in summary
    assert "Khoảng trống lớn nhất (điểm khoảng trống): Phường An Thử (2,5%); Xã Bình Thử (2,0%)." in summary
    rows = rows_of(by_commune)
    assert "90001/talk" in rows and "90001/broadcast" in rows  # a broadcast earlier in the year: progress to show
    assert "90001/media" not in rows and "90002/talk" not in rows  # nothing in the period, no target: folded
    assert "90003/sum" not in rows
    assert "1 xã, phường không có hoạt động trong kỳ: Xã Cái Thử." in by_commune
    everything = rows_of(client.get("/reports/2025-Q4?all=1").text)
    assert {"90001/media", "90002/talk", "90003/sum", "90003/media"} <= set(everything)
    assert "không có hoạt động trong kỳ" not in client.get("/reports/2025-Q4?all=1").text


def test_the_workbook_folds_the_same_way(client, supervisor, fixture_data, quiet_commune):
    folded = openpyxl.load_workbook(io.BytesIO(client.get("/reports/2025-Q4.xlsx").data)).worksheets[0]
    full = openpyxl.load_workbook(io.BytesIO(client.get("/reports/2025-Q4.xlsx?all=1").data)).worksheets[0]
    names = [cell.value for cell in folded["B"] if cell.value]
    assert "Xã Cái Thử" not in names and "Xã Cái Thử" in [cell.value for cell in full["B"]]
    assert any(cell.value == "1 xã, phường không có hoạt động trong kỳ: Xã Cái Thử." for cell in folded["A"])
    # Three blocks of six rows in full; folded: An Thử's sum and 4 forms, Bình Thử's sum and 3, and the one line.
    assert full.max_row - folded.max_row == 3 * 6 - (5 + 4 + 1)


def test_the_gap_score_has_one_name_and_one_format_everywhere(client, supervisor, fixture_data):
    report = client.get("/reports/2025-Q4").text
    coverage = client.get("/coverage?from=2025-10-01&to=2025-12-31").text
    for page in (report, coverage):
        assert "Điểm khoảng trống" in page and "Tỷ lệ hộ nghèo, cận nghèo" in page
        assert "2,5%" in page and "7,0%" in page  # 90001: gap 0.07 × (1 − 45/70), rate 0.07
    assert "0,025" not in report and "Tỷ lệ nghèo đa chiều" not in coverage
    gaps = openpyxl.load_workbook(io.BytesIO(client.get("/reports/2025-Q4.xlsx").data)).worksheets[1]
    headers = [cell.value for cell in gaps[4] if cell.value]
    assert headers[5:] == ["Tỷ lệ hộ nghèo, cận nghèo", "Số hoạt động trong kỳ", "Hộ nghèo, cận nghèo được tiếp cận",
                           "Mức độ tiếp cận", "Điểm khoảng trống"]  # fmt: skip
    gap = gaps.cell(row=5, column=10)
    assert gap.value == pytest.approx(0.07 * (1 - 45 / 70)) and gap.number_format == "0.0%"
    assert gaps.cell(row=5, column=6).number_format == "0.0%" and gaps.cell(row=5, column=9).number_format == "0.0%"


def test_the_date_line_follows_each_languages_word_order(client, supervisor, fixture_data):
    english = client.get("/reports/2025-Q4?lang=en").text
    assert re.search(r"Cần Thơ, \d{1,2} (January|February|March|April|May|June|July|August|September|October|"
                     r"November|December) 20\d\d<", english)  # fmt: skip
    assert "day " not in english and " month " not in english
    vietnamese = client.get("/reports/2025-Q4").text
    assert re.search(r"Cần Thơ, ngày \d\d tháng \d\d năm 20\d\d<", vietnamese)
