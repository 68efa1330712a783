"""Sessions end when the user ends them: logout, a new password or deactivation stop every copied cookie."""

import pytest

from fieldkit.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "mui-ne-bien-xanh-2026"


def cookies(client) -> dict[str, str]:
    """The client's cookies by name."""
    return {name: client.get_cookie(name).value for name in ("session", "remember_token") if client.get_cookie(name)}


def signed_in(app, jar: dict[str, str]) -> bool:
    """Tell whether a fresh browser holding only these cookies is let in to the officer's home page."""
    other = app.test_client()
    for name, value in jar.items():
        other.set_cookie(name, value)
    return other.get("/").status_code == 200


@pytest.fixture
def signed(app, client, make_user, areas, login):
    """An officer logged in with remember-me; return the user and copies of the session and remember cookies."""
    user = make_user("officer", areas[0])
    login(user)
    jar = cookies(client)
    assert set(jar) == {"session", "remember_token"}
    assert signed_in(app, {"session": jar["session"]}) and signed_in(app, {"remember_token": jar["remember_token"]})
    return user, jar


def test_cookies_copied_before_logout_no_longer_sign_in(app, client, signed):
    _user, jar = signed
    client.post("/logout")
    assert not signed_in(app, {"session": jar["session"]})
    assert not signed_in(app, {"remember_token": jar["remember_token"]})
    assert not signed_in(app, jar)


def test_an_admin_password_reset_ends_the_users_sessions(app, signed, make_user):
    user, jar = signed
    admin = app.test_client()
    boss = make_user("admin")
    assert admin.post("/login", data={"username": boss.username, "password": PASSWORD}).status_code == 302
    assert admin.post(f"/admin/users/{user.id}/password", data={"password": NEW_PASSWORD}).status_code == 302
    assert not signed_in(app, {"session": jar["session"]})
    assert not signed_in(app, {"remember_token": jar["remember_token"]})


def test_deactivating_and_reactivating_does_not_bring_old_sessions_back(app, signed, make_user):
    user, jar = signed
    admin = app.test_client()
    boss = make_user("admin")
    admin.post("/login", data={"username": boss.username, "password": PASSWORD})
    assert admin.post(f"/admin/users/{user.id}/active/0").status_code == 302
    assert admin.post(f"/admin/users/{user.id}/active/1").status_code == 302
    assert not signed_in(app, jar)


def test_set_password_reads_it_twice_from_standard_input_and_ends_sessions(app, runner, signed):
    user, jar = signed
    mismatch = runner.invoke(args=["users", "set-password", user.username], input=f"{NEW_PASSWORD}\nother-one-77\n")
    assert mismatch.exit_code != 0 and signed_in(app, jar)
    done = runner.invoke(args=["users", "set-password", user.username], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert not signed_in(app, {"session": jar["session"]})
    assert not signed_in(app, {"remember_token": jar["remember_token"]})
    db.session.expire_all()
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": user.username, "password": NEW_PASSWORD}).status_code == 302
    assert fresh.post("/logout").status_code == 302
    assert fresh.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 400


def test_set_password_names_an_unknown_user(runner, app):
    result = runner.invoke(args=["users", "set-password", "nobody"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code != 0 and "nobody" in result.output


def test_the_remember_cookie_is_new_at_every_login_and_samesite(app, make_user, areas):
    user = make_user("officer", areas[0])
    values = []
    for _ in range(2):
        browser = app.test_client()
        response = browser.post("/login", data={"username": user.username, "password": PASSWORD})
        header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
        assert "SameSite=Lax" in header and "HttpOnly" in header
        values.append(browser.get_cookie("remember_token").value)
    assert values[0] != values[1]
    assert signed_in(app, {"remember_token": values[0]}) and signed_in(app, {"remember_token": values[1]})
