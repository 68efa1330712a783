"""Faults: the database down, busy or dropping connections; a full or failing disk; a crash mid-upload.

Every answer must let the phone try again (a 5xx, which its outbox retries, never a 4xx it would show as a
rejection) and leave the server with nothing half-stored: no row without its files, no file without its row.
"""

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from fieldkit import create_app
from fieldkit.admin import services as admin_services
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.models import sqlite as sqlite_settings
from fieldkit.photos import services as photo_services
from fieldkit.photos import storage
from fieldkit.photos.storage import settle
from tests.conftest import IsolatedClient, base_config
from tests.factories import PASSWORD, free_port, jpeg, talk

DOWN_MESSAGE = "Cơ sở dữ liệu không phản hồi"
STACK_MARKERS = ("Traceback", 'File "', "Error:", "sqlalchemy", "sqlite3", "psycopg", "SELECT ")
OUTBOX_SYNC = os.path.join(os.path.dirname(__file__), "..", "fieldkit", "static", "js", "outbox-sync.js")


UNREACHABLE = {
    "postgresql": lambda folder: f"postgresql://postgres@127.0.0.1:{free_port()}/fieldkit",
    "sqlite": lambda folder: f"sqlite:///{folder}/no-such-folder/fieldkit.sqlite",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def down(request, app, tmp_path):
    """A client of a second app server, alike but for a database it cannot reach."""
    broken = create_app(base_config(UNREACHABLE[request.param](tmp_path), str(tmp_path / "uploads")))
    broken.test_client_class = IsolatedClient
    yield broken.test_client()
    with broken.app_context():
        db.engine.dispose()


def share_session(client, other) -> None:
    """Carry the logged-in session cookie over to the other app server."""
    other.set_cookie("session", client.get_cookie("session").value)


def assert_retry_later(response, status=503, error="unavailable") -> None:
    """A JSON error the outbox keeps the entry for and retries."""
    assert response.status_code == status, response.text
    assert response.is_json and set(response.json) == {"error", "message", "fields"}
    assert response.json["error"] == error and response.json["fields"] == {} and response.json["message"]
    assert int(response.headers["Retry-After"]) > 0


@pytest.fixture
def supervisor(make_user, login, areas):
    user = make_user("supervisor")
    login(user)
    return user


PAGES = [("officer", "GET", "/"), ("officer", "GET", "/login"), ("officer", "POST", "/login")]
PAGES += [("supervisor", "GET", "/map"), ("supervisor", "GET", "/coverage")]


@pytest.mark.parametrize(("role", "method", "path"), PAGES)
def test_pages_answer_a_friendly_503_when_the_database_is_down(request, client, down, role, method, path):
    request.getfixturevalue(role)
    share_session(client, down)
    response = down.open(path, method=method, data={"username": "x", "password": "y"} if method == "POST" else None)
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert '<html lang="vi" ' in response.text and DOWN_MESSAGE in response.text
    assert [marker for marker in STACK_MARKERS if marker in response.text] == []
    assert int(response.headers["Retry-After"]) > 0


def test_logging_in_while_the_database_is_down_is_not_a_failed_attempt(down):
    for _ in range(7):  # over the limit of 5 failed attempts a minute
        response = down.post("/login", data={"username": "nguoi-dung-fault", "password": "whatever"})
        assert response.status_code == 503 and DOWN_MESSAGE in response.text


def test_the_api_answers_json_503_so_the_phone_keeps_its_outbox(app, client, officer, down):
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    share_session(client, down)
    url = f"/api/v1/activities/{body['uuid']}"
    json_calls = [
        ("POST", "/api/v1/activities", {"json": talk()}),
        ("POST", "/api/v1/activities", {"json": body}),
        ("GET", "/api/v1/activities", {}),
        ("GET", url, {}),
        ("PUT", f"{url}/photos/0", {"data": jpeg(), "content_type": "image/jpeg"}),
        ("GET", "/csrf-token", {"headers": {"Accept": "application/json"}}),  # the outbox asks this first
    ]
    for method, path, options in json_calls:
        response = down.open(path, method=method, **options)
        assert_retry_later(response)
        assert DOWN_MESSAGE in response.json["message"]
    _, secret = admin_services.create_token(officer, officer, "phone")
    db.session.commit()
    by_token = down.application.test_client()
    assert_retry_later(by_token.post("/api/v1/activities", json=talk(), headers={"Authorization": f"Bearer {secret}"}))
    health = down.get("/healthz")
    assert health.status_code == 503 and health.json == {"status": "error", "db": "unavailable"}


@contextmanager
def outage_after(statements: int):
    """The database stops answering after this many statements, in the middle of a request."""
    seen = []

    def fail(connection, cursor, statement, parameters, context, executemany):
        seen.append(statement)
        if len(seen) > statements:
            raise OperationalError(statement, parameters, ConnectionError("server closed the connection unexpectedly"))

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)


