"""GET /api/v1/coverage: the service's numbers in DESIGN §6's shape, the same filters, the same permissions."""

from datetime import date, datetime, timedelta

import pytest

from fieldkit.activities.coverage import compute
from fieldkit.activities.queries import Filters
from fieldkit.extensions import db
from fieldkit.models import ApiToken
from fieldkit.models.token import hash_token
from tests.factories import VN
from tests.test_coverage_service import EMPTY, add, build_campaign

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
DESIGN_KEYS = {
    "code",
    "name",
    "households",
    "poor_households",
    "near_poor_households",
    "poverty_rate",
    "multidimensional_rate",
    "activities",
    "households_reached",
    "reach",
    "gap_score",
    "last_activity",
}
EXTRA_KEYS = {
    "kind",
    "items",
    "people",
    "poor_households_reached",
    "near_poor_households_reached",
    "approximate",
    "illustrative",
}


@pytest.fixture
def campaign(areas, make_user):
    return build_campaign(make_user)


@pytest.fixture
def supervisor(make_user, login):
    user = make_user("supervisor")
    login(user)
    return user


def get(client, **params):
    return client.get("/api/v1/coverage", query_string=params)


def test_the_shape_is_design_section_6(client, campaign, supervisor):
    body = get(client, **OCTOBER).json
    assert set(body) == {"period", "areas", "totals", "bodies"}  # bodies: issue 14
    assert body["period"] == {"from": "2026-10-01", "to": "2026-10-31", "default": False}
    assert [area["code"] for area in body["areas"]] == ["90001", "90002", "90003"]
    for area in body["areas"]:
        assert set(area) == DESIGN_KEYS | EXTRA_KEYS
        assert set(area["activities"]) == set(EMPTY)
    assert set(body["totals"]) == (DESIGN_KEYS | EXTRA_KEYS | {"communes", "communes_without_activity"}) - {
        "code",
        "name",
        "kind",
        "approximate",
    }


def test_the_numbers_worked_out_by_hand(client, campaign, supervisor):
    body = get(client, **OCTOBER).json
    a, b, c = body["areas"]
    assert a == {
        "code": "90001",
        "name": "Phường An Thử",
        "kind": "Phường",
        "households": 1000,
        "poor_households": 20,
        "near_poor_households": 50,
        "poverty_rate": pytest.approx(0.02),
        "multidimensional_rate": pytest.approx(0.07),
        "activities": {"talk": 1, "banner": 1, "leaflet": 1, "broadcast": 1, "media": 1},
        "households_reached": 43,
        "reach": pytest.approx(43 / 70),
        "gap_score": pytest.approx(0.027),
        "last_activity": "2026-10-31T16:59:00Z",
        "items": 212,
        "people": 100,
        "poor_households_reached": 15,
        "near_poor_households_reached": 28,
        "approximate": False,
        "illustrative": False,
    }
    assert (b["households_reached"], b["reach"], b["gap_score"]) == (80, 1.0, 0.0)
    assert (c["households"], c["poverty_rate"], c["multidimensional_rate"], c["reach"], c["gap_score"]) == (
        None,
        None,
        None,
        None,
        None,
    )
    totals = body["totals"]
    assert totals["activities"] == {"talk": 2, "banner": 2, "leaflet": 1, "broadcast": 1, "media": 1}
    assert (totals["households"], totals["households_reached"], totals["items"], totals["communes"]) == (
        2000,
        123,
        219,
        3,
    )
    assert totals["reach"] == pytest.approx(123 / 140)


@pytest.mark.parametrize(
    "params",
    [
        {},
        OCTOBER,
        {**OCTOBER, "type": "talk"},
        {**OCTOBER, "officer": "o2"},
        {**OCTOBER, "status": "verified"},
        {"area": "90002"},
        {"from": "2026-11-01"},
        {"to": "2026-09-30"},
    ],
)
def test_same_numbers_as_the_service(app, client, campaign, supervisor, params):
    body = get(client, **params).json
    start, end = date.fromisoformat(body["period"]["from"]), date.fromisoformat(body["period"]["to"])
    filters = Filters(start, end, params.get("type"), params.get("area"), params.get("officer"), params.get("status"))
    expected = compute(supervisor, filters)
    assert body["areas"] == [area.as_dict() for area in expected.areas]
    assert body["totals"] == expected.totals.as_dict()


def test_without_dates_the_last_90_days_up_to_today(client, areas, supervisor, make_user):
    officer = make_user("officer", "90001")
    now = datetime.now(VN)
    add(officer, "banner", (now - timedelta(days=89)).strftime("%Y-%m-%dT00:05"), quantity=1)
    add(officer, "banner", (now - timedelta(days=90)).strftime("%Y-%m-%dT23:55"), quantity=10)
    body = get(client).json
    today = now.date()
    assert body["period"] == {
        "from": (today - timedelta(days=89)).isoformat(),
        "to": today.isoformat(),
        "default": True,
    }
    assert body["totals"]["items"] == 1


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"from": "26/11/2026"}, {"from"}),
        ({"from": "2026-10-31", "to": "2026-10-01"}, {"to"}),
        ({"type": "party"}, {"type"}),
        ({"status": "lost"}, {"status"}),
        ({"officer": "x" * 65, "area": "1" * 11}, {"officer", "area"}),
    ],
)
def test_bad_filters_answer_400_naming_the_fields(client, areas, supervisor, params, fields):
    response = get(client, **params)
    assert response.status_code == 400
    assert response.json["error"] == "invalid" and set(response.json["fields"]) == fields


def test_anonymous_is_401(client, areas):
    response = get(client)
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_officers_are_403(client, officer):
    response = get(client)
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_a_commune_supervisor_gets_their_commune(client, campaign, make_user, login):
    login(make_user("supervisor", "90002"))
    body = get(client, **OCTOBER).json
    assert [area["code"] for area in body["areas"]] == ["90002"]
    assert get(client, **OCTOBER, area="90001").json["areas"] == []


def test_bearer_tokens_work(client, campaign, make_user):
    token = ApiToken.generate()
    db.session.add(ApiToken(user_id=make_user("admin").id, token_hash=hash_token(token)))
    db.session.commit()
    response = client.get("/api/v1/coverage", query_string=OCTOBER, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["totals"]["households_reached"] == 123


def test_openapi_describes_coverage(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/coverage"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "type", "area", "officer", "status", "org"}
    schema = document["components"]["schemas"]["Coverage"]
    assert set(schema["properties"]["areas"]["items"]["properties"]) == DESIGN_KEYS | EXTRA_KEYS
