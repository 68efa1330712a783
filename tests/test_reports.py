"""The periodic report: numbers checked against a hand-computed fixture, in the workbook and on the page;
periods; scope; the command line."""

import io
import re
import uuid
from html.parser import HTMLParser

import openpyxl
import pytest

from fieldkit import periods
from fieldkit.extensions import db
from fieldkit.models import ApiToken, Target
from fieldkit.models.token import hash_token
from tests.factories import INSIDE_A, INSIDE_B

# Activities in Asia/Ho_Chi_Minh local time. Q4 2025 is 01/10/2025–31/12/2025 local; the UTC date of the first
# and last entries below differs from their local date, which is what the boundaries must follow.
A_ENTRIES = [
    (
        "2025-10-01T00:30:00+07:00",
        "talk",
        {"format": "talk", "participants": 40, "poor_members": 5, "near_poor_members": 8},
    ),
    (
        "2025-11-15T09:00:00+07:00",
        "talk",
        {"format": "dialogue", "participants": 30, "poor_members": 3, "near_poor_members": 4},
    ),
    ("2025-12-31T23:30:00+07:00", "banner", {"kind": "panel", "quantity": 3}),
    (
        "2025-10-20T08:00:00+07:00",
        "leaflet",
        {"copies": 200, "households_reached": 50, "poor_households_reached": 10, "near_poor_households_reached": 15},
    ),
    ("2025-09-30T23:30:00+07:00", "broadcast", {"sessions": 4}),  # Q3: only in the year to date
    ("2026-01-01T00:15:00+07:00", "media", {"channel": "web", "items": 2}),  # next year (31/12 in UTC)
    ("2025-03-10T09:00:00+07:00", "talk", {"format": "talk", "participants": 10, "poor_members": 1}),  # Q1
]
B_ENTRIES = [
    ("2025-11-01T07:00:00+07:00", "broadcast", {"sessions": 6, "minutes": 90}),
    ("2025-12-01T10:00:00+07:00", "media", {"channel": "press", "items": 5}),
    (
        "2025-12-10T08:00:00+07:00",
        "leaflet",
        {"copies": 100, "households_reached": 60, "poor_households_reached": 20, "near_poor_households_reached": 30},
    ),
]
TARGETS = [
    ("90001", 2025, "talk", 10),
    ("90001", 2025, "banner", 4),
    ("90001", 2025, "leaflet", 2),
    ("90002", 2025, "broadcast", 20),
    ("90002", 2025, "media", 4),
    ("90001", 2026, "talk", 99),  # another year: ignored
]
N = None  # a measure that does not apply to the row stays empty
# Columns C..K: activities, products, unit (skipped), people, poor, near-poor, target, year to date, % of target.
EXPECTED = {
    "total": [
        ("sum", [7, N, 180, 38, 57, 40, 9, 7 / 40]),
        ("talk", [2, N, 70, 8, 12, 10, 3, 0.3]),
        ("banner", [1, 3, N, N, N, 4, 1, 0.25]),
        ("leaflet", [2, 300, 110, 30, 45, 2, 2, 0.5]),
        ("broadcast", [1, 6, N, N, N, 20, 2, 0.05]),
        ("media", [1, 5, N, N, N, 4, 1, 0.25]),
    ],
    "90001": [
        ("sum", [4, N, 120, 18, 27, 16, 6, 5 / 16]),
        ("talk", [2, N, 70, 8, 12, 10, 3, 0.3]),
        ("banner", [1, 3, N, N, N, 4, 1, 0.25]),
        ("leaflet", [1, 200, 50, 10, 15, 2, 1, 0.5]),
        ("broadcast", [0, 0, N, N, N, N, 1, N]),
        ("media", [0, 0, N, N, N, N, 0, N]),
    ],
    "90002": [
        ("sum", [3, N, 60, 20, 30, 24, 3, 2 / 24]),
        ("talk", [0, N, 0, 0, 0, N, 0, N]),
        ("banner", [0, 0, N, N, N, N, 0, N]),
        ("leaflet", [1, 100, 60, 20, 30, N, 1, N]),
        ("broadcast", [1, 6, N, N, N, 20, 1, 0.05]),
        ("media", [1, 5, N, N, N, 4, 1, 0.25]),
    ],
}
# Gap list: households 1000, poor 20, near-poor 50 in each; rate 0.07; reach = reached / 70.
GAPS = [("90001", 45, 45 / 70, 0.07 * (1 - 45 / 70)), ("90002", 50, 50 / 70, 0.07 * (1 - 50 / 70))]


