"""Vietnamese first, English second; the catalogues cover every string."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fieldkit.extensions import db
from fieldkit.models import User

ROOT = Path(__file__).resolve().parent.parent


def test_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập" in client.get("/login").text
    assert "Log in" in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert "Log in" in client.get("/login?lang=en").text


def test_api_errors_follow_the_language(client, officer):
    vi = client.post("/api/v1/activities", data="x", content_type="text/plain").json["message"]
    en = client.post("/api/v1/activities?lang=en", data="x", content_type="text/plain").json["message"]
    assert vi != en and "JSON" in en


def _key(message_id) -> str:
    """A plural message's id is (singular, plural); key it by the singular."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def test_every_string_is_translated(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(template),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {_key(m.id) for m in read_po(handle) if m.id}
    for language in ("vi", "en"):
        with (ROOT / "fieldkit" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalogue = read_po(handle)
        done = {_key(m.id) for m in catalogue if m.id and _translated(m.string) and not m.fuzzy}
        assert sorted(wanted - done) == [], f"untranslated in {language}"


def test_the_language_choice_is_remembered(client, officer):
    response = client.post("/language/en?next=/activities")
    assert response.status_code == 302 and response.headers["Location"] == "/activities"
    assert "Log out" in client.get("/").text
    db.session.expire_all()
    assert db.session.get(User, officer.id).locale == "en"
    assert client.post("/language/xx").status_code == 404
    assert client.post("/language/vi?next=https://evil.example/").headers["Location"] == "/"
    assert "Đăng xuất" in client.get("/").text


def test_the_language_choice_is_a_post_and_a_get_changes_nothing_stored(client, officer):
    """A link or an <img> on another site must not change a user's settings."""
    assert client.get("/language/en?next=/activities").status_code == 405
    db.session.expire_all()
    assert db.session.get(User, officer.id).locale is None
    page = client.get("/").text
    assert 'method="post" action="/language/en' in page and "Đăng xuất" in page


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_whole_numbers_are_written_as_babel_writes_them(app, locale):
    from flask_babel import force_locale, format_decimal

    from fieldkit.i18n import decimal

    with app.test_request_context(), force_locale(locale):
        for value in (0, 7, -999, 1000, 1234567, -98765432, 10**15, 12.5, 0.125):
            assert decimal(value) == format_decimal(value), value
