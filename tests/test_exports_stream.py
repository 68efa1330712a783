"""Exports stream: the first bytes leave before the last row is read, and memory stays flat as rows grow."""

import csv
import io
import json
import tracemalloc
import uuid as uuid_module
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import insert

from fieldkit.exports import rows as rows_module
from fieldkit.exports import to_csv, to_geojson, to_kml, to_xlsx
from fieldkit.exports.columns import COLUMNS, NAMES, TYPE_FIELDS, neutralise, text_xml
from fieldkit.extensions import db
from fieldkit.models import Activity

VN = timezone(timedelta(hours=7))
TYPES = {"talk": ("Nói chuyện", "#c0392b"), "banner": ("Pa-nô", "#2471a3")}
HEADERS = [column.name for column in COLUMNS]
parse_xml = ET.fromstring  # our own output


def synthetic(count: int, seen: list | None = None):
    """Yield export rows made on the fly (every fourth without a position); note each row taken in seen."""
    start = datetime(2025, 11, 1, 8, 0, tzinfo=VN)
    for n in range(count):
        if seen is not None:
            seen.append(n)
        details = dict.fromkeys(TYPE_FIELDS)
        details.update(participants=n % 90, poor_members=n % 7, format="talk", speaker="Cán bộ Hội Nông dân")
        located = n % 4 != 0
        yield (
            str(uuid_module.UUID(int=n)),
            "talk",
            start + timedelta(minutes=n),
            10.0 + n * 1e-6 if located else None,
            105.7 + n * 1e-6 if located else None,
            12.5 if located else None,
            "gps" if located else "none",
            "31150",
            f"Tuyên truyền giảm nghèo số {n}",
            "Người dân ấp Mỹ Phước tham dự đông đủ.",
            *details.values(),
            "31150",
            "Phường An Bình",
            "canbo1",
            datetime(2025, 11, 1, 1, 0) + timedelta(minutes=n),
            "submitted",
            "",
            ["low_accuracy"] if n % 10 == 0 else [],
            n % 3,
            [f"http://h/activities/{n}/photos/{i}.jpg" for i in range(n % 3)],
            "HND",
            "Hội Nông dân thành phố",
            1_500_000 if n % 2 else None,
            "city" if n % 2 else None,
        )


WRITERS = {
    "csv": lambda rows: to_csv.write(COLUMNS, rows),
    "geojson": lambda rows: to_geojson.write(COLUMNS, rows),
    "xlsx": lambda rows: to_xlsx.write(COLUMNS, rows, HEADERS, "UTC offset", "Activities"),
    "kml": lambda rows: to_kml.write(COLUMNS, rows, HEADERS, "t", "d", TYPES),
}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_first_bytes_leave_before_the_last_row_is_read(fmt):
    seen: list[int] = []
    chunks = WRITERS[fmt](synthetic(50_000, seen))
    first = next(chunks)
    assert first and seen == []  # the head goes out before the first row is even asked for
    taken = 0
    for chunk in chunks:
        taken += len(chunk)
        if taken > 10_000:
            break
    assert 0 < len(seen) < 50_000 / 2  # rows already on their way while most are still unread
    chunks.close()


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_memory_stays_flat_as_rows_grow(fmt):
    def peak(count: int) -> int:
        tracemalloc.start()
        for _chunk in WRITERS[fmt](synthetic(count)):
            pass
        _size, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(1_000), peak(8_000)
    assert large < small * 1.5 + 200_000, (small, large)  # eight times the rows, about the same memory


def test_xlsx_goes_on_to_a_new_sheet_when_one_is_full(monkeypatch):
    monkeypatch.setattr(to_xlsx, "MAX_ROWS", 3)
    data = b"".join(WRITERS["xlsx"](synthetic(7)))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Activities", "Activities 2", "Activities 3"]
    assert [sheet.max_row for sheet in book.worksheets] == [4, 4, 2]  # each with its header
    uuids = [row[0] for sheet in book.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert uuids == [str(uuid_module.UUID(int=n)) for n in range(7)]


def test_empty_exports_are_still_valid_files():
    assert list(csv.reader(io.StringIO(b"".join(WRITERS["csv"]([])).decode("utf-8-sig")))) == [list(NAMES)]
    assert json.loads(b"".join(WRITERS["geojson"]([]))) == {
        "type": "FeatureCollection",
        "features": [],
        "fieldkit:missing_position": 0,
    }
    assert openpyxl.load_workbook(io.BytesIO(b"".join(WRITERS["xlsx"]([])))).active.max_row == 1
    assert parse_xml(b"".join(WRITERS["kml"]([]))).tag.endswith("kml")


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-5 hộ", "'-5 hộ"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Bình thường", "Bình thường"),
        ("", ""),
    ],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe


def test_xml_text_drops_what_xml_cannot_hold_and_keeps_carriage_returns():
    assert text_xml("a\x00b\x1f<c>&\r\n") == "ab&lt;c&gt;&amp;&#13;\n"
    assert to_xlsx.column_letter(1) == "A" and to_xlsx.column_letter(43) == "AQ" and to_xlsx.column_letter(703) == "AAA"


@pytest.fixture
def many(app, make_user, areas):
    """Forty stored activities of one officer, inserted in bulk."""
    officer = make_user("officer", areas[0])
    start = datetime(2025, 11, 1, 1, 0)
    db.session.execute(
        insert(Activity),
        [
            {
                "uuid": str(uuid_module.uuid4()),
                "type": "talk",
                "occurred_at": start + timedelta(hours=n),
                "utc_offset_min": 420,
                "officer_id": officer.id,
                "lat": 10.01,
                "lon": 105.71,
                "location_source": "gps",
                "area_code": areas[0],
                "topic": f"Buổi {n}",
                "details": {"format": "talk", "participants": n},
                "flags": [],
                "content_hash": "x",
                "status": "submitted",
            }
            for n in range(40)
        ],
    )
    db.session.commit()
    return officer


def test_the_response_streams_rows_as_the_query_yields_them(client, login, many, monkeypatch):
    converted = []
    real = rows_module.to_tuple
    monkeypatch.setattr(rows_module, "to_tuple", lambda row: converted.append(1) or real(row))
    monkeypatch.setattr(to_csv, "CHUNK", 1)  # send each row as it comes
    login(many)
    response = client.get("/export/activities.csv?codes=1")
    assert response.status_code == 200 and response.is_streamed
    assert "Content-Length" not in response.headers
    chunks = response.response
    head = next(chunks)
    assert head.startswith(b"\xef\xbb\xbfuuid,")
    first_row = next(chunks)
    assert b"Bu\xe1\xbb\x95i 39" in first_row  # newest first
    assert len(converted) == 1  # one row converted when the first row left; 39 still in the database
    rest = b"".join(chunks)
    assert len(converted) == 40 and rest.count(b"\r\n") == 39
