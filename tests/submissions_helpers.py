"""Helpers for the reports' tests: entries in a period through the API, clients logged in as a given user."""

import uuid as uuid_module
from datetime import datetime, timedelta

from fieldkit.extensions import db
from fieldkit.models import ApiToken
from fieldkit.models.token import hash_token
from tests.factories import INSIDE_A, INSIDE_B, PASSWORD, VN

POINTS = {"90001": INSIDE_A, "90002": INSIDE_B}


def as_user(app, user):
    """A client of its own, logged in as the user through the login form."""
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


class Phone:
    """An officer's phone: posts, edits and withdraws entries over the API with a bearer token."""

    def __init__(self, app, officer):
        secret = ApiToken.generate()
        db.session.add(ApiToken(user_id=officer.id, token_hash=hash_token(secret)))
        db.session.commit()
        self.client, self.headers, self.code = (
            app.test_client(),
            {"Authorization": f"Bearer {secret}"},
            officer.area_code,
        )

    def talk(self, participants=40, hours_ago=2, **extra) -> dict:
        """Record a talk in the officer's commune; answer the stored entry."""
        lat, lon = POINTS[self.code]
        body = {
            "uuid": str(uuid_module.uuid4()),
            "type": "talk",
            "occurred_at": (datetime.now(VN) - timedelta(hours=hours_ago)).isoformat(timespec="seconds"),
            "lat": lat,
            "lon": lon,
            "accuracy_m": 10,
            "location_source": "gps",
            "declared_area_code": self.code,
            "format": "talk",
            "participants": participants,
            "poor_members": 5,
            **extra,
        }
        response = self.client.post("/api/v1/activities", json=body, headers=self.headers)
        assert response.status_code == 201, response.json
        return {**body, "version": response.json["version"]}

    def post(self, body: dict):
        return self.client.post("/api/v1/activities", json=body, headers=self.headers)

    def edit(self, entry: dict, **changes) -> None:
        body = {key: value for key, value in {**entry, **changes}.items() if key != "uuid"}
        response = self.client.put(f"/api/v1/activities/{entry['uuid']}", json=body, headers=self.headers)
        assert response.status_code == 200, response.json

    def withdraw(self, entry: dict) -> None:
        response = self.client.delete(f"/api/v1/activities/{entry['uuid']}", headers=self.headers)
        assert response.status_code == 204
