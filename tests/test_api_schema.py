"""Schemathesis checks the JSON API against /api/v1/openapi.json: no 5xx, every answer as documented.

The document is read at collection, over WSGI, from an app without a database (it is built from the form
classes, not from data). Each test then sends the generated requests in-process to the test's own app, on a
database with the two test communes, some activities and a user with an API token. Schemathesis' pytest
fixture loader (schemathesis.pytest.from_fixture) does not run on pytest 9.2 (it sets Node._nodeid, which pytest
9.2 no longer has), hence the document read at collection.
"""

from datetime import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from fieldkit import create_app
from fieldkit.extensions import db
from fieldkit.models import ApiToken, Banner
from fieldkit.models.token import hash_token
from tests.factories import INSIDE_B, VN, talk
from tests.test_banners_assets import banner_entry

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 12  # per operation and generation mode in the fuzzing phase; the coverage phase adds its boundary cases
OWN_ENTRY = "5e0c6a53-1f2b-4c8d-9e7a-3b4c5d6e7f80"  # the officer's: photos are PUT to a real entry
OWN_BANNER, OWN_INSPECTION = "BANN3R", "7d1e2f30-4a5b-4c6d-8e9f-0a1b2c3d4e5f"  # inspections go to a real banner
CONFIG = {
    "seed": 20251120,
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
}
# Each example is a real request on a real database, and the activity body has many bounded fields: Hypothesis'
# "too slow", "filter too much" and "data too large" checks would judge the app and the schema's size, not the
# generator. The function-scoped app is shared by an operation's examples on purpose: they pile up on one
# database, as real traffic does.
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def load(**config) -> schemathesis.BaseSchema:
    """The document as the app serves it, with Schemathesis configured as above plus ``config``."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", app, config=schemathesis.Config.from_dict({**CONFIG, **config})
    )


# The officer: every operation but /coverage (supervisors only: the city supervisor's run covers it).
officer_schema = load(
    operations=[
        {"include-path": "/activities/{uuid}/photos/{n}", "parameters": {"uuid": OWN_ENTRY}},
        {"include-path-regex": "^/banners/\\{code\\}", "parameters": {"code": OWN_BANNER}},
        {"include-path": "/banners/{code}/inspections/{uuid}/photos/{n}", "parameters": {"uuid": OWN_INSPECTION}},
    ]
).exclude(path="/coverage")
# The city supervisor: every read, on entries of every commune (their refused writes are tested elsewhere).
supervisor_schema = load().include(method="GET")


def bearer(user) -> dict:
    """Give the user an API token; return the header that sends it."""
    secret = f"fk_schema_{user.username}"
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(secret), label="schemathesis"))
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


# The WSGI transport hands schemathesis the body as sent; real clients undo the compression the app applies.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture
def as_officer(app, areas, make_user):
    """An officer with a token and two entries of their own, one in each commune."""
    headers = bearer(make_user("officer", areas[0]))
    client = app.test_client()
    for body in (talk(uuid=OWN_ENTRY), talk(lat=INSIDE_B[0], lon=INSIDE_B[1], declared_area_code=areas[1])):
        assert client.post("/api/v1/activities", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/activities", json=banner_entry(quantity=1), headers=headers).status_code == 201
    db.session.execute(db.update(Banner).values(code=OWN_BANNER))
    db.session.commit()
    inspection = {"uuid": OWN_INSPECTION, "state": "standing", "observed_at": datetime.now(VN).isoformat()}
    assert client.post(f"/api/v1/banners/{OWN_BANNER}/inspections", json=inspection, headers=headers).status_code == 201
    return headers


@pytest.fixture
def as_city_supervisor(app, areas, make_user):
    """A city supervisor (no commune: sees everything) with a token, over an officer's entries in both communes."""
    officer = bearer(make_user("officer", areas[0]))
    client = app.test_client()
    for body in (talk(), talk(), talk(lat=INSIDE_B[0], lon=INSIDE_B[1], declared_area_code=areas[1])):
        assert client.post("/api/v1/activities", json=body, headers=officer).status_code == 201
    return bearer(make_user("supervisor"))


@officer_schema.parametrize()
@SETTINGS
def test_api_as_officer(case, app, as_officer):
    case.call_and_validate(app=app, headers={**as_officer, **PLAIN}, checks=CHECKS)


@supervisor_schema.parametrize()
@SETTINGS
def test_api_as_city_supervisor(case, app, as_city_supervisor):
    case.call_and_validate(app=app, headers={**as_city_supervisor, **PLAIN}, checks=CHECKS)
