"""Browser fixtures: the real app served on a free port, and Debian's Chromium as an officer's phone.

The browser runs with no network beyond the live server: any other request is aborted and fails the test, as
does any console error or uncaught page error.
"""

import contextlib
import io
import json
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.e2e.browser import PHONE, PHONE_POSITION, Watch
from tests.factories import free_port

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The path of Debian's Chromium, or a skip (a failure when FIELDKIT_REQUIRE_BROWSER=1)."""
    path = shutil.which("chromium")
    if path is None:
        reason = "Debian's chromium is not installed: apt-get install -y chromium"
        if os.environ.get("FIELDKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FIELDKIT_REQUIRE_BROWSER=1 but {reason}")
        print(f"\nfieldkit e2e: skipped — {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the repository root (git-ignored), for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def live_server(app):
    """Serve the test app (with CSRF on, as in production) from a thread; yield its base URL."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="fieldkit-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="package")
def browser(chromium_path):
    """One headless Chromium for the browser tests.

    Package scope: Playwright's sync API keeps its own event loop marked as running in this thread while it is
    started, so it is stopped as soon as the browser tests are done and never overlaps the rest of the suite.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Return a callable that opens a page in a new context (options as for browser.new_context) on the live server.

    Every context only reaches the live server; problems found are checked when the test ends.
    """
    watch = Watch(live_server)
    contexts = []

    def open_one(**options):
        context = browser.new_context(base_url=live_server, locale="vi-VN", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        context.route("**/*", watch.route)
        return watch.page(context.new_page())

    yield open_one
    for context in contexts:
        context.close()
    watch.check()


@pytest.fixture
def open_phone(open_page):
    """Return a callable that opens a phone-sized page; `geolocation=False` leaves out the location permission,
    as when the officer says no."""

    def open_one(geolocation=True):
        return open_page(**PHONE, geolocation=PHONE_POSITION, permissions=["geolocation"] if geolocation else [])

    return open_one


@pytest.fixture
def page(open_phone):
    """A phone page with the location permission granted and the officer inside commune 90001."""
    return open_phone()


# ---- Offline tests: a server that can be stopped and started again, and a phone that keeps its storage --------


class RestartableServer:
    """The test app on a fixed port, so the phone's service worker and IndexedDB (kept per origin) find it again.

    `stop()` closes the port and also drops requests on connections the browser kept open; `cut_after(n, ...)`
    lets the n-th matching request reach the app, then drops the connection before the answer goes out and stops
    the server, as when the network fails mid-sync. `writes` logs (method, path, uuid) of every API write it let
    through.
    """

    def __init__(self, app):
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.up = False
        self.writes: list[tuple[str, str]] = []
        self.refuse_writes = False
        self.sent: list | None = None  # set to a list to record every answer
        self.stopped = threading.Event()
        self._cut = None
        self._server = self._thread = None
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if not self.up:
            return self._drop(environ, start_response)
        is_write = path.startswith("/api/") and method not in ("GET", "HEAD", "OPTIONS")
        if is_write and self.refuse_writes:
            start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "application/json")])
            return [b'{"error": "unavailable", "message": "test: writes refused", "fields": {}}']
        if self.sent is not None:
            return self._recorded(environ, start_response)
        cut = False
        if is_write:
            with self._lock:
                self.writes.append((method, path, self._uuid(environ)))
                if self._cut and self._cut[1](method, path):
                    self._cut[0] -= 1
                    cut = self._cut[0] == 0
        if not cut:
            return self.app(environ, start_response)
        self._cut = None
        self._body(self.app(environ, lambda *args, **kwargs: None))  # the app stores it; the answer is lost
        threading.Thread(target=self.stop, daemon=True).start()
        return self._drop(environ, start_response)

    @staticmethod
    def _body(result) -> bytes:
        """Read a WSGI answer whole and close it, as a server does."""
        try:
            return b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()

    def _recorded(self, environ, start_response):
        """Pass the request on and note (path, status, content type, body) of what went out."""
        seen = {}

        def note(status, headers, exc_info=None):
            seen.update(status=int(status.split()[0]), type=dict(headers).get("Content-Type", ""))
            return start_response(status, headers, exc_info)

        body = self._body(self.app(environ, note))
        query = environ.get("QUERY_STRING")
        self.sent.append((environ["PATH_INFO"] + ("?" + query if query else ""), seen["status"], seen["type"], body))
        return [body]

    @staticmethod
    def _uuid(environ) -> str | None:
        """The uuid of a POSTed entry (the body is read and put back), or of the entry a photo belongs to."""
        parts = environ.get("PATH_INFO", "").split("/")
        if environ["REQUEST_METHOD"] != "POST":
            return parts[4] if len(parts) > 4 else None
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            return json.loads(body).get("uuid")
        except (ValueError, AttributeError):
            return None

    def _drop(self, environ, start_response):
        connection = environ.get("werkzeug.socket")
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        start_response("503 SERVICE UNAVAILABLE", [("Content-Length", "0")])
        return [b""]

    def cut_after(self, count: int, match) -> None:
        """Drop the answer to the count-th API write for which match(method, path) is true, then stop."""
        self.stopped.clear()
        self._cut = [count, match]

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fieldkit-restartable", daemon=True)
        self._thread.start()
        self.up = True

    def stop(self) -> None:
        self.up = False
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        self.stopped.set()


@pytest.fixture
def restartable_server(app):
    """Serve the test app (CSRF on) on a fixed port that survives stop() and start(); yield the server."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = RestartableServer(app)
    server.start()
    yield server
    server.stop()


# Offline tests make requests fail on purpose; Chromium reports each as "Failed to load resource".
EXPECTED_OFFLINE_CONSOLE = ("Failed to load resource",)


@pytest.fixture
def persistent_phone(browser, chromium_path, restartable_server, tmp_path):
    """Return a phone whose profile (service worker, caches, IndexedDB, cookies) lives on disk between launches.

    `phone.open(offline=False)` launches Chromium on the profile and answers a page; `phone.close()` quits it.
    Only the restartable server is reachable; console errors other than failed loads fail the test.
    """
    watch = Watch(restartable_server.url, EXPECTED_OFFLINE_CONSOLE)

    class Phone:
        context = None

        def open(self, offline: bool = False):
            self.close()
            self.context = browser.browser_type.launch_persistent_context(
                str(tmp_path / "phone-profile"),
                executable_path=chromium_path,
                args=CHROMIUM_ARGS,
                headless=True,
                base_url=restartable_server.url,
                **PHONE,
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
                geolocation=PHONE_POSITION,
                permissions=["geolocation"],
                offline=offline,
                accept_downloads=True,
            )
            self.context.set_default_timeout(15_000)
            self.context.route("**/*", watch.route)
            return watch.page(self.context.pages[0] if self.context.pages else self.context.new_page())

        def new_page(self):
            """Another tab on the same profile."""
            return watch.page(self.context.new_page())

        def close(self):
            if self.context is not None:
                self.context.close()
                self.context = None

    phone = Phone()
    yield phone
    phone.close()
    watch.check()
