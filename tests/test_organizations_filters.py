"""The org filter on the API, pages and exports, GET /api/v1/organizations, and the administrators' body pages."""

import csv
import io

import pytest
import sqlalchemy as sa

from fieldkit.extensions import db
from fieldkit.models import Area, AuditEvent, Organization
from tests.factories import INSIDE_B, PASSWORD, talk

API = "/api/v1/activities"


@pytest.fixture
def recorded(app, make_user, bodies):
    """Two entries by a Women's Union officer in commune A, one by a committee officer in commune B."""
    union = make_user("officer", "90001", username="phunu")
    union.organization = bodies["HLHPN"]
    committee = make_user("officer", "90002", username="uyban")
    committee.organization = bodies["UBND-90002"]
    db.session.commit()
    for user, bodies_sent in ((union, [talk(), talk(participants=30)]), (committee, [talk(**_in_b())])):
        client = app.test_client()
        client.post("/login", data={"username": user.username, "password": PASSWORD})
        for body in bodies_sent:
            assert client.post(API, json=body).status_code == 201
    return union, committee


def _in_b():
    return {"lat": INSIDE_B[0], "lon": INSIDE_B[1], "declared_area_code": "90002"}


@pytest.fixture
def city(make_user, login, areas):
    user = make_user("supervisor", username="thanhpho")
    login(user)
    return user


def test_organizations_lists_every_body_and_one_kind(client, city, bodies):
    items = client.get("/api/v1/organizations").json["items"]
    assert items[0]["code"] == "SNNMT" and items[0]["kind"] == "department"
    assert {"UBND-90001", "UBND-90002", "MTTQ", "BAOCT"} <= {item["code"] for item in items}
    assert items[-1]["kind"] == "commune_committee" and items[-1]["area_code"] in ("90001", "90002")
    press = client.get("/api/v1/organizations?kind=press").json["items"]
    assert [(p["code"], p["name_en"]) for p in press] == [
        ("BAOCT", "Can Tho newspaper"),
        ("PTTHCT", "Can Tho Radio and Television"),
    ]
    bad = client.get("/api/v1/organizations?kind=club&lang=en")
    assert bad.status_code == 400 and list(bad.json["fields"]) == ["kind"]


def test_organizations_are_searched_without_tone_marks_and_limited(client, city, bodies):
    found = client.get("/api/v1/organizations?q=phu nu").json["items"]
    assert [item["code"] for item in found] == ["HLHPN"]  # "Hội Liên hiệp Phụ nữ thành phố"
    assert [i["code"] for i in client.get("/api/v1/organizations?q=SO TAI").json["items"]] == ["STC"]  # Sở Tài chính
    assert [i["code"] for i in client.get("/api/v1/organizations?q=ubnd-90002").json["items"]] == ["UBND-90002"]
    assert [i["code"] for i in client.get("/api/v1/organizations?q=can tho&kind=press").json["items"]] == [
        "BAOCT",
        "PTTHCT",
    ]
    assert len(client.get("/api/v1/organizations?q=ubnd&limit=1").json["items"]) == 1
    assert client.get("/api/v1/organizations?q=nothing like it").json["items"] == []
    for bad in ("limit=0", "limit=101", "limit=many", "q=" + "x" * 101):
        answer = client.get(f"/api/v1/organizations?{bad}&lang=en")
        assert answer.status_code == 400 and list(answer.json["fields"]) == [bad.split("=")[0]], bad


def test_past_the_listed_maximum_a_filter_choice_is_a_search_box(app, client, city, bodies, make_user):
    make_user("officer", "90001", username="phunu")
    make_user("officer", "90002", username="uyban")
    listed = client.get("/coverage")
    assert '<select name="org">' in listed.text and "data-search=" not in listed.text
    app.config["FIELDKIT_CHOICES_LISTED_MAX"] = 1  # a country's thousands, in small
    pages = {
        "/coverage?org=HLHPN&officer=phunu": ("org", "officer"),
        "/map?org=HLHPN&area=90001": ("org", "area"),
        "/review?org=HLHPN&status=&area=90001&officer=phunu": ("org", "area", "officer"),
        "/activities?org=HLHPN": ("org",),
    }
    for page, names in pages.items():
        text = client.get(page).text
        for name in names:
            assert f'<select name="{name}">' not in text, (page, name)
            assert f'list="{name}-found"' in text and f'data-search="/choices/{name}"' in text, (page, name)
        assert '<option value="HLHPN">Hội Liên hiệp Phụ nữ thành phố</option>' in text  # only the chosen one
        assert text.count("<option value=") < 40 and "choice-search.js" in text
    bad = client.get("/coverage?org=NOPE&lang=en")
    assert bad.status_code == 400 and "Unknown body code NOPE" in bad.text and 'value="NOPE"' in bad.text


def test_the_search_of_choices_answers_the_first_matches_in_the_interface_language(client, city, bodies):
    assert client.get("/choices/org?q=phu nu").json["items"] == [["HLHPN", "Hội Liên hiệp Phụ nữ thành phố"]]
    assert client.get("/choices/org?q=women union&lang=en").json["items"] == [["HLHPN", "City Women's Union"]]
    assert client.get("/choices/org?q=").json["items"] == []
    assert len(client.get("/choices/org?q=u").json["items"]) <= 20
    assert client.get("/choices/area?q=90002").json["items"] == [["90002", db.session.get(Area, "90002").full_name]]
    assert len(client.get("/choices/org?q=" + "x" * 5000).json["items"]) == 0  # read up to 100 characters


