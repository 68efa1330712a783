"""The header on a phone: folded behind the menu button from the first paint, so the page does not jump."""

from playwright.sync_api import expect

from tests.e2e.browser import PHONE, log_in

LAYOUT_JS = "**/static/js/layout.js*"


def header_and_main_top(page) -> tuple[float, float]:
    """The header's height and where the page's content starts, in CSS pixels."""
    return page.locator("header.bar").bounding_box()["height"], page.locator("main").bounding_box()["y"]


def test_the_header_is_folded_before_layout_js_runs(open_page, areas, make_user):
    """Before layout.js has run the header already has its folded height (Lighthouse measured a 0.085 shift)."""
    page = open_page(**PHONE, service_workers="block")  # the worker's cache would bypass the route below
    log_in(page, make_user("officer", areas[0]))

    page.route(LAYOUT_JS, lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
    page.goto("/activities/new")
    expect(page.locator("[data-menu-button]")).to_be_visible()
    expect(page.locator("#site-nav")).to_be_hidden()
    before = header_and_main_top(page)

    page.unroute(LAYOUT_JS)
    page.goto("/activities/new")
    expect(page.locator("header.bar.has-menu")).to_have_count(1)
    assert header_and_main_top(page) == before
    page.locator("[data-menu-button]").tap()
    expect(page.locator("#site-nav")).to_be_visible()


def test_without_scripts_the_links_show_in_the_header(open_page, areas, make_user, live_server):
    """With scripts off nothing folds the links away, so they stay in the header, wrapped under the brand."""
    page = open_page(**PHONE)
    log_in(page, make_user("officer", areas[0]))
    cookies = page.context.cookies()
    quiet = open_page(**PHONE, java_script_enabled=False)
    quiet.context.add_cookies(cookies)
    quiet.goto("/activities/new")
    expect(quiet.locator("[data-menu-button]")).to_be_hidden()
    expect(quiet.locator("#site-nav a").first).to_be_visible()