def test_a_database_lost_after_the_user_was_loaded_still_gets_the_page(client, officer):
    # The error page must not touch the database again, e.g. to refresh the rolled-back user for the menu.
    with outage_after(1) as seen:
        page = client.get("/")
    assert len(seen) == 2  # the user was loaded, the next statement failed, and nothing was tried after it
    with outage_after(1) as seen:
        posted = client.post("/api/v1/activities", json=talk())
    assert len(seen) == 2
    assert page.status_code == 503 and DOWN_MESSAGE in page.text
    assert [marker for marker in STACK_MARKERS if marker in page.text] == []
    assert_retry_later(posted)
    assert client.get("/").status_code == 200


OUTBOX_UUID = "5b1f3c0e-8d7a-4e39-9a51-2f0d6c1b7e44"
# Runs the real outbox-sync.js with an in-memory store holding one entry with one photo, and a fetch that answers
# as the scenario says; prints the store and the pass's result.
NODE_HARNESS = r"""
const fs = require("fs");
const source = fs.readFileSync(process.argv[1], "utf8");
const scenario = JSON.parse(process.argv[2]);
const uuid = "%UUID%";
const entries = {[uuid]: {uuid, officer: "officer1", state: "saved", posted: scenario.posted, tries: 0,
  created_at: "2025-11-20T09:00:00Z", body: {uuid}, photos: [{index: 0, sha256: "ab"}]}};
const removed = [];
const store = {
  all: () => Promise.resolve(Object.values(entries).map((e) => ({...e}))),
  update: (id, change) => { Object.assign(entries[id], change); return Promise.resolve({...entries[id]}); },
  remove: (id) => { delete entries[id]; removed.push(id); return Promise.resolve(); },
  photo: () => Promise.resolve(new Blob([new Uint8Array([255, 216, 255])], {type: "image/jpeg"})),
  setMeta: () => Promise.resolve(), meta: () => Promise.resolve(null),
  lease: () => Promise.resolve(true), release: () => Promise.resolve(),
};
function fakeFetch(url, options) {
  const method = (options && options.method) || "GET";
  const answer = url === "/csrf-token" ? {status: 200, body: {csrf_token: "t", user: "officer1"}}
    : scenario.answers[method] || {status: 599, type: "text/plain", body: "unexpected " + method};
  const type = answer.type || "application/json";
  return Promise.resolve({
    status: answer.status, ok: answer.status >= 200 && answer.status < 300,
    headers: {get: (name) => (name.toLowerCase() === "content-type" ? type : null)},
    json: () => (type === "application/json" ? Promise.resolve(answer.body) : Promise.reject(new Error("not json"))),
  });
}
const self = {FK: {store}, navigator: {locks: {request: (name, fn) => fn()}}};
new Function("self", "fetch", source)(self, fakeFetch);
self.FK.sync.run().then((result) => console.log(JSON.stringify({result, entries, removed})));
""".replace("%UUID%", OUTBOX_UUID)