def test_the_org_filter_on_the_api_list_and_coverage(client, city, recorded):
    union_items = client.get(f"{API}?org=hlhpn").json["items"]
    assert len(union_items) == 2 and {i["organization"] for i in union_items} == {"HLHPN"}
    assert {i["officer"] for i in union_items} == {"phunu"}
    committee = client.get(f"{API}?org=UBND-90002").json["items"]
    assert [i["officer"] for i in committee] == ["uyban"]
    assert client.get(f"{API}?org=HND").json["items"] == []
    unknown = client.get(f"{API}?org=NOPE&lang=en")
    assert unknown.status_code == 400 and "Unknown body code NOPE" in unknown.json["fields"]["org"][0]
    coverage = client.get("/api/v1/coverage?org=HLHPN").json
    assert sum(coverage["totals"]["activities"].values()) == 2 and coverage["totals"]["people"] == 70


def test_the_org_filter_on_the_pages(client, city, recorded):
    page = client.get("/coverage?org=HLHPN")
    assert page.status_code == 200 and '<option value="HLHPN" selected>' in page.text
    review = client.get("/review?org=HLHPN&status=")
    assert review.status_code == 200 and review.text.count("<small>Tuyên truyền giảm nghèo</small>") == 2
    assert client.get("/review?org=UBND-90002&status=").text.count("<small>Tuyên truyền giảm nghèo</small>") == 1
    assert client.get("/map?org=HLHPN").status_code == 200
    listed = client.get("/activities?org=UBND-90002")
    assert listed.status_code == 200 and listed.text.count('class="entry"') == 1
    bad = client.get("/coverage?org=NOPE&lang=en")
    assert bad.status_code == 400 and "Unknown body code NOPE" in bad.text


def test_exports_carry_the_body_and_take_the_filter(client, city, recorded):
    text = client.get("/export/activities.csv?codes=1&org=HLHPN").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 and {(r["organization"], r["organization_name"]) for r in rows} == {
        ("HLHPN", "Hội Liên hiệp Phụ nữ thành phố")
    }
    labelled = client.get("/export/activities.csv?lang=en").get_data(as_text=True)
    assert "Implementing body code" in labelled.splitlines()[0]


def test_export_command_takes_org(runner, recorded, tmp_path):
    out = tmp_path / "union.csv"
    result = runner.invoke(args=["export", "--format", "csv", "--out", str(out), "--org", "UBND-90002"])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))) == 1


def test_the_api_describes_org(client):
    document = client.get("/api/v1/openapi.json").json
    listing = document["paths"]["/activities"]["get"]["parameters"]
    assert {"name": "org", "in": "query"}.items() <= next(p for p in listing if p["name"] == "org").items()
    assert any(p["name"] == "org" for p in document["paths"]["/coverage"]["get"]["parameters"])
    assert "/organizations" in document["paths"]
    assert "organization" in document["components"]["schemas"]["Activity"]["properties"]


def test_administrators_create_and_edit_bodies(client, make_user, login, bodies):
    login(make_user("admin", username="quantri"))
    listed = client.get("/admin/organizations?lang=en").text
    assert "Department of Agriculture and Environment" in listed and "UBND-90001" in listed
    new = {"code": "sxd", "name_vi": "Sở Xây dựng", "name_en": "Department of Construction", "kind": "department"}
    assert client.post("/admin/organizations/new", data={**new, "active": "y"}).status_code == 302
    body = db.session.scalar(sa.select(Organization).filter_by(code="SXD"))
    assert (body.name_vi, body.kind, body.active) == ("Sở Xây dựng", "department", True)
    again = client.post("/admin/organizations/new?lang=en", data=new)
    assert again.status_code == 400 and "This code is taken." in again.text
    wrong = client.post("/admin/organizations/new?lang=en", data={**new, "code": "X", "kind": "commune_committee"})
    assert wrong.status_code == 400 and "needs its commune" in wrong.text
    edit = {"name_vi": "Sở Xây dựng thành phố", "name_en": "Department of Construction", "kind": "department"}
    assert client.post(f"/admin/organizations/{body.id}/edit", data=edit).status_code == 302  # active unticked
    db.session.refresh(body)
    assert (body.name_vi, body.active, body.code) == ("Sở Xây dựng thành phố", False, "SXD")
    event = db.session.scalar(sa.select(AuditEvent).filter_by(entity="organization", action="update"))
    assert event.before == {"name_vi": "Sở Xây dựng", "active": True}
    assert event.after == {"name_vi": "Sở Xây dựng thành phố", "active": False}
    form = client.get("/admin/users/new").text
    assert 'value="SXD"' not in form and 'value="SNNMT"' in form  # a body not in use is not offered


def test_the_coverage_api_breaks_down_by_body(client, city, recorded):
    bodies = {b["code"]: b for b in client.get("/api/v1/coverage").json["bodies"]}
    assert set(bodies) == {"HLHPN", "UBND-90002"}
    assert (sum(bodies["HLHPN"]["activities"].values()), bodies["HLHPN"]["people"]) == (2, 70)
    assert bodies["HLHPN"]["households_reached"] == 26 and bodies["HLHPN"]["communes"] == 1
    assert bodies["UBND-90002"]["kind"] == "commune_committee" and bodies["UBND-90002"]["people"] == 40
