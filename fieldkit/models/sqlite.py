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


@event.listens_for(Engine, "savepoint")
def _begin_before_savepoint(connection, _name) -> None:
    """Begin SQLite's transaction before a savepoint that would otherwise begin it.

    pysqlite emits BEGIN only before a write, so a SAVEPOINT sent first would itself open the transaction and its
    RELEASE would commit it — a service's savepoint would commit its caller's work. SQLAlchemy's pysqlite recipe
    emits BEGIN at the start of every transaction instead; that starts SQLite's read snapshot at the first SELECT,
    and in WAL mode a writer whose snapshot another process has since committed past fails at once
    (SQLITE_BUSY_SNAPSHOT) rather than waiting its busy timeout. Beginning here keeps reads as they were and makes
    savepoints nest inside one transaction, as on PostgreSQL.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if type(dbapi_connection).__module__ == "sqlite3" and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")
