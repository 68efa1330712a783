"""Integers of 10^309 and more (past any float) are refused naming the field, by the API, the page and admin forms."""

import json

import pytest

from fieldkit.extensions import db
from fieldkit.models import Activity
from tests.factories import talk
from tests.test_field_pages import form_data

GOOGOL_CUBED = "1" + "0" * 309  # 10^309: float() is inf and NumberRange's isnan(int) overflows
HUGE = [("participants", int(GOOGOL_CUBED)), ("women", GOOGOL_CUBED), ("duration_min", -(10**400)), ("copies", 10**309)]


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")


@pytest.mark.parametrize(("name", "value"), HUGE, ids=[name for name, _ in HUGE])
def test_the_api_refuses_integers_past_any_float_naming_the_field(client, officer, english, name, value):
    body = talk(**{name: value}) if name != "copies" else talk(type="leaflet", material="Tờ rơi", copies=value)
    response = client.post("/api/v1/activities", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.text[:300]
    assert name in response.json["fields"] and name in response.json["message"]
    assert "between" in response.json["fields"][name][0]
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_the_page_form_refuses_them_naming_the_field(client, officer, english):
    response = client.post("/activities/new", data=form_data(participants=GOOGOL_CUBED))
    assert response.status_code == 400 and "Number must be between 0 and 100000" in response.text


def test_the_admin_targets_form_refuses_them(client, make_user, login, areas, english):
    login(make_user("admin"))
    response = client.post("/admin/targets/90001/2025", data={"talk": GOOGOL_CUBED})
    assert response.status_code == 400 and "Number must be between" in response.text
