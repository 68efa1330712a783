"""Configuration order, the SECRET_KEY guard, and the SQLite connection settings."""

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldkit import create_app
from fieldkit.config import ConfigError
from fieldkit.extensions import db


def test_missing_secret_key_outside_debug_is_an_error(monkeypatch, tmp_path):
    monkeypatch.delenv("FIELDKIT_SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(ConfigError, match="FIELDKIT_SECRET_KEY"):
        create_app(instance_path=str(tmp_path))


def test_instance_config_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("FIELDKIT_GPS_ACCURACY_M", raising=False)
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nFIELDKIT_GPS_ACCURACY_M = 30\n")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-instance" and app.config["FIELDKIT_GPS_ACCURACY_M"] == 30
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/fieldkit.sqlite"


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("FIELDKIT_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("FIELDKIT_GPS_ACCURACY_M", "50")
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.invalid/fieldkit")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["FIELDKIT_GPS_ACCURACY_M"] == 50
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.invalid/fieldkit"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "db": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:9/none"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["db"] == "unavailable"


@pytest.mark.parametrize("path", ["/login", "/healthz", "/api/v1/openapi.json", "/nowhere"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "geolocation=(self)" in response.headers["Permissions-Policy"]


def test_make_writes_the_secret_key_readable_by_its_owner_only(tmp_path):
    """`make run` writes instance/config.py with the SECRET_KEY: mode 0600, whatever the umask."""
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    done = subprocess.run(
        ["sh", "-c", "umask 022 && make --no-print-directory instance/config.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    config = tmp_path / "instance" / "config.py"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert config.read_text().startswith("SECRET_KEY = '")
