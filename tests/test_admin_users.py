"""Admins manage accounts: list, create, deactivate and reactivate, reset the password."""

import pytest

from fieldkit.extensions import db
from fieldkit.models import User
from tests.factories import PASSWORD


@pytest.fixture
def admin(make_user, login, areas):
    user = make_user("admin", username="quantri")
    login(user)
    return user


def by_name(username: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(username=username))


def test_create_an_account(client, admin):
    data = {
        "username": "Lan",
        "display_name": "Nguyễn Thị Lan",
        "role": "officer",
        "area_code": "90001",
        "password": "mat-khau-dai",
    }
    assert client.post("/admin/users/new", data=data).status_code == 302
    user = by_name("lan")
    assert (user.role, user.area_code, user.check_password("mat-khau-dai")) == ("officer", "90001", True)
    assert "Nguyễn Thị Lan" in client.get("/admin/users").text
    again = client.post("/admin/users/new?lang=en", data=data)
    assert again.status_code == 400 and "taken" in again.text
    short = client.post("/admin/users/new", data={**data, "username": "hoa", "password": "short"})
    assert short.status_code == 400 and by_name("hoa") is None


def test_deactivate_logs_the_user_out_and_reactivate(app, client, admin, make_user, login):
    officer = make_user("officer", "90001", username="canbo")
    other = app.test_client()
    assert other.post("/login", data={"username": "canbo", "password": PASSWORD}).status_code == 302
    assert other.get("/").status_code == 200
    assert client.post(f"/admin/users/{officer.id}/active/0").status_code == 302
    assert other.get("/").status_code == 302  # logged out at the next request
    assert client.post(f"/admin/users/{officer.id}/active/1").status_code == 302
    db.session.refresh(officer)
    assert officer.active
    assert client.post(f"/admin/users/{admin.id}/active/0").status_code == 400  # not oneself


def test_reset_password(client, admin, make_user):
    officer = make_user("officer", "90001", username="canbo")
    assert client.post(f"/admin/users/{officer.id}/password", data={"password": "mat-khau-moi-1"}).status_code == 302
    db.session.refresh(officer)
    assert officer.check_password("mat-khau-moi-1") and not officer.check_password(PASSWORD)


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_only_admins(client, make_user, login, areas, role):
    login(make_user(role, "90001"))
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={"username": "x"}).status_code == 403


@pytest.mark.parametrize("password", ["password1", "12345678", "qwertyuiop", "matkhau123"])
def test_common_passwords_are_refused_in_vietnamese(client, admin, make_user, password):
    data = {"username": "hoa", "display_name": "Hoa", "role": "officer", "area_code": "", "password": password}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400 and "quá dễ đoán" in response.text and by_name("hoa") is None
    officer = make_user("officer", "90001", username="canbo")
    response = client.post(f"/admin/users/{officer.id}/password", data={"password": password})
    assert response.status_code == 400 and "quá dễ đoán" in response.text
    db.session.refresh(officer)
    assert officer.check_password(PASSWORD)