def test_the_outbox_retries_a_503_and_a_507_and_keeps_the_entry():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the outbox script cannot be run")
    down = {"status": 503, "body": {"error": "unavailable", "message": "…", "fields": {}}}
    full = {"status": 507, "body": {"error": "insufficient_storage", "message": "…", "fields": {}}}
    proxy_page = {"status": 503, "type": "text/html", "body": "<h1>503</h1>"}
    refused = {"status": 400, "body": {"error": "invalid", "message": "…", "fields": {"participants": ["…"]}}}
    on_server = {"status": 200, "body": {"uuid": OUTBOX_UUID, "photos": []}}
    cases = [
        (False, {"POST": down}, "saved", "retry", 503),
        (False, {"POST": proxy_page}, "saved", "retry", 503),
        (True, {"GET": on_server, "PUT": full}, "on_server", "retry", 507),
        (True, {"GET": on_server, "PUT": down}, "on_server", "retry", 503),
        (False, {"POST": refused}, "attention", "rejected", 400),  # the difference the phone relies on
    ]
    for posted, answers, state, kind, status in cases:
        scenario = {"posted": posted, "answers": answers}
        run = subprocess.run(
            [node, "-e", NODE_HARNESS, OUTBOX_SYNC, json.dumps(scenario)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        outcome = json.loads(run.stdout)
        entry = outcome["entries"][OUTBOX_UUID]
        assert outcome["removed"] == [], answers
        assert (entry["state"], entry["error"]["kind"], entry["error"]["status"]) == (state, kind, status)
        assert outcome["result"]["retry"] is (kind == "retry")


# --- the disk --------------------------------------------------------------------------------------------------


@pytest.fixture
def entry(client, officer):
    """A stored talk; return its uuid."""
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    return body["uuid"]


def put(client, uuid, index, data):
    return client.put(f"/api/v1/activities/{uuid}/photos/{index}", data=data, content_type="image/jpeg")


def stored_files(app):
    root = app.config["FIELDKIT_UPLOADS"]
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def receipt(client, uuid):
    return [(p["index"], p["sha256"]) for p in client.get(f"/api/v1/activities/{uuid}").json["photos"]]


def files_of(*images: bytes) -> list[str]:
    shas = [hashlib.sha256(data).hexdigest() for data in images]
    return sorted(f"{sha[:2]}/{sha}{end}" for sha in shas for end in (".jpg", ".thumb.jpg"))


@contextmanager
def disk_fault(monkeypatch, uploads: str, call: str, code: int, target: str, nth: int):
    """Make os.<call> fail with ``code`` on the nth temporary file ("part": 1 the photo, 2 its thumbnail) or
    folder ("folder") it is called for under uploads; a failing write first writes half its bytes, as a filling
    disk does. Yield the paths it was called for."""
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc to tell the uploads' files from others")
    root, real, touched = os.path.realpath(uploads) + os.sep, getattr(os, call), []

    def faulty(fd, *args):
        path = os.readlink(f"/proc/self/fd/{fd}")
        aimed = path.endswith(".part") if target == "part" else os.path.isdir(path)
        if not path.startswith(root) or not aimed:
            return real(fd, *args)
        if path not in touched:
            touched.append(path)
        if len(touched) < nth:
            return real(fd, *args)
        if call == "write":
            real(fd, bytes(args[0][: len(args[0]) // 2]))
        raise OSError(code, os.strerror(code))

    with monkeypatch.context() as patch:
        patch.setattr(os, call, faulty)
        yield touched


DISK_FAULTS = [
    ("disk full writing the photo", "write", errno.ENOSPC, "part", 1, 507, "insufficient_storage"),
    ("I/O error at fsync of the photo", "fsync", errno.EIO, "part", 1, 503, "storage_unavailable"),
    ("disk full writing the thumbnail", "write", errno.ENOSPC, "part", 2, 507, "insufficient_storage"),
    ("I/O error writing the thumbnail", "write", errno.EIO, "part", 2, 503, "storage_unavailable"),
    ("I/O error syncing the folder after the rename", "fsync", errno.EIO, "folder", 1, 503, "storage_unavailable"),
]


@pytest.mark.parametrize(
    ("case", "call", "code", "target", "nth", "status", "error"), DISK_FAULTS, ids=[f[0] for f in DISK_FAULTS]
)
def test_a_failing_disk_keeps_nothing_and_the_resend_stores_the_photo(
    app, client, entry, monkeypatch, case, call, code, target, nth, status, error
):
    data = jpeg(1600, 1200)
    with disk_fault(monkeypatch, app.config["FIELDKIT_UPLOADS"], call, code, target, nth) as touched:
        response = put(client, entry, 0, data)
    assert len(touched) == nth, "the fault was not reached"
    assert_retry_later(response, status, error)
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 0
    assert stored_files(app) == []  # no half-written file, and no whole photo without its thumbnail
    assert receipt(client, entry) == []
    assert put(client, entry, 0, data).status_code == 201
    assert receipt(client, entry) == [(0, hashlib.sha256(data).hexdigest())]
    assert stored_files(app) == files_of(data)


# --- a crash between the record and its photos -----------------------------------------------------------------


def test_a_record_sent_without_its_photos_is_completed_by_the_resend(app, client, officer):
    body, images = talk(), [jpeg(colour=(10, 20, 30)), jpeg(colour=(200, 100, 0))]
    first = client.post("/api/v1/activities", json=body)
    assert first.status_code == 201 and first.json["photos"] == []
    # The phone dies here; its outbox still holds the entry and both photos, and sends it all again.
    assert receipt(client, body["uuid"]) == []
    again = client.post("/api/v1/activities", json=body)
    assert again.status_code == 200 and again.json["uuid"] == body["uuid"] and again.json["photos"] == []
    assert [put(client, body["uuid"], index, data).status_code for index, data in enumerate(images)] == [201, 201]
    complete = [(index, hashlib.sha256(data).hexdigest()) for index, data in enumerate(images)]
    assert receipt(client, body["uuid"]) == complete
    assert len(client.post("/api/v1/activities", json=body).json["photos"]) == 2
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 2
    assert stored_files(app) == files_of(*images)


def test_a_crash_after_the_photo_row_is_flushed_leaves_no_row_and_no_file(app, client, entry, monkeypatch):
    data, at_crash = jpeg(), {}

    attach = photo_services.attach

    def crash(activity, index, photo):
        attach(activity, index, photo)  # the files written and the row flushed
        at_crash["rows"] = len(activity.photos)
        at_crash["flushed"] = db.session.scalar(sa.select(sa.func.count(Photo.id)))
        at_crash["files"] = stored_files(app)
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(photo_services, "attach", crash)
        response = put(client, entry, 0, data)
    assert at_crash == {"rows": 1, "flushed": 1, "files": files_of(data)}
    assert response.status_code == 500 and response.json["error"] == "internal"  # any 5xx: the phone retries
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 0
    assert stored_files(app) == []
    assert receipt(client, entry) == []
    assert put(client, entry, 0, data).status_code == 201
    assert receipt(client, entry) == [(0, hashlib.sha256(data).hexdigest())]
    assert stored_files(app) == files_of(data)


def test_cleanup_never_removes_files_a_stored_photo_uses(app, client, entry):
    data = jpeg()
    assert put(client, entry, 0, data).status_code == 201
    sha, kept = hashlib.sha256(data).hexdigest(), stored_files(app)
    stray_sha = "ab" * 32
    stray = storage.file_path(f"ab/{stray_sha}.jpg")
    os.makedirs(os.path.dirname(stray), exist_ok=True)
    open(stray, "wb").close()
    # As if another request had written these files and then failed: only the one no photo names goes.
    db.session.scalar(sa.select(sa.literal(1)))
    written = [(sha, name, b"") for name in kept] + [(stray_sha, f"ab/{stray_sha}.jpg", b"")]
    db.session.info[settle.STORE], db.session.info[settle.WRITTEN] = storage.store(), written
    db.session.rollback()
    assert stored_files(app) == kept


# --- a busy database -------------------------------------------------------------------------------------------


@pytest.fixture
def held(app, monkeypatch):
    """Return a context manager: while it is open, another connection holds the database's write lock (SQLite)
    or an EXCLUSIVE lock on a table (PostgreSQL), and the app gives up waiting after a fraction of a second."""
    engine = db.engine

    def short_lock_timeout(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        dbapi_connection.commit()

    @contextmanager
    def hold(table: str):
        db.session.rollback()
        if engine.dialect.name == "sqlite":
            monkeypatch.setattr(sqlite_settings, "_busy_timeout_ms", 200)
            engine.dispose()
            other = sqlite3.connect(engine.url.database, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                other.execute("ROLLBACK")
                other.close()
            return
        event.listen(engine, "connect", short_lock_timeout)
        engine.dispose()
        locker = sa.create_engine(engine.url, poolclass=NullPool)
        try:
            with locker.connect() as other:
                other.execute(sa.text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
                yield
                other.rollback()
        finally:
            locker.dispose()
            event.remove(engine, "connect", short_lock_timeout)
            engine.dispose()

    return hold


def test_a_busy_database_answers_503_and_the_resend_stores_the_entry_once(client, officer, held):
    body = talk()
    with held("activity"):
        response = client.post("/api/v1/activities", json=body)
    assert_retry_later(response)
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0
    assert client.post("/api/v1/activities", json=body).status_code == 201
    assert client.post("/api/v1/activities", json=body).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1


def test_a_busy_database_during_a_photo_upload_leaves_no_file(app, client, entry, held):
    data = jpeg()
    with held("photo"):
        response = put(client, entry, 0, data)
    assert_retry_later(response)
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 0
    assert stored_files(app) == []
    assert put(client, entry, 0, data).status_code == 201
    assert stored_files(app) == files_of(data)


def test_no_free_connection_in_the_pool_answers_503(app, client, officer, tmp_path):
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path / "uploads"))
    pool = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}
    second = create_app({**config, "SQLALCHEMY_ENGINE_OPTIONS": pool})
    second.test_client_class = IsolatedClient
    phone = second.test_client()
    share_session(client, phone)
    with second.app_context():
        engine = db.engine
    try:
        with engine.connect():  # every connection the pool may open is in use
            assert_retry_later(phone.get("/api/v1/activities"))
        assert phone.get("/api/v1/activities").status_code == 200
    finally:
        engine.dispose()


# --- connections the database server drops ---------------------------------------------------------------------


def terminate_backends(engine) -> int:
    """Have the server end every other connection to this database, as a restart or failover does."""
    killer = sa.create_engine(engine.url, poolclass=NullPool)
    try:
        with killer.connect() as connection:
            return connection.scalar(
                sa.text(
                    "SELECT count(*) FILTER (WHERE ended) FROM (SELECT pg_terminate_backend(pid, 5000) AS ended"
                    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend') AS terminated"
                )
            )
    finally:
        killer.dispose()


def only_postgresql():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: an SQLite file has no server that could drop the app's connections")


def test_connections_the_server_dropped_are_replaced_unseen(app, client, officer):
    only_postgresql()
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert client.post("/api/v1/activities", json=talk()).status_code == 201
    assert client.get("/").status_code == 200
    db.session.close()
    assert terminate_backends(db.engine) >= 1
    assert client.get("/").status_code == 200
    assert client.post("/api/v1/activities", json=talk()).status_code == 201
    assert len(client.get("/api/v1/activities").json["items"]) == 2
    assert client.get("/healthz").status_code == 200


def test_without_pre_ping_a_dropped_connection_costs_one_retryable_503(app, make_user, areas, tmp_path):
    only_postgresql()
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path / "uploads"))
    second = create_app({**config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False}})
    second.test_client_class = IsolatedClient
    phone = second.test_client()
    user = make_user("officer", areas[0])
    assert phone.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    assert phone.get("/api/v1/activities").status_code == 200
    db.session.close()
    try:
        assert terminate_backends(db.engine) >= 1
        assert_retry_later(phone.get("/api/v1/activities"))
        assert phone.get("/api/v1/activities").status_code == 200
    finally:
        with second.app_context():
            db.engine.dispose()


def test_engine_options_keep_pre_ping_under_an_instance_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nSQLALCHEMY_ENGINE_OPTIONS = {'pool_size': 3}\n")
    configured = create_app(instance_path=str(tmp_path))
    assert configured.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True, "pool_size": 3}
    with configured.app_context():
        with db.engine.connect() as connection:  # SQLite's connection settings still apply
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.engine.pool.size() == 3
        db.engine.dispose()
