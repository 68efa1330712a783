"""Sign-in QR codes: printed by an administrator, single use, expiring, revocable, audited, stored as a hash."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from fieldkit.extensions import db
from fieldkit.models import AuditEvent, SigninCode, User
from fieldkit.timeutil import utcnow

CODE_LINK = re.compile(r"/signin/([A-Za-z0-9_-]{32})")


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.fixture
def field_officer(make_user, areas):
    return make_user("officer", areas[0], username="canbo_qr")


@pytest.fixture
def print_code(client, admin, field_officer):
    """Return a callable that prints a code for the officer as the admin would; it answers the code."""

    def printed(user=None) -> str:
        user = user or field_officer
        response = client.post(f"/admin/users/{user.id}/signin-codes")
        assert response.status_code == 201, response.text
        return CODE_LINK.search(response.get_data(as_text=True)).group(1)

    return printed


@pytest.fixture
def phone(app):
    """A second browser: the officer's phone, signed in as nobody."""
    return app.test_client()


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).filter_by(entity="signin_code", action=action)))


def code_row(code: str) -> SigninCode:
    db.session.expire_all()
    return db.session.scalar(db.select(SigninCode).filter_by(code_hash=hashlib.sha256(code.encode()).hexdigest()))


def signed_in_as(client) -> str | None:
    return client.get("/csrf-token").json["user"]


def test_the_printed_code_is_an_inline_qr_shown_once_and_only_its_hash_is_stored(client, admin, field_officer):
    response = client.post(f"/admin/users/{field_officer.id}/signin-codes")
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<svg" in page and 'class="segno"' in page and "<img" not in page.split("signin-qr", 1)[1][:200]
    code = CODE_LINK.search(page).group(1)
    row = code_row(code)
    assert row is not None and row.user_id == field_officer.id and row.created_by_id == admin.id
    assert row.code_hash == hashlib.sha256(code.encode()).hexdigest()
    stored = [str(value) for value in db.session.execute(db.select(SigninCode.__table__)).one()]
    assert not any(code in value for value in stored)
    assert abs((row.expires_at - utcnow()) - timedelta(hours=24)) < timedelta(minutes=1)
    (event,) = events("create")
    assert event.user_id == admin.id and event.entity_id == str(row.id) and event.after["user"] == "canbo_qr"


def test_the_lifetime_follows_the_configured_hours(app, print_code):
    app.config["FIELDKIT_SIGNIN_CODE_HOURS"] = 2
    row = code_row(print_code())
    assert abs((row.expires_at - utcnow()) - timedelta(hours=2)) < timedelta(minutes=1)


def test_opening_the_link_asks_first_and_does_not_spend_the_code(print_code, phone):
    code = print_code()
    for _ in range(3):  # link previews and a second look cost nothing
        response = phone.get(f"/signin/{code}")
        assert response.status_code == 200
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "Nguyễn Văn Test" in response.get_data(as_text=True)
    assert code_row(code).used_at is None
    assert signed_in_as(phone) is None


def test_confirming_signs_the_phone_in_once_and_a_second_use_is_refused(print_code, phone, app, field_officer):
    code = print_code()
    response = phone.post(f"/signin/{code}")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in_as(phone) == "canbo_qr"
    assert phone.get("/activities/new").status_code == 200
    row = code_row(code)
    assert row.used_at is not None and db.session.get(User, field_officer.id).last_login_at is not None
    assert [e.user_id for e in events("use")] == [field_officer.id]
    other = app.test_client()
    for method in (other.get, other.post):
        refused = method(f"/signin/{code}")
        assert refused.status_code == 410
        assert "Mã này đã được dùng" in refused.get_data(as_text=True)
    assert signed_in_as(other) is None
    assert [e.after["state"] for e in events("refuse")] == ["used"]


