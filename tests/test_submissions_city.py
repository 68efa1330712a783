"""The city's consolidated report: the accepted reports' frozen numbers added up, each accepted unit's narrative,
and who has not reported, on the printable page and in the XLSX workbook."""

import io

import openpyxl
import pytest

from fieldkit import periods
from tests.submissions_helpers import Phone, as_user


@pytest.fixture
def quarter(app):
    return periods.quarter_of(periods.today(app.config["FIELDKIT_TIMEZONE"]))


@pytest.fixture
def reported(app, areas, make_user, quarter):
    """90001 sent and accepted (two talks), 90002 sent but not yet accepted (one talk); answer the clients."""
    for code, talks in (("90001", (40, 30)), ("90002", (15,))):
        phone = Phone(app, make_user("officer", code))
        for participants in talks:
            phone.talk(participants=participants)
    city = as_user(app, make_user("supervisor"))
    for code in ("90001", "90002"):
        client = as_user(app, make_user("supervisor", code))
        narrative = {"results": f"Kết quả của {code}", "difficulties": f"Khó khăn của {code}", "proposals": ""}
        assert client.put(f"/api/v1/reports/{quarter}/{code}", json=narrative).status_code == 200
        assert client.post(f"/api/v1/reports/{quarter}/{code}/submit").status_code == 200
    assert city.post(f"/api/v1/reports/{quarter}/90001/accept").status_code == 200
    return city, client


def test_the_page_consolidates_the_accepted_reports(reported, quarter):
    city, s2 = reported
    page = city.get(f"/reports/consolidated/{quarter}").text
    summed = page.split('data-row="sum"')[1].split("</tr>")[0]
    assert 'data-col="activities">2<' in summed  # 90001's two talks; 90002's is not accepted yet
    assert "Kết quả của 90001" in page and "Khó khăn của 90001" in page and "Kết quả của 90002" not in page
    missing = page.split('class="missing"')[1]
    assert 'data-unit="90002"' in missing.split('data-state="submitted"')[1] and 'data-unit="90001"' not in missing
    assert "1 trên 2 đơn vị" in page
    assert s2.get(f"/reports/consolidated/{quarter}").status_code == 403
    assert s2.get(f"/reports/consolidated/{quarter}.xlsx").status_code == 403


def test_the_workbook_consolidates_the_accepted_reports(reported, quarter):
    city, _s2 = reported
    response = city.get(f"/reports/consolidated/{quarter}.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(f"-{quarter}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Nội dung báo cáo"]
    totals = book["Tổng hợp"]
    rows = [[cell.value for cell in row] for row in totals.iter_rows()]
    total = next(row for row in rows if row[1] == "TỔNG CỘNG")
    assert (total[2], total[5], total[6]) == (2, 70, 10)  # activities, participants, poor (5 per talk)
    talk_row = next(row for row in rows if row[1] == "Nói chuyện chuyên đề, đối thoại chính sách")
    assert talk_row[2] == 2
    units = {row[1]: row[2] for row in book["Đơn vị"].iter_rows(values_only=True) if isinstance(row[0], int)}
    assert units == {"Phường An Thử": "đã tiếp nhận", "Xã Bình Thử": "đã gửi"}
    narratives = " ".join(str(c) for row in book["Nội dung báo cáo"].iter_rows(values_only=True) for c in row if c)
    assert "Kết quả của 90001" in narratives and "90002" not in narratives
    assert totals.page_setup.orientation == "landscape"
