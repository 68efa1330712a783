"""Two app servers, one PostgreSQL, one object store (issue 16): a phone syncs through both in turn.

Nothing a second server needs is held in one process: the session signed in on one is good on the other, a photo
stored through one is served by the other, every entry and photo is stored once, and neither server keeps a file
of its own under instance/uploads.
"""

import hashlib
import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from tests.conftest import PG_URL
from tests.factories import PASSWORD, free_port, jpeg, talk

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 6
START_S = 60


@pytest.fixture
def two_servers(app, areas, s3_photos, s3_server, tmp_path):
    """Start two gunicorn servers on the test's PostgreSQL database and S3 prefix; answer their base URLs."""
    if not PG_URL:
        pytest.skip("PostgreSQL only: several app servers share a PostgreSQL database, not an SQLite file")
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "FIELDKIT_SECRET_KEY": "two-servers-secret",
        "FIELDKIT_PHOTO_STORAGE": app.config["FIELDKIT_PHOTO_STORAGE"],
        "FIELDKIT_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "AWS_ACCESS_KEY_ID": s3_server.access_key,
        "AWS_SECRET_ACCESS_KEY": s3_server.secret_key,
    }
    servers = []
    for name in ("a", "b"):
        port, instance = free_port(), tmp_path / name
        instance.mkdir()
        command = [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "4"]
        process = subprocess.Popen(
            [*command, "-b", f"127.0.0.1:{port}", "app:app"],
            cwd=ROOT,
            env={**env, "FIELDKIT_INSTANCE_PATH": str(instance)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        servers.append((f"http://127.0.0.1:{port}", process, instance))
    try:
        for url, process, _instance in servers:
            _wait_until_up(url, process)
        yield servers
    finally:
        for _url, process, _instance in servers:
            os.killpg(process.pid, signal.SIGTERM)
            process.communicate(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 — loopback http
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start in {START_S} s")


class Phone:
    """A phone's sync as the outbox does it: one session cookie, the CSRF header, JSON and image bodies."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = None

    def send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None):
        headers = {"X-CSRFToken": self.token} if self.token else {}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def log_in(self, server: str, username: str) -> None:
        token = json.loads(self.send("GET", f"{server}/csrf-token")[1])["csrf_token"]
        form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
        status, _ = self.send("POST", f"{server}/login", form, "application/x-www-form-urlencoded")
        assert status == 200  # the redirect to home, followed
        self.token = json.loads(self.send("GET", f"{server}/csrf-token")[1])["csrf_token"]


def test_a_phone_syncs_through_two_servers_in_turn(two_servers, make_user, s3_photos):
    (a, _, instance_a), (b, _, instance_b) = two_servers
    officer = make_user("officer", "90001")
    phone = Phone()
    phone.log_in(a, officer.username)
    sent = []
    for number in range(ENTRIES):
        here, there = (a, b) if number % 2 == 0 else (b, a)
        entry, picture = talk(topic=f"Buổi {number}"), jpeg(colour=(20 * number, 90, 160))
        body = json.dumps(entry).encode()
        assert phone.send("POST", f"{here}/api/v1/activities", body, "application/json")[0] == 201
        assert phone.send("POST", f"{there}/api/v1/activities", body, "application/json")[0] == 200  # a resend
        photo_url = f"/api/v1/activities/{entry['uuid']}/photos/0"
        assert phone.send("PUT", f"{there}{photo_url}", picture, "image/jpeg")[0] == 201
        status, served = phone.send("GET", f"{here}/activities/{entry['uuid']}/photos/0.jpg")
        assert status == 200 and served[:2] == b"\xff\xd8"  # stored through the other server, served by this one
        assert phone.send("PUT", f"{here}{photo_url}", picture, "image/jpeg")[0] == 200  # a resend
        receipt = json.loads(phone.send("GET", f"{here}/api/v1/activities/{entry['uuid']}")[1])
        assert [p["sha256"] for p in receipt["photos"]] == [hashlib.sha256(picture).hexdigest()]
        sent.append(entry["uuid"])
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(Activity.uuid))) == sorted(sent)
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == ENTRIES
    assert len(s3_photos.names()) == 2 * ENTRIES  # each photo and its thumbnail, once
    for instance in (instance_a, instance_b):
        assert not [p for p in (instance / "uploads").rglob("*") if p.is_file()], f"files under {instance}/uploads"
