"""Plan targets: the CSV import (all rows or none, errors by row), the admin pages, progress against targets."""

import csv
import io

import openpyxl
import pytest

from fieldkit.activity_types import TYPES
from fieldkit.extensions import db
from fieldkit.models import Target
from fieldkit.targets import services
from tests.factories import talk

GOOD = "code,year,type,quantity\n90001,2025,talk,12\n90001,2025,banner,4\n90002,2025,talk,8\n"


def stored() -> set[tuple[str, int, str, int]]:
    return {(t.area_code, t.year, t.type, t.quantity) for t in db.session.scalars(db.select(Target))}


def test_a_good_file_creates_then_updates(app, areas):
    result = services.import_csv(GOOD.encode())
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert stored() == {("90001", 2025, "talk", 12), ("90001", 2025, "banner", 4), ("90002", 2025, "talk", 8)}
    again = services.import_csv("\ufeffCode;Year;Type;Quantity\r\n90001;2025;talk;15\r\n90002;2025;talk;8\r\n\r\n")
    db.session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert ("90001", 2025, "talk", 15) in stored()


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(app, areas):
    text = (
        "code,year,type,quantity\n"
        "90001,2025,talk,12\n"  # row 2: fine
        "99999,2025,talk,3\n"  # row 3: unknown commune
        "90001,2025,poster,3\n"  # row 4: unknown type
        "90002,2025,banner,-5\n"  # row 5: negative
        "90001,2025,talk,7\n"  # row 6: repeats row 2
        "90002,20x5,media,1\n"  # row 7: bad year
        "90002,2025,media,many\n"  # row 8: not a number
    )
    with pytest.raises(services.TargetFileError) as error:
        services.import_csv(text.encode())
    found = [(e.row, e.column) for e in error.value.errors]
    assert found == [(3, "code"), (4, "type"), (5, "quantity"), (6, "code"), (7, "year"), (8, "quantity")]
    with app.test_request_context("/?lang=en"):
        messages = [str(e) for e in error.value.errors]
    assert messages[0] == "row 3, code: unknown commune code '99999'."
    assert "repeats row 2" in messages[3] and "negative" in messages[2] and "poster" in messages[1]
    assert stored() == set()


