"""Admins manage API tokens: create (shown once, stored hashed), list, revoke (refused at once); CSRF on posts."""

import re

import pytest

from fieldkit.extensions import db
from fieldkit.models import ApiToken, AuditEvent
from fieldkit.models.token import hash_token

TOKEN = re.compile(r"fk_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def admin(make_user, login, areas):
    user = make_user("admin", username="quantri")
    login(user)
    return user


def create(client, user_id: int, label: str = "reporting script"):
    return client.post("/admin/tokens", data={"user": str(user_id), "label": label})


def test_create_shows_the_token_once_and_stores_only_its_hash(client, admin, make_user):
    bot = make_user("supervisor", username="bot")
    response = create(client, bot.id)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    secrets = TOKEN.findall(response.text)
    assert len(set(secrets)) == 1
    secret = secrets[0]
    token = db.session.scalar(db.select(ApiToken))
    assert token.token_hash == hash_token(secret) and secret not in (token.token_hash, token.label)
    assert (token.user_id, token.label) == (bot.id, "reporting script")
    listing = client.get("/admin/tokens").text
    assert "reporting script" in listing and "bot" in listing and not TOKEN.search(listing)
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.entity == "token")) == "create"


def test_the_new_token_works_and_revoking_it_refuses_it_at_once(app, client, admin, make_user):
    bot = make_user("supervisor", username="bot")
    secret = TOKEN.search(create(client, bot.id).text).group(0)
    other = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert other.get("/api/v1/activities", headers=headers).status_code == 200
    token = db.session.scalar(db.select(ApiToken))
    db.session.refresh(token)
    assert token.last_used_at is not None
    confirm = client.get(f"/admin/tokens/{token.id}/revoke")
    assert confirm.status_code == 200 and "bot" in confirm.text
    assert other.get("/api/v1/activities", headers=headers).status_code == 200  # asking changes nothing
    response = client.post(f"/admin/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert other.get("/api/v1/activities", headers=headers).status_code == 401
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert client.post(f"/admin/tokens/{token.id}/revoke").status_code == 302  # a repeat is harmless
    assert client.get("/admin/tokens/999/revoke").status_code == 404


def test_a_token_of_a_deactivated_user_is_refused(app, client, admin, make_user):
    bot = make_user("supervisor", username="bot")
    secret = TOKEN.search(create(client, bot.id).text).group(0)
    bot.active = False
    db.session.commit()
    assert app.test_client().get("/api/v1/activities", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert create(client, bot.id).status_code == 400  # no new tokens for them


def test_create_needs_a_user(client, admin):
    response = client.post("/admin/tokens", data={"user": "", "label": "x"})
    assert response.status_code == 400 and db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_non_admins_get_403(client, make_user, login, areas, role):
    user = make_user(role, "90001")
    login(user)
    assert client.get("/admin/tokens").status_code == 403
    assert create(client, user.id).status_code == 403
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token("fk_x")))
    db.session.commit()
    assert client.post("/admin/tokens/1/revoke").status_code == 403
    assert db.session.scalar(db.select(ApiToken.revoked_at)) is None


def test_a_token_cannot_reach_the_admin_pages_without_being_an_admin(app, make_user, areas):
    officer = make_user("officer", "90001")
    db.session.add(ApiToken(user_id=officer.id, token_hash=hash_token("fk_officer")))
    db.session.commit()
    assert app.test_client().get("/admin/tokens", headers={"Authorization": "Bearer fk_officer"}).status_code == 403


def test_posts_need_the_csrf_token_when_csrf_is_on(app, client, admin, make_user):
    bot = make_user("supervisor", username="bot")
    app.config["WTF_CSRF_ENABLED"] = True
    assert create(client, bot.id).status_code == 400
    page = client.get("/admin/tokens").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/tokens", data={"user": str(bot.id), "label": "x", "csrf_token": csrf})
    assert response.status_code == 201
    token = db.session.scalar(db.select(ApiToken))
    assert client.post(f"/admin/tokens/{token.id}/revoke").status_code == 400
    assert db.session.scalar(db.select(ApiToken.revoked_at)) is None
    confirm = client.get(f"/admin/tokens/{token.id}/revoke").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', confirm).group(1)
    assert client.post(f"/admin/tokens/{token.id}/revoke", data={"csrf_token": csrf}).status_code == 302
    assert db.session.scalar(db.select(ApiToken.revoked_at)) is not None
