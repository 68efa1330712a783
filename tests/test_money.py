"""Money: an entry's cost and funding source (form, API, exports), allocations import, spent against allocated."""

import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa

from fieldkit import periods
from fieldkit.activities.queries import Filters
from fieldkit.config import DEFAULTS
from fieldkit.extensions import db
from fieldkit.funding import services
from fieldkit.funding.money import spent_against_allocated
from fieldkit.models import Activity, Allocation, User
from tests.factories import INSIDE_B, PASSWORD, talk

API = "/api/v1/activities"
YEAR = periods.today(DEFAULTS["FIELDKIT_TIMEZONE"]).year  # the installation's year, not the machine's
GOOD = f"""code,year,source,amount_vnd
90001,{YEAR},central,10000000
90001,{YEAR},city,"2.000.000"
90002,{YEAR},mobilised,4000000
hlhpn,{YEAR},ngân sách thành phố,3000000
UBND-90002,{YEAR},other,1000000
"""


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Allocation))


def test_cost_and_funding_source_go_through_the_api(client, officer):
    body = talk(cost_vnd=1_500_000, funding_source="city")
    answer = client.post(API, json=body)
    assert answer.status_code == 201, answer.json
    assert (answer.json["cost_vnd"], answer.json["funding_source"]) == (1_500_000, "city")
    assert client.post(API, json=body).status_code == 200  # the replay is recognised
    stored = db.session.scalar(sa.select(Activity))
    assert (stored.cost_vnd, stored.funding_source) == (1_500_000, "city")
    edit = {**body, "cost_vnd": 2_000_000, "funding_source": None, "version": 1}
    assert client.put(f"{API}/{body['uuid']}", json=edit).json["cost_vnd"] == 2_000_000
    plain = client.post(API, json=talk())  # both optional
    assert plain.status_code == 201 and plain.json["cost_vnd"] is None and plain.json["funding_source"] is None


@pytest.mark.parametrize(
    "fields, name",
    [
        ({"cost_vnd": -1}, "cost_vnd"),
        ({"cost_vnd": 1.5}, "cost_vnd"),
        ({"cost_vnd": 10**14}, "cost_vnd"),
        ({"funding_source": "lottery"}, "funding_source"),
    ],
)
def test_bad_money_is_refused_by_field(client, officer, fields, name):
    answer = client.post(f"{API}?lang=en", json=talk(**fields))
    assert answer.status_code == 400 and list(answer.json["fields"]) == [name]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0


def test_an_entry_sent_before_money_existed_is_still_recognised(client, officer):
    """A replay of an entry stored without the new keys (its hash made without them) is the same content."""
    from fieldkit.activities.services import content_hash

    body = talk()
    assert client.post(API, json=body).status_code == 201
    stored = db.session.scalar(sa.select(Activity))
    payload_without = {"uuid": body["uuid"], "occurred_at": stored.occurred_at, "type": "talk"}
    assert content_hash({**payload_without, "cost_vnd": None, "funding_source": None}) == content_hash(payload_without)
    assert client.post(API, json=body).status_code == 200


def test_the_officer_form_has_the_money_fieldset_last(client, officer):
    page = client.get("/activities/new").text
    assert page.index('class="money-fields"') > page.index('name="notes"')
    assert page.index('class="money-fields"') < page.index('type="submit"', page.index('class="money-fields"'))
    data = {**talk(), "cost_vnd": "250000", "funding_source": "mobilised"}
    data = {key: str(value) for key, value in data.items()}
    assert client.post("/activities/new", data=data).status_code == 302
    stored = db.session.scalar(sa.select(Activity))
    assert (stored.cost_vnd, stored.funding_source) == (250_000, "mobilised")
    assert "250.000" in client.get(f"/activities/{stored.uuid}").text


def test_allocations_import_a_good_file(runner, bodies, tmp_path):
    path = tmp_path / "allocations.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["allocations", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 rows — 5 new, 0 changed, 0 unchanged" in result.output
    rows = db.session.execute(
        sa.select(Allocation.area_code, Allocation.organization_id, Allocation.source, Allocation.amount_vnd)
    ).all()
    union = bodies["HLHPN"].id
    assert sorted(rows, key=str) == sorted(
        [
            ("90001", None, "central", 10_000_000),
            ("90001", None, "city", 2_000_000),
            ("90002", None, "mobilised", 4_000_000),
            (None, union, "city", 3_000_000),
            (None, bodies["UBND-90002"].id, "other", 1_000_000),
        ],
        key=str,
    )
    path.write_text(f"code,year,source,amount_vnd\n90001,{YEAR},central,12000000\n", encoding="utf-8")
    again = runner.invoke(args=["allocations", "import", str(path)])
    assert "1 rows — 0 new, 1 changed, 0 unchanged" in again.output
    assert count() == 5