@pytest.fixture
def fixture_data(app, areas, make_user):
    """Post the entries through the API as two officers (with tokens, on a client of their own); set the targets."""
    client = app.test_client()
    for code, point, entries in (("90001", INSIDE_A, A_ENTRIES), ("90002", INSIDE_B, B_ENTRIES)):
        officer = make_user("officer", code)
        secret = ApiToken.generate()
        db.session.add(ApiToken(user_id=officer.id, token_hash=hash_token(secret)))
        db.session.commit()
        for occurred_at, kind, details in entries:
            body = {
                "uuid": str(uuid.uuid4()),
                "type": kind,
                "occurred_at": occurred_at,
                "lat": point[0],
                "lon": point[1],
                "accuracy_m": 10,
                "location_source": "gps",
                "declared_area_code": code,
                **details,
            }
            response = client.post("/api/v1/activities", json=body, headers={"Authorization": f"Bearer {secret}"})
            assert response.status_code == 201, response.json
    for code, year, kind, quantity in TARGETS:
        db.session.add(Target(area_code=code, year=year, type=kind, quantity=quantity))
    db.session.commit()


@pytest.fixture
def supervisor(make_user, login, areas):
    user = make_user("supervisor")
    login(user)
    return user


def sheet_rows(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return book, book.worksheets[0]


def block_rows(sheet, first_row: int, expected):
    for offset, (_label, values) in enumerate(expected):
        row = first_row + offset
        got = [sheet.cell(row=row, column=c).value for c in (3, 4, 6, 7, 8, 9, 10, 11)]
        assert got[:-1] == values[:-1], f"row {row}: {got} != {values}"
        assert got[-1] == pytest.approx(values[-1]) if values[-1] is not None else got[-1] is None, f"row {row}"


def test_workbook_numbers_match_the_hand_computed_fixture(client, supervisor, fixture_data):
    response = client.get("/reports/2025-Q4.xlsx?all=1")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "bao-cao-2025-Q4.xlsx" in response.headers["Content-Disposition"]
    book, sheet = sheet_rows(response.data)
    # The header block of a Vietnamese administrative report.
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"
    assert sheet["A2"].value == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    assert sheet["G1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["G2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert sheet["A5"].value.startswith("BÁO CÁO KẾT QUẢ CÔNG TÁC TRUYỀN THÔNG VỀ GIẢM NGHÈO QUÝ IV NĂM 2025")
    assert "159/KH-UBND" in sheet["A6"].value and "19/11/2025" in sheet["A6"].value
    assert "01/10/2025" in sheet["A7"].value and "31/12/2025" in sheet["A7"].value
    # The table: header rows 12–13 (repeated when printed), the totals from row 14, then each commune.
    assert sheet.print_title_rows == "$12:$13"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    block_rows(sheet, 14, EXPECTED["total"])
    assert sheet.cell(row=21, column=1).value == 1 and sheet.cell(row=21, column=2).value == "Phường An Thử"
    block_rows(sheet, 21, EXPECTED["90001"])
    assert sheet.cell(row=27, column=1).value == 2 and sheet.cell(row=27, column=2).value == "Xã Bình Thử"
    block_rows(sheet, 27, EXPECTED["90002"])
    assert sheet.cell(row=14, column=11).number_format == "0.0%"
    assert isinstance(sheet.cell(row=16, column=4).value, int)  # numbers as numbers
    # The gap list, largest gap first.
    gaps = book.worksheets[1]
    for row, (code, reached, reach, gap) in enumerate(GAPS, start=5):
        assert gaps.cell(row=row, column=2).value == {"90001": "Phường An Thử", "90002": "Xã Bình Thử"}[code]
        assert [gaps.cell(row=row, column=c).value for c in (3, 4, 5)] == [1000, 20, 50]
        assert gaps.cell(row=row, column=6).value == pytest.approx(0.07)
        assert gaps.cell(row=row, column=8).value == reached
        assert gaps.cell(row=row, column=9).value == pytest.approx(reach)
        assert gaps.cell(row=row, column=10).value == pytest.approx(gap)
    assert gaps.print_title_rows == "$4:$4"


class Cells(HTMLParser):
    """Collect the text of td[data-col] cells under tr[data-row]."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.col = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-row" in attrs:
            self.row = self.rows.setdefault(attrs["data-row"], {})
        elif tag == "td" and self.row is not None and "data-col" in attrs:
            self.col = attrs["data-col"]
            self.row[self.col] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.col = None

    def handle_data(self, data):
        if self.col:
            self.row[self.col] += data.strip()


def shown(value) -> str:
    """A value as the Vietnamese page writes it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value * 100:.1f}%".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def test_printable_page_shows_the_same_numbers(client, supervisor, fixture_data):
    response = client.get("/reports/2025-Q4?all=1")
    assert response.status_code == 200
    page = response.text
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "159/KH-UBND", "report.css"):
        assert text in page
    parser = Cells()
    parser.feed(page)
    keys = ("activities", "items", "people", "poor", "near_poor", "target", "year_to_date", "ratio")
    for block, lines in EXPECTED.items():
        for label, values in lines:
            cells = parser.rows[f"{block}/{label}"]
            wanted = [shown(v) for v in values]
            wanted[-1] = wanted[-1] or "—"  # the measures' dash for a share without a target
            assert [cells[k] for k in keys] == wanted, f"{block}/{label}"
    order = [m.group(1) for m in re.finditer(r'data-row="gap/(\d+)"', page)]
    assert order == ["90001", "90002"]