@pytest.mark.parametrize(
    "data, says",
    [
        (b"code,year,quantity\n90001,2025,1\n", "missing columns type"),
        (b"code,year,type,quantity\n", "no rows"),
        ("code,year,type,quantity\n90001,2025,talk,1\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_files_that_are_not_target_tables(app, areas, data, says):
    with pytest.raises(services.TargetFileError) as error:
        services.import_csv(data)
    with app.test_request_context("/?lang=en"):
        assert says in str(error.value.errors[0])


def test_progress_counts_done_against_targets(app, areas):
    services.import_csv(b"code,year,type,quantity\n90001,2025,talk,10\n90002,2025,talk,5\n90001,2025,media,0\n")
    counts = {"90001": {"talk": 4, "banner": 2}, "90002": {"talk": 5}}
    progress = services.progress(["90001", "90002"], 2025, counts)
    a = progress.areas["90001"]
    assert (a.cells["talk"].target, a.cells["talk"].done, a.cells["talk"].ratio) == (10, 4, 0.4)
    assert (a.cells["banner"].target, a.cells["banner"].done, a.cells["banner"].ratio) == (None, 2, None)
    assert a.cells["media"].ratio is None  # a zero target has no ratio
    total = progress.total.cells["talk"]
    assert (total.target, total.done, total.ratio) == (15, 9, 0.6)
    assert progress.total.cells["banner"].target is None and progress.has_targets
    assert not services.progress(["90001"], 2026, counts).has_targets


def test_year_progress_follows_the_users_scope(app, client, officer, make_user):
    assert client.post("/api/v1/activities", json=talk(occurred_at="2025-06-01T09:00:00+07:00")).status_code == 201
    services.import_csv(b"code,year,type,quantity\n90001,2025,talk,4\n90002,2025,talk,6\n")
    db.session.commit()
    city = services.year_progress(make_user("supervisor"), 2025)
    assert city.total.cells["talk"] == services.Cell(10, 1, 1)
    commune = services.year_progress(make_user("supervisor", "90002"), 2025)
    assert list(commune.areas) == ["90002"] and commune.total.cells["talk"].done == 0


def test_the_progress_partial_renders(app, areas):
    from flask import render_template_string

    services.import_csv(b"code,year,type,quantity\n90001,2025,talk,10\n")
    progress = services.progress(["90001"], 2025, {"90001": {"talk": 4}})
    with app.test_request_context("/?lang=en"):
        html = render_template_string('{% include "targets/_progress.html" %}', progress=progress)
    assert "4 of 10" in html and "40%" in html and "no target" in html
    with app.test_request_context("/?lang=en"):
        empty = render_template_string(
            '{% include "targets/_progress.html" %}', progress=services.progress(["90001"], 2030, {})
        )
    assert "No targets are set for 2030" in empty


def test_the_command_imports_or_names_the_bad_rows(runner, areas, tmp_path):
    good = tmp_path / "targets.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["targets", "import", str(good)])
    assert result.exit_code == 0 and "3 new" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,year,type,quantity\n90001,2025,talk,-1\n", encoding="utf-8")
    result = runner.invoke(args=["targets", "import", str(bad)])
    assert result.exit_code != 0 and "nothing was imported" in result.output
    assert len(stored()) == 3


@pytest.mark.parametrize("role, status", [("officer", 403), ("supervisor", 403), ("admin", 200)])
def test_only_admins_see_the_targets_pages(client, make_user, login, areas, role, status):
    login(make_user(role))
    assert client.get("/admin/targets").status_code == status
    assert client.get("/admin/targets/90001/2025").status_code == status
    upload = {"file": (io.BytesIO(GOOD.encode()), "t.csv")}
    response = client.post("/admin/targets/upload?year=2025", data=upload, content_type="multipart/form-data")
    assert response.status_code == (302 if role == "admin" else 403)
    assert len(stored()) == (3 if role == "admin" else 0)


def test_the_targets_page_uploads_lists_and_edits(client, make_user, login, areas):
    login(make_user("admin"))
    bad = {"file": (io.BytesIO(b"code,year,type,quantity\n90001,2025,talk,x\n"), "t.csv")}
    response = client.post("/admin/targets/upload?year=2025&lang=en", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400 and "row 2, quantity: &#39;x&#39; is not a whole number." in response.text
    assert stored() == set()
    good = {"file": (io.BytesIO(GOOD.encode()), "t.csv")}
    client.post("/admin/targets/upload?year=2025", data=good, content_type="multipart/form-data")
    page = client.get("/admin/targets?year=2025").text
    assert 'id="area-90001"' in page and "12" in page
    response = client.post("/admin/targets/90001/2025", data={"talk": "20", "banner": "", "media": "3"})
    assert response.status_code == 302
    assert {t for t in stored() if t[0] == "90001"} == {("90001", 2025, "talk", 20), ("90001", 2025, "media", 3)}
    assert client.post("/admin/targets/90001/2025", data={"talk": "-1"}).status_code == 400
    assert client.get("/admin/targets/77777/2025").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, areas):
    response = client.get("/admin/targets")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def template_rows(client, fmt: str) -> list[list]:
    response = client.get(f"/admin/targets/template-2025.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="chi-tieu-2025.{fmt}"'
    if fmt == "csv":
        assert response.data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_lists_every_commune_in_vietnamese_and_comes_back(client, make_user, login, areas, fmt):
    login(make_user("admin"))
    services.import_csv(GOOD.encode())
    db.session.commit()
    rows = template_rows(client, fmt)
    assert rows[0] == ["Mã xã/phường", "Xã/phường", "Năm", "Loại hoạt động", "Chỉ tiêu (số hoạt động)"]
    assert len(rows) - 1 == 2 * 5  # every commune × every type
    talk_name = "Nói chuyện chuyên đề / đối thoại / hội nghị"
    assert [str(c) if c is not None else "" for c in rows[1]] == ["90001", "Phường An Thử", "2025", talk_name, "12"]
    assert len({row[3] for row in rows[1:]}) == len(TYPES) and "talk" not in {row[3] for row in rows[1:]}
    banner = next(row for row in rows[1:] if row[0] == "90002" and row[3] == "Pa-nô, băng rôn, khẩu hiệu")
    banner[4] = 6  # the administrator fills one quantity in
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        body = buffer.getvalue().encode("utf-8-sig")
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        body = out.getvalue()
    upload = {"file": (io.BytesIO(body), f"chi-tieu-2025.{fmt}")}
    response = client.post("/admin/targets/upload?year=2025", data=upload, content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    assert stored() == {
        ("90001", 2025, "talk", 12),
        ("90001", 2025, "banner", 4),
        ("90002", 2025, "talk", 8),
        ("90002", 2025, "banner", 6),
    }


def test_english_headers_and_type_names_are_accepted_too(app, areas):
    text = "Commune code,Year,Activity type,Target (activities)\n90001,2025,Leaflets and documents,3\n"
    services.import_csv(text.encode())
    assert stored() == {("90001", 2025, "leaflet", 3)}