def test_allocations_import_names_each_bad_row_and_column_and_writes_nothing(app, runner, bodies, tmp_path):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    path = tmp_path / "bad.csv"
    path.write_text(
        f"""code,year,source,amount_vnd
90001,{YEAR},central,10000000
99999,{YEAR},central,5
90002,1999,city,5
90002,{YEAR},lottery,5
90002,{YEAR},city,-3
90002,{YEAR},city,1.5
90001,{YEAR},central,7
""",
        encoding="utf-8",
    )
    result = runner.invoke(args=["allocations", "import", str(path)])
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert "row 3, code: unknown commune or body code '99999'." in lines
    assert "row 4, year: '1999' is not a year from 2025 to 2100." in lines
    assert any(line.startswith("row 5, source: unknown funding source 'lottery'") for line in lines)
    assert "row 6, amount_vnd: must not be negative (-3)." in lines
    assert "row 7, amount_vnd: '1.5' is not a whole number of đồng." in lines
    assert "row 8, code: repeats row 2 (same code, year and source)." in lines
    assert "6 problem(s)" in result.output and "nothing was imported" in result.output
    assert count() == 0


def test_allocations_errors_in_vietnamese_and_vietnamese_headers(app, runner, bodies, tmp_path):
    app.config["BABEL_DEFAULT_LOCALE"] = "vi"
    path = tmp_path / "phan-bo.csv"
    path.write_text(
        "Mã xã, phường hoặc mã cơ quan, đơn vị;Năm;Nguồn kinh phí;Số tiền (đồng)\n"
        f"SNNMT;{YEAR};Ngân sách trung ương;50.000.000\n"
        f"KHONGCO;{YEAR};vốn huy động;5\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["allocations", "import", str(path)])
    assert result.exit_code != 0
    assert "dòng 3, cột code: không có mã xã, phường hoặc mã cơ quan, đơn vị 'KHONGCO'." in result.output
    assert count() == 0
    path.write_text(
        path.read_text(encoding="utf-8").splitlines()[0] + f"\nSNNMT;{YEAR};Ngân sách trung ương;50.000.000\n"
    )
    assert runner.invoke(args=["allocations", "import", str(path)]).exit_code == 0
    stored = db.session.scalar(sa.select(Allocation))
    assert (stored.organization.code, stored.source, stored.amount_vnd) == ("SNNMT", "central", 50_000_000)


@pytest.fixture
def spending(app, make_user, bodies):
    """Allocations (GOOD) and five entries with costs, hand-summed below:

    union officer (HLHPN) in 90001: 1,000,000 city + 500,000 central; in 90002: 2,000,000 mobilised
    committee officer (UBND-90002) in 90002: 700,000 other + 300,000 with no source; and one entry with no cost
    """
    services.import_csv(GOOD)
    union = make_user("officer", "90001", username="phunu")
    union.organization = bodies["HLHPN"]
    committee = make_user("officer", "90002", username="uyban")
    committee.organization = bodies["UBND-90002"]
    db.session.commit()
    in_b = {"lat": INSIDE_B[0], "lon": INSIDE_B[1], "declared_area_code": "90002"}
    sent = {
        union: [
            talk(cost_vnd=1_000_000, funding_source="city"),
            talk(cost_vnd=500_000, funding_source="central"),
            talk(cost_vnd=2_000_000, funding_source="mobilised", **in_b),
        ],
        committee: [
            talk(cost_vnd=700_000, funding_source="other", **in_b),
            talk(cost_vnd=300_000, **in_b),
            talk(**in_b),
        ],
    }
    for user, entries in sent.items():
        phone = app.test_client()
        phone.post("/login", data={"username": user.username, "password": PASSWORD})
        for body in entries:
            assert phone.post(API, json=body).status_code == 201
    return union, committee


def accounts(items):
    return {a.code: (a.allocated_vnd, a.spent_vnd, a.entries) for a in items}


def test_spent_against_allocated_matches_the_hand_sums(app, spending):
    city = User(username="city", role="supervisor", area_code=None)
    money = spent_against_allocated(city, Filters(), YEAR)
    assert (money.total.allocated_vnd, money.total.spent_vnd, money.total.entries) == (20_000_000, 4_500_000, 5)
    assert accounts(money.sources) == {
        "central": (10_000_000, 500_000, 1),
        "city": (5_000_000, 1_000_000, 1),  # 2,000,000 to 90001 + 3,000,000 to the Women's Union
        "mobilised": (4_000_000, 2_000_000, 1),
        "other": (1_000_000, 700_000, 1),
        "": (0, 300_000, 1),  # source not stated
    }
    assert accounts(money.communes) == {
        "90001": (12_000_000, 1_500_000, 2),
        "90002": (4_000_000, 3_000_000, 3),
    }
    assert accounts(money.bodies) == {"HLHPN": (3_000_000, 3_500_000, 3), "UBND-90002": (1_000_000, 1_000_000, 2)}
    union = next(a for a in money.bodies if a.code == "HLHPN")
    assert union.spent_share == pytest.approx(3_500_000 / 3_000_000)
    assert union.spent == {"city": 1_000_000, "central": 500_000, "mobilised": 2_000_000}


def test_a_commune_supervisor_sees_their_communes_money(app, spending):
    local = User(username="xa", role="supervisor", area_code="90002")
    money = spent_against_allocated(local, Filters(), YEAR)
    assert accounts(money.communes) == {"90002": (4_000_000, 3_000_000, 3)}
    assert accounts(money.bodies) == {"HLHPN": (3_000_000, 2_000_000, 1), "UBND-90002": (1_000_000, 1_000_000, 2)}


def test_the_money_page_and_the_body_table(client, make_user, login, spending):
    login(make_user("supervisor", username="thanhpho"))
    page = client.get("/coverage/money?lang=en")
    assert page.status_code == 200
    text = page.text
    assert "Spent against allocated" in text and "City Women&#39;s Union" in text
    assert "20,000,000" in text and "4,500,000" in text and "source not stated" in text
    vi = client.get("/coverage/money?lang=vi").text
    assert "20.000.000" in vi and "Theo nguồn kinh phí" in vi and "ngân sách thành phố" in vi
    coverage = client.get("/coverage?lang=en").text
    assert "By implementing body" in coverage
    section = coverage[coverage.index("By implementing body") :]
    assert section.index("City Women&#39;s Union") < section.index("People&#39;s Committee of Xã Bình Thử")
    assert "3,500,000" in section  # the union's spending, in the body table


def test_exports_carry_cost_and_source(client, make_user, login, spending):
    login(make_user("supervisor", username="thanhpho"))
    text = client.get("/export/activities.csv?codes=1").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["cost_vnd"], r["funding_source"]) for r in rows) == sorted(
        [
            ("1000000", "city"),
            ("500000", "central"),
            ("2000000", "mobilised"),
            ("700000", "other"),
            ("300000", ""),
            ("", ""),
        ]
    )
    words = client.get("/export/activities.csv?lang=vi").get_data(as_text=True)
    assert "Kinh phí (đồng)" in words.splitlines()[0] and "vốn huy động" in words


