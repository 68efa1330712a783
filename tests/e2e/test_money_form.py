"""The officer's form carries the cost and its funding source through the phone's outbox to the server."""

from playwright.sync_api import expect

from fieldkit.extensions import db
from tests.e2e.browser import log_in
from tests.e2e.test_record_activity import ENTRY_URL, fill_talk, open_the_form, stored_activities


def test_the_cost_and_source_reach_the_server_through_the_outbox(page, areas, make_user, bodies, artifacts):
    officer = make_user("officer", areas[0])
    officer.organization = bodies["HND"]
    db.session.commit()
    log_in(page, officer)
    open_the_form(page)
    expect(page.locator("#gps-status")).to_have_attribute("data-state", "good")
    fill_talk(page, "Đối thoại về nguồn vốn vay", participants=25, poor_members=4)
    money = page.locator("fieldset#money")
    money.scroll_into_view_if_needed()
    page.fill("input[name=cost_vnd]", "1750000")
    page.select_option("select[name=funding_source]", "mobilised")
    money.screenshot(path=artifacts / "e2e-money-fieldset.png")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(ENTRY_URL)
    expect(page.locator("dl.facts")).to_contain_text("1.750.000")
    [activity] = stored_activities()
    assert (activity.cost_vnd, activity.funding_source) == (1_750_000, "mobilised")
    assert activity.organization.code == "HND"
