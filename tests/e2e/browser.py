"""What the browser tests share: the phone's settings, a watch on what the browser reports, and logging in."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.factories import PASSWORD

# Where the officer stands: inside test commune 90001 (tests/factories.py), with a fix better than the goal.
PHONE_POSITION = {"latitude": 10.01, "longitude": 105.71, "accuracy": 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


class Watch:
    """Let a browser reach only one server and note what it reports: other hosts, console errors, page errors.

    Console errors that start with one of `expected` (e.g. failed loads while offline) are not problems.
    """

    def __init__(self, url: str, expected: tuple[str, ...] = ()):
        self.allowed = urlsplit(url).netloc
        self.expected = expected
        self.problems: list[str] = []

    def route(self, route, request) -> None:
        """A route handler for context.route("**/*", …)."""
        if urlsplit(request.url).netloc == self.allowed:
            route.continue_()
        else:
            self.problems.append(f"blocked outside request: {request.method} {request.url}")
            route.abort("blockedbyclient")

    def page(self, page):
        """Watch the page's console and errors; answer the page."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        return page

    def check(self) -> None:
        assert not self.problems, "the browser reported problems:\n" + "\n".join(self.problems)

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith(self.expected):
            where = message.location or {}
            self.problems.append(
                f"console error: {message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})"
            )


LANDING = {"officer": r"/$", "supervisor": r"/coverage$", "admin": r"/admin/$"}  # where each role starts


def log_in(page, user, tap: bool = True) -> None:
    """Log in through the form (tapped on a phone, clicked on a desk) and land on the role's start page."""
    page.goto("/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    button = page.locator("main form button[type=submit]")
    button.tap() if tap else button.click()
    expect(page).to_have_url(re.compile(LANDING[user.role]))