def test_the_report_breaks_down_by_body_and_shows_the_money(client, make_user, login, spending):
    import openpyxl

    from fieldkit.periods import quarter_of
    from tests.factories import VN

    login(make_user("supervisor", username="thanhpho"))
    quarter = quarter_of(datetime.now(VN).date())
    page = client.get(f"/reports/{quarter}?lang=en").text
    bodies = page[page.index('class="by-body"') :]
    assert 'data-row="body/HLHPN"' in bodies and 'data-row="body/UBND-90002"' in bodies
    union_row = bodies[bodies.index('data-row="body/HLHPN"') :].split("</tr>")[0]
    assert ">3<" in union_row and ">3,500,000<" in union_row  # 3 entries, 3.5 million đồng
    money = page[page.index('class="money"') :]
    assert ">20,000,000<" in money and ">4,500,000<" in money and "22.5%" in money
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/{quarter}.xlsx?lang=en").data))
    assert {"By body", "Money"} <= set(book.sheetnames)
    by_body = {row[1]: row[2:] for row in book["By body"].iter_rows(min_row=4, values_only=True)}
    assert by_body["City Women's Union"][0] == 3 and by_body["City Women's Union"][-1] == 3_500_000
    sheet = list(book["Money"].iter_rows(values_only=True))
    assert ("Total", 20_000_000, 4_500_000, 0.225) in sheet
