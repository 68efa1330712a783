"""Browser fixtures: the real app served on a free port, and Debian's Chromium as an officer's phone.

The browser runs with no network beyond the live server: any other request is aborted and fails the test, as
does any console error or uncaught page error.
"""

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where the officer stands: inside test commune 90001 (tests/factories.py), with a fix better than the goal.
PHONE_POSITION = {"latitude": 10.01, "longitude": 105.71, "accuracy": 8}


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
def open_phone(browser, live_server):
    """Return a callable that opens a page in a new phone-sized context on the live server.

    `geolocation=False` makes a context without the location permission, as when the officer says no.
    Every context only reaches the live server; problems found are checked when the test ends.
    """
    allowed = urlsplit(live_server).netloc
    problems: list[str] = []
    contexts = []

    def block_other_hosts(route, request):
        if urlsplit(request.url).netloc == allowed:
            route.continue_()
        else:
            problems.append(f"blocked outside request: {request.method} {request.url}")
            route.abort("blockedbyclient")

    def on_console(message):
        if message.type == "error":
            where = message.location or {}
            problems.append(f"console error: {message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})")

    def open_page(geolocation=True):
        context = browser.new_context(
            base_url=live_server,
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="vi-VN",
            geolocation=PHONE_POSITION,
            permissions=["geolocation"] if geolocation else [],
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        context.route("**/*", block_other_hosts)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(open_phone):
    """A phone page with the location permission granted and the officer inside commune 90001."""
    return open_phone()
