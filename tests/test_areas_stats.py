"""`areas stats`: poverty statistics from a CSV file, checked row by row before anything is written."""

import pytest
from flask_babel import force_locale

from fieldkit.areas import stats_import
from fieldkit.extensions import db
from fieldkit.models import AreaStat

HEADER = "code,households,poor_households,near_poor_households"
KNOWN = {f"9000{n}" for n in range(1, 10)}


@pytest.fixture
def english(app):
    """Messages in English, for the services called directly and for the commands."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    with force_locale("en"):
        yield


def stats(year: int) -> dict:
    rows = db.session.scalars(db.select(AreaStat).filter_by(year=year))
    return {
        s.area_code: (s.households, s.poor_households, s.near_poor_households, s.source, s.illustrative) for s in rows
    }


def test_a_good_file_adds_a_year_then_updates_it(runner, areas, tmp_path):
    path = tmp_path / "ho_ngheo_2026.csv"
    path.write_text(f"{HEADER}\n90001,1200,30,60\n90002,800,10,25\n", encoding="utf-8")
    result = runner.invoke(args=["areas", "stats", str(path), "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "statistics for 2026: 2 added, 0 updated, 0 unchanged" in result.output
    assert stats(2026) == {
        "90001": (1200, 30, 60, "ho_ngheo_2026.csv", False),
        "90002": (800, 10, 25, "ho_ngheo_2026.csv", False),
    }
    assert runner.invoke(args=["areas", "stats", str(path), "--year", "2026"]).output.endswith(
        "0 added, 0 updated, 2 unchanged\n"
    )
    path.write_text(f"{HEADER}\n90001,1200,28,61\n", encoding="utf-8")
    result = runner.invoke(args=["areas", "stats", str(path), "--year", "2026", "--source", "Sở NN&MT, rà soát 2026"])
    assert "0 added, 1 updated, 0 unchanged" in result.output
    assert stats(2026)["90001"] == (1200, 28, 61, "Sở NN&MT, rà soát 2026", False)
    assert stats(2026)["90002"][3] == "ho_ngheo_2026.csv"  # rows not in the file stay as they were


def test_a_spreadsheet_export_with_bom_and_semicolons(runner, areas, tmp_path):
    db.session.execute(db.update(AreaStat).values(illustrative=True))
    db.session.commit()
    path = tmp_path / "thong_ke.csv"
    text = "Code;Households;Poor_households;Near_poor_households;Tên xã\r\n"
    text += '90001;"1.234";12;30;An Thử\r\n;;;;\r\n90002;980;9;0;"Bình\r\nThử"\r\n'
    path.write_bytes(text.encode("utf-8-sig"))
    result = runner.invoke(args=["areas", "stats", str(path), "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "statistics for 2025: 0 added, 2 updated, 0 unchanged" in result.output
    assert stats(2025) == {"90001": (1234, 12, 30, "thong_ke.csv", False), "90002": (980, 9, 0, "thong_ke.csv", False)}


def test_every_bad_row_is_named_by_its_spreadsheet_row(english):
    data = "\n".join(
        [
            f"{HEADER},ghi_chu",
            '90001,1000,20,50,"two lines\nin one cell"',  # row 2
            "99999,10,1,1,",  # row 3
            "90001,100,1,1,",  # row 4
            "90003,,5,5,",  # row 5
            "90004,12.5,1,1,",  # row 6
            "90005,100,-1,0,",  # row 7
            "90006,100,101,0,",  # row 8
            "90007,100,60,41,",  # row 9
            ",100,1,x,",  # row 10
            ",,,,",  # row 11: blank, skipped
            "90008,1.234,1,1,",  # row 12: fine, 1234 as a Vietnamese spreadsheet shows it
        ]
    ).encode()
    with pytest.raises(stats_import.StatsProblem) as caught:
        stats_import.parse(data, KNOWN)
    assert caught.value.problems == [
        (3, "unknown commune code 99999"),
        (4, "the code 90001 is already on row 2"),
        (5, "households is missing"),
        (6, "households is not a whole number: 12.5"),
        (7, "poor_households must not be negative: -1"),
        (8, "poor_households (101) exceed households (100)"),
        (9, "poor_households + near_poor_households (101) exceed households (100)"),
        (10, "the code is missing"),
        (10, "near_poor_households is not a whole number: x"),
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"code,households,poor_households\n90001,1,0\n", (1, "Missing columns: near_poor_households.")),
        (b"", (1, "The file is empty.")),
        (f"{HEADER}\n90001,10,1,1\n90002,10,1,1 Th\xe1".encode("latin-1"), (3, "The file is not UTF-8 text.")),
    ],
)
def test_file_level_problems(english, data, problem):
    with pytest.raises(stats_import.StatsProblem) as caught:
        stats_import.parse(data, KNOWN)
    assert caught.value.problems == [problem]


def test_a_file_with_bad_rows_writes_nothing(runner, english, areas, tmp_path):
    before = stats(2025)
    path = tmp_path / "sai.csv"
    path.write_text(f"{HEADER}\n90001,1,0,0\n90002,10,20,0\n", encoding="utf-8")
    result = runner.invoke(args=["areas", "stats", str(path), "--year", "2025"])
    assert result.exit_code != 0
    assert "nothing imported from sai.csv; 1 problem(s):\n  - row 3: poor_households (20) exceed households (10)" in (
        result.output
    )
    assert stats(2025) == before
    assert runner.invoke(args=["areas", "stats", str(path)]).exit_code != 0  # --year is required
