"""Each role starts where its work is: officers at home, supervisors on coverage, admins on administration."""

import pytest

LANDING = {"officer": "/", "supervisor": "/coverage", "admin": "/admin/"}


@pytest.mark.parametrize("role", LANDING)
def test_logging_in_lands_on_the_roles_start(client, make_user, areas, login, role):
    user = make_user(role, areas[0] if role == "officer" else None)
    assert login(user).location == LANDING[role]


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_opening_the_home_page_sends_supervisors_and_admins_to_their_start(client, make_user, login, role):
    login(make_user(role))
    home = client.get("/")
    assert home.status_code == 302 and home.location == LANDING[role]
    assert client.get(home.location).status_code == 200


def test_the_officer_keeps_the_officer_home(client, officer):
    home = client.get("/")
    assert home.status_code == 200 and 'href="/activities/new' in home.text


@pytest.mark.parametrize("role", LANDING)
def test_the_login_page_sends_a_logged_in_user_to_their_start(client, make_user, areas, login, role):
    login(make_user(role, areas[0] if role == "officer" else None))
    assert client.get("/login").location == LANDING[role]


def test_a_safe_next_wins_over_the_landing_and_an_unsafe_one_does_not(client, make_user):
    user = make_user("supervisor")
    form = {"username": user.username, "password": "correct-horse-9"}
    assert client.post("/login?next=/map", data=form).location == "/map"
    client.post("/logout")
    assert client.post("/login?next=//evil.example/x", data=form).location == "/coverage"
