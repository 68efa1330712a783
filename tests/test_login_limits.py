"""Login limits: keyed on the name the login uses, shared by every app server, not a lock-out weapon."""

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from fieldkit import create_app
from fieldkit.extensions import db
from tests.conftest import base_config
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("one_day_window")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRONG = "wrong-wrong-1"
ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


@contextmanager
def limited_app(app, tmp_path, **limits):
    """A second app on the test's database with small limits; its connections closed afterwards."""
    other = create_app(base_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path)) | limits)
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


def attempt(client, username, password=WRONG, address=ATTACKER) -> int:
    return client.post("/login", data={"username": username, "password": password}, environ_base=address).status_code


def test_other_spellings_of_a_name_share_its_allowance(app, tmp_path, make_user, areas):
    make_user(username="bf2", area_code=areas[0])
    small = {"FIELDKIT_LOGIN_LIMIT_PAIR": "3 per day", "FIELDKIT_LOGIN_LIMIT_ACCOUNT": "3 per day"}
    with limited_app(app, tmp_path, **small) as other:
        client = other.test_client()
        assert attempt(client, "b\u200bf2", PASSWORD) == 302  # the login accepts this spelling as bf2
        client.post("/logout")
        codes = [attempt(client, name) for name in ("bf2", "b\u200bf2", " bf2 ", "bf2\u2060", "b\ufefff2")]
    assert codes == [400, 400, 400, 429, 429]


def test_the_owner_gets_in_from_another_address_while_an_attacker_is_throttled(app, tmp_path, make_user, areas):
    owner = make_user(username="chu-tai-khoan", area_code=areas[0])
    with limited_app(app, tmp_path, FIELDKIT_LOGIN_LIMIT_PAIR="3 per day") as other:
        client = other.test_client()
        codes = [attempt(client, owner.username) for _ in range(5)]
        assert codes == [400, 400, 400, 429, 429]
        assert attempt(client, owner.username, PASSWORD) == 429  # the pair stays throttled, right password or not
        assert attempt(other.test_client(), owner.username, PASSWORD, OWNER) == 302


def test_the_account_ceiling_holds_across_addresses(app, tmp_path, make_user, areas):
    victim = make_user(username="nhieu-dia-chi", area_code=areas[0])
    with limited_app(app, tmp_path, FIELDKIT_LOGIN_LIMIT_ACCOUNT="4 per day") as other:
        client = other.test_client()
        codes = [attempt(client, victim.username, address={"REMOTE_ADDR": f"203.0.113.{i}"}) for i in range(1, 7)]
    assert codes == [400, 400, 400, 400, 429, 429]


SECOND_SERVER = """
import json, sys
from fieldkit import create_app
from tests.conftest import base_config
app = create_app(base_config(sys.argv[1], sys.argv[2]) | {"FIELDKIT_LOGIN_LIMIT_PAIR": "4 per day"})
client = app.test_client()
codes = [client.post("/login", data={"username": "hai-may", "password": "wrong-wrong-1"},
                     environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code for _ in range(int(sys.argv[3]))]
print(json.dumps(codes))
"""


def second_server(app, tmp_path, attempts: int) -> list[int]:
    """Failed logins sent by another process, an app server of its own on the same database."""
    done = subprocess.run(
        [sys.executable, "-c", SECOND_SERVER, app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path), str(attempts)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_app_servers_on_one_database_count_together(app, tmp_path, make_user, areas):
    make_user(username="hai-may", area_code=areas[0])
    with limited_app(app, tmp_path, FIELDKIT_LOGIN_LIMIT_PAIR="4 per day") as here:
        client = here.test_client()
        first = [attempt(client, "hai-may") for _ in range(2)]
        there = second_server(app, tmp_path, 2)
        last = [attempt(client, "hai-may") for _ in range(2)]
    assert first == [400, 400] and there == [400, 400] and last == [429, 429]


def test_a_failed_login_takes_as_long_for_an_unknown_user_as_for_a_real_one(client, make_user, areas):
    real = make_user(username="that-that", area_code=areas[0])

    def timing(username: str) -> float:
        took = []
        for i in range(3):
            start = time.perf_counter()
            attempt(client, username, address={"REMOTE_ADDR": f"192.0.2.{i + 1}"})
            took.append(time.perf_counter() - start)
        return statistics.median(took)

    known, unknown = timing(real.username), timing("khong-co-ai")
    print(f"timing: unknown {unknown * 1000:.0f} ms, real {known * 1000:.0f} ms")
    assert unknown > 0.6 * known, f"unknown {unknown * 1000:.0f} ms, real {known * 1000:.0f} ms"