def test_an_expired_code_is_refused_with_a_clear_page(print_code, phone):
    code = print_code()
    db.session.execute(update(SigninCode).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    for method in (phone.get, phone.post):
        response = method(f"/signin/{code}")
        assert response.status_code == 410
        assert "Mã này đã hết hạn" in response.get_data(as_text=True)
    assert signed_in_as(phone) is None and code_row(code).used_at is None


def test_a_revoked_code_is_refused_and_revoking_a_used_one_changes_nothing(client, print_code, phone, admin):
    code = print_code()
    row = code_row(code)
    response = client.post(f"/admin/signin-codes/{row.id}/revoke")
    assert response.status_code == 302
    assert code_row(code).revoked_at is not None
    assert [e.user_id for e in events("revoke")] == [admin.id]
    response = phone.post(f"/signin/{code}")
    assert response.status_code == 410 and "đã bị quản trị viên hủy" in response.get_data(as_text=True)
    assert signed_in_as(phone) is None
    used = print_code()
    assert phone.post(f"/signin/{used}").status_code == 302
    assert client.post(f"/admin/signin-codes/{code_row(used).id}/revoke").status_code == 302
    assert code_row(used).revoked_at is None and len(events("revoke")) == 1
    edit = client.get(f"/admin/users/{row.user_id}/edit").get_data(as_text=True)
    assert f'id="signin-code-{row.id}"' in edit and "đã thu hồi" in edit


def test_an_unknown_or_overlong_code_is_refused(phone):
    for code in ("A" * 32, "x" * 500):
        response = phone.get(f"/signin/{code}")
        assert response.status_code == 404 and "Mã này không có" in response.get_data(as_text=True)


def test_deactivating_or_a_new_password_revokes_open_codes(client, print_code, field_officer, phone):
    first = print_code()
    assert client.post(f"/admin/users/{field_officer.id}/password", data={"password": "x7#Tq!mz9Pkw-Lr2"}).status_code
    assert code_row(first).revoked_at is not None
    second = print_code()
    assert client.post(f"/admin/users/{field_officer.id}/active/0").status_code == 302
    assert code_row(second).revoked_at is not None
    assert phone.post(f"/signin/{second}").status_code == 410
    # a deactivated account is refused even if its code was never revoked
    db.session.execute(update(SigninCode).values(revoked_at=None))
    db.session.commit()
    assert phone.get(f"/signin/{second}").status_code == 403


def test_a_code_session_ends_like_any_other(print_code, phone, field_officer):
    code = print_code()
    assert phone.post(f"/signin/{code}").status_code == 302
    assert signed_in_as(phone) == "canbo_qr"
    db.session.get(User, field_officer.id).end_sessions()
    db.session.commit()
    assert signed_in_as(phone) is None


def test_no_code_for_an_administrator_account_and_none_printed_by_others(client, admin, make_user, login, app):
    other_admin = make_user("admin")
    response = client.post(f"/admin/users/{other_admin.id}/signin-codes")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(SigninCode.id))) == 0
    officer = make_user("officer")
    outsider = app.test_client()
    outsider.post("/login", data={"username": officer.username, "password": "correct-horse-9"})
    assert outsider.post(f"/admin/users/{officer.id}/signin-codes").status_code == 403
    assert db.session.scalar(db.select(db.func.count(SigninCode.id))) == 0


def test_both_posts_need_the_csrf_token(app, client, print_code, phone, field_officer):
    code = print_code()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/admin/users/{field_officer.id}/signin-codes").status_code == 400
    assert phone.post(f"/signin/{code}").status_code == 400
    assert code_row(code).used_at is None and signed_in_as(phone) is None
    page = phone.get(f"/signin/{code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert phone.post(f"/signin/{code}", data={"csrf_token": token}).status_code == 302
    assert signed_in_as(phone) == "canbo_qr"


def test_a_new_password_from_the_command_line_revokes_open_codes(runner, print_code, field_officer, phone):
    code = print_code()
    password = "x7#Tq!mz9Pkw-Lr2"
    result = runner.invoke(args=["users", "set-password", field_officer.username], input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    assert code_row(code).revoked_at is not None
    assert phone.post(f"/signin/{code}").status_code == 410
    assert [e.user_id for e in events("revoke")] == [None]