def test_a_commune_supervisor_gets_only_their_commune(client, make_user, login, fixture_data):
    login(make_user("supervisor", "90002"))
    book, sheet = sheet_rows(client.get("/reports/2025-Q4.xlsx?all=1").data)
    assert sheet["A2"].value == "XÃ BÌNH THỬ"  # issued by the commune's People's Committee
    block_rows(sheet, 14, [("sum", EXPECTED["90002"][0][1]), *EXPECTED["90002"][1:]])
    assert sheet.cell(row=20, column=2).value != "Phường An Thử"
    assert [r[1].value for r in book.worksheets[1].iter_rows(min_row=5, max_row=5)] == ["Xã Bình Thử"]
    page = client.get("/reports/2025-Q4").text
    assert "Phường An Thử" not in page and 'data-row="90001/sum"' not in page
    assert client.get("/reports/2025-Q4?area=90001").status_code == 404  # as for /coverage/<code> outside the scope
    assert client.get("/reports/2025-Q4.xlsx?area=90001").status_code == 404
    assert client.get("/reports/2025-Q4?area=90002").status_code == 200


def test_a_city_supervisor_may_narrow_to_one_commune(client, supervisor, fixture_data):
    page = client.get("/reports/2025-Q4?area=90001").text
    parser = Cells()
    parser.feed(page)
    assert parser.rows["total/sum"]["activities"] == "4" and "90002/sum" not in parser.rows
    assert client.get("/reports/2025-Q4?area=99999").status_code == 404


@pytest.mark.parametrize("role, status", [("officer", 403), ("supervisor", 200), ("admin", 200)])
def test_who_may_see_reports(client, make_user, login, areas, role, status):
    login(make_user(role, "90001" if role == "officer" else None))
    assert client.get("/reports").status_code == status
    assert client.get("/reports/2025-Q4").status_code == status


def test_reports_need_a_login(client, areas):
    response = client.get("/reports/2025-Q4?all=1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_form_leads_to_the_printable_report(client, supervisor):
    page = client.get("/reports")
    assert page.status_code == 200 and 'value="2025-Q4"' in page.text
    response = client.get("/reports?period=2025-11&area=90001")
    assert response.status_code == 302 and response.headers["Location"] == "/reports/2025-11?area=90001"
    assert client.get("/reports?period=2025-Q7").status_code == 400


@pytest.mark.parametrize(
    "text, key, start, end",
    [
        ("2025-Q4", "2025-Q4", "2025-10-01", "2025-12-31"),
        ("2025-q1", "2025-Q1", "2025-01-01", "2025-03-31"),
        ("2025-11", "2025-11", "2025-11-01", "2025-11-30"),
        ("2028-2", "2028-02", "2028-02-01", "2028-02-29"),
        (" 2025 ", "2025", "2025-01-01", "2025-12-31"),
    ],
)
def test_periods_are_local_date_ranges(text, key, start, end):
    period = periods.parse(text)
    assert (period.key, period.start.isoformat(), period.end.isoformat()) == (key, start, end)


@pytest.mark.parametrize(
    "text, says",
    [
        ("2025-Q5", "Q5"),
        ("2025-13", "13"),
        ("2025-00", "00"),
        ("1999", "2025"),
        ("Q4-2025", "Q4-2025"),
        ("", "2025-Q4"),
    ],
)
def test_bad_periods_say_what_is_wrong(app, text, says):
    with app.test_request_context("/?lang=en"), pytest.raises(periods.PeriodError) as error:
        periods.parse(text)
    assert says in str(error.value.message)


def test_a_bad_period_in_the_address_is_a_clear_400(client, supervisor):
    response = client.get("/reports/2025-Q9?lang=en")
    assert response.status_code == 400 and "Q1 to Q4" in response.text


def test_the_command_writes_the_workbook(runner, tmp_path, fixture_data):
    out = tmp_path / "q4.xlsx"
    result = runner.invoke(args=["report", "--period", "2025-Q4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    _book, sheet = sheet_rows(out.read_bytes())
    assert sheet["G1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    block_rows(sheet, 14, EXPECTED["total"])
    one = tmp_path / "b.xlsx"
    assert runner.invoke(args=["report", "--period", "2025-Q4", "--out", str(one), "--area", "90002"]).exit_code == 0
    block_rows(sheet_rows(one.read_bytes())[1], 14, [("sum", EXPECTED["90002"][0][1]), *EXPECTED["90002"][1:]])
    bad = runner.invoke(args=["report", "--period", "2025-Q0", "--out", str(out)])
    assert bad.exit_code != 0 and "--period" in bad.output
    assert runner.invoke(args=["report", "--period", "2025", "--out", str(out), "--area", "1"]).exit_code != 0
