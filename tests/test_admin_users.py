"""Admins manage accounts: list, create, deactivate and reactivate, reset the password."""

import pytest

from fieldkit.extensions import db
from fieldkit.models import AuditEvent, User
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


def test_the_list_names_communes_and_an_account_can_be_edited(client, admin, make_user):
    officer = make_user("officer", "90001", username="canbo")
    listed = client.get("/admin/users").text
    assert "<td>Phường An Thử</td>" in listed and "<td>90001</td>" not in listed  # the name, not the code
    data = {"display_name": "Trần Văn Bình", "role": "supervisor", "area_code": "90002", "locale": "en"}
    assert client.post(f"/admin/users/{officer.id}/edit", data=data).status_code == 302
    db.session.refresh(officer)
    assert (officer.display_name, officer.role, officer.area_code, officer.locale) == (
        "Trần Văn Bình",
        "supervisor",
        "90002",
        "en",
    )
    event = db.session.scalar(db.select(AuditEvent).filter_by(entity="user", action="update"))
    assert event.user_id == admin.id and event.entity_id == str(officer.id)
    assert event.before == {"username": "canbo", "display_name": "Nguyễn Văn Test", "role": "officer",
                            "area_code": "90001", "locale": None}  # fmt: skip
    assert event.after["role"] == "supervisor" and event.after["area_code"] == "90002"
    whole_city = {**data, "area_code": "", "locale": ""}
    assert client.post(f"/admin/users/{officer.id}/edit", data=whole_city).status_code == 302
    db.session.refresh(officer)
    assert (officer.area_code, officer.locale) == (None, None)


def test_an_edit_is_checked_and_an_admin_keeps_their_own_role(client, admin, make_user):
    officer = make_user("officer", "90001", username="canbo")
    bad = client.post(f"/admin/users/{officer.id}/edit?lang=en", data={"display_name": "", "role": "king",
                                                                        "area_code": "99999"})  # fmt: skip
    assert bad.status_code == 400 and "Unknown commune code 99999" in bad.text and "Not a valid choice" in bad.text
    mine = client.post(f"/admin/users/{admin.id}/edit?lang=en", data={"display_name": "Quản trị", "role": "officer"})
    assert mine.status_code == 400 and "administrator role from yourself" in mine.text
    db.session.refresh(admin)
    assert admin.role == "admin"
    assert client.get("/admin/users/9999/edit").status_code == 404
