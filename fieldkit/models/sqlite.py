"""SQLite connection settings, applied to every new connection."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

_busy_timeout_ms = 5000


def init_app(app) -> None:
    """Remember the configured busy timeout for the connect hook."""
    global _busy_timeout_ms
    _busy_timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, _record) -> None:
    """Turn on WAL, foreign keys and a busy timeout for SQLite connections."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(_busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
