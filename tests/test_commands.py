"""The CLI: users create, tokens create (and the token works), demo load."""

from fieldkit.extensions import db
from fieldkit.models import Activity, Area, AreaStat, User
from tests.factories import talk


def test_users_create_reads_the_password_from_stdin(runner, areas):
    result = runner.invoke(
        args=["users", "create", "lan", "--role", "officer", "--area", "90001"], input="mat-khau-dai\n"
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(username="lan"))
    assert user.area_code == "90001" and user.check_password("mat-khau-dai")


def test_users_create_refuses_bad_input(app, runner, areas):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"  # commands speak the installation's language
    assert runner.invoke(args=["users", "create", "x", "--role", "king"], input="longenough\n").exit_code != 0
    result = runner.invoke(args=["users", "create", "x", "--role", "officer", "--area", "12"], input="longenough\n")
    assert result.exit_code != 0 and "unknown commune" in result.output.lower()
    result = runner.invoke(args=["users", "create", "x", "--role", "officer"], input="short\n")
    assert result.exit_code != 0 and "8 characters" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_token_create_prints_a_token_that_works_without_csrf(app, runner, make_user, areas):
    make_user("officer", "90001", username="app-bot")
    result = runner.invoke(args=["tokens", "create", "--user", "app-bot", "--label", "sync"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/activities", json=talk(), headers=headers)
    assert response.status_code == 201, response.json
    assert client.get("/api/v1/activities", headers={"Authorization": "Bearer fk_wrong"}).status_code == 401


def test_session_api_posts_need_the_csrf_header(app, client, make_user, areas):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user("officer", "90001")
    page = client.get("/login").text
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"username": user.username, "password": "correct-horse-9", "csrf_token": csrf})
    refused = client.post("/api/v1/activities", json=talk())
    assert refused.status_code == 400 and refused.json["error"] == "csrf"
    token = client.get("/activities/new").text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post("/api/v1/activities", json=talk(), headers={"X-CSRFToken": token})
    assert accepted.status_code == 201
    assert client.post("/activities/new", data={"type": "talk"}).status_code == 400  # no token in the form
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 1


def test_demo_load_fills_an_empty_database_and_refuses_a_second_time(runner):
    result = runner.invoke(args=["demo", "load", "--activities", "150", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(Area.code))) == 103
    assert db.session.scalar(db.select(db.func.count(AreaStat.id))) == 103
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 150
    assert "demo logins" in result.output
    for user in db.session.scalars(db.select(User)):
        assert user.username in result.output
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code != 0
    assert runner.invoke(args=["demo", "load", "--if-empty"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 150


def test_users_create_applies_the_admin_forms_checks(app, runner, areas):
    """The same form as /admin/users/new: the username's letters, hidden text-direction marks, common passwords."""
    script = runner.invoke(args=["users", "create", "<script>", "--role", "officer"], input="mat-khau-dai\n")
    assert script.exit_code != 0 and "Tên đăng nhập" in script.output
    rtl = runner.invoke(
        args=["users", "create", "lan", "--role", "officer", "--name", "Lan\u202egnaoH"], input="mat-khau-dai\n"
    )
    assert rtl.exit_code != 0 and "U+202E" in rtl.output
    common = runner.invoke(args=["users", "create", "lan", "--role", "officer"], input="password1\n")
    assert common.exit_code != 0 and "quá dễ đoán" in common.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert runner.invoke(args=["users", "create", "Lan", "--role", "officer"], input="mat-khau-dai\n").exit_code == 0
    assert db.session.scalar(db.select(User.username)) == "lan"  # lower-cased as the admin page does


def test_set_password_refuses_a_common_password_in_vietnamese(runner, make_user):
    user = make_user()
    result = runner.invoke(args=["users", "set-password", user.username], input="qwertyuiop\nqwertyuiop\n")
    assert result.exit_code != 0 and "quá dễ đoán" in result.output
