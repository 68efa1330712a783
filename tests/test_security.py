"""The Content-Security-Policy every page keeps (map pages too), HTTPS settings and the trusted proxy."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest

from fieldkit import create_app
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.security import policy, tile_origin
from fieldkit.timeutil import utcnow
from tests.conftest import base_config
from tests.factories import INSIDE_A

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


@pytest.fixture
def entry(app, areas, make_user):
    officer = make_user("officer", areas[0])
    activity = Activity(
        uuid="00000000-0000-4000-8000-0000000000aa",
        type="talk",
        occurred_at=utcnow() - timedelta(days=1),
        officer_id=officer.id,
        lat=INSIDE_A[0],
        lon=INSIDE_A[1],
        accuracy_m=10,
        area_code="90001",
        declared_area_code="90002",
        topic="Chủ đề",
        details={"format": "talk", "participants": 30},
        content_hash="x",
    )
    db.session.add(activity)
    db.session.commit()
    return activity


PAGES = [
    ("officer", "/"),
    ("officer", "/activities/new"),
    ("officer", "/activities"),
    ("officer", "/outbox"),
    ("officer", "/offline"),
    ("supervisor", "/map"),
    ("supervisor", "/coverage"),
    ("supervisor", "/coverage/90001"),
    ("supervisor", "/review"),
    ("supervisor", "/review/00000000-0000-4000-8000-0000000000aa"),
    ("supervisor", "/reports"),
    ("supervisor", "/reports/2025-Q4"),
    ("admin", "/admin/users"),
    ("admin", "/admin/targets"),
]


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_every_inline_script_carries_the_nonce_of_its_response(client, make_user, login, entry, role, path):
    login(make_user(role, "90001" if role == "officer" else None))
    response = client.get(path)
    assert response.status_code == 200, path
    csp = directives(response)
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    inline = INLINE_SCRIPT.findall(response.text)
    nonce = re.search(r"'nonce-([A-Za-z0-9_-]{20,})'", csp["script-src"])
    for attributes in inline:
        assert nonce and f'nonce="{nonce.group(1)}"' in attributes, f"{path}: inline script without the nonce"
    assert not HANDLER.search(response.text), f"{path}: an inline event handler, which the policy blocks"
    if path in ("/map", "/coverage/90001", "/review/00000000-0000-4000-8000-0000000000aa"):
        assert len(inline) == 1, "the map's script is on the page itself, with the nonce (no srcdoc frame)"
        assert "<iframe" not in response.text


def test_the_nonce_is_new_for_every_response(client, make_user, login, entry):
    login(make_user("supervisor"))
    nonces = {re.search(r"'nonce-([^']+)'", directives(client.get("/map"))["script-src"]).group(1) for _ in range(3)}
    assert len(nonces) == 3


@pytest.mark.parametrize("path", ["/login", "/healthz", "/api/v1/openapi.json", "/nowhere", "/sw.js"])
def test_the_policy_is_on_every_answer_and_pages_without_inline_scripts_get_no_nonce(client, path):
    csp = directives(client.get(path))
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'self'" and csp["form-action"] == "'self'"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.vn:8443/{z}/{x}/{y}.png", "https://*.tile.example.vn:8443"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("none", None),
        ("", None),
    ],
)
def test_images_may_come_from_the_tile_server_only(url, origin):
    assert tile_origin(url) == origin
    images = policy(None, origin).split("img-src ")[1].split(";")[0]
    assert images == "'self' data: blob:" + (f" {origin}" if origin else "")


@contextmanager
def another_app(app, tmp_path, **overrides):
    """A second app on the test's database with other settings; its connections closed afterwards."""
    other = create_app(base_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path)) | overrides)
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


def test_https_makes_cookies_secure_and_adds_hsts(app, tmp_path):
    with another_app(app, tmp_path, FIELDKIT_HTTPS=True) as https:
        response = https.test_client().get("/login")
        assert https.config["SESSION_COOKIE_SECURE"] and https.config["REMEMBER_COOKIE_SECURE"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_by_default_without_hsts(client):
    response = client.get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert not client.application.config["SESSION_COOKIE_SECURE"]


def test_behind_a_proxy_the_login_limit_counts_the_real_address(app, tmp_path, one_day_window):
    """With FIELDKIT_PROXIES=1 each client's X-Forwarded-For address has its own limit; without, it is ignored."""

    def refused(proxies, addresses):
        with another_app(app, tmp_path, FIELDKIT_LOGIN_LIMIT_ADDRESS="3 per day", FIELDKIT_PROXIES=proxies) as other:
            client = other.test_client()
            codes = [
                client.post(
                    "/login", data={"username": f"nobody{i}", "password": "x"}, headers={"X-Forwarded-For": address}
                ).status_code
                for i, address in enumerate(addresses)
            ]
        return codes.count(429)

    addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] * 2
    assert refused(1, addresses) == 0
    assert refused(0, addresses) == len(addresses) - 3
