"""An officer records a talk on a phone: log in, GPS fix, type fields, a photo, then the entry and the list.

Selectors use names, ids and data attributes rather than visible text, so the tests hold in either language.
"""

import re

from PIL import Image
from playwright.sync_api import expect

from fieldkit.extensions import db
from fieldkit.models import Activity
from tests.e2e.browser import log_in

COMMUNE_A = "Phường An Thử"
ENTRY_URL = re.compile(r"/activities/[0-9a-f-]{36}(\?saved=1)?$")


def open_the_form(page):
    """Tap the home page's big "record an activity" button."""
    page.locator('main a[href="/activities/new"]').tap()
    expect(page).to_have_url(re.compile(r"/activities/new$"))
    expect(page.locator("#activity-form")).to_be_visible()


def choose_type(page, kind):
    page.locator(f"label.type-choice:has(input[name=type][value={kind}])").tap()
    expect(page.locator(f"input[name=type][value={kind}]")).to_be_checked()


def fill_talk(page, topic, participants, poor_members):
    page.fill("input[name=topic]", topic)
    page.select_option("select[name=format]", "dialogue")
    page.fill("input[name=participants]", str(participants))
    page.fill("input[name=poor_members]", str(poor_members))


def stored_activities() -> list[Activity]:
    """The activities as the server committed them (end this thread's transaction first, then query afresh)."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(db.select(Activity)).unique().all()


def test_officer_records_a_talk_with_gps_and_a_photo(page, areas, make_user, tmp_path, artifacts):
    officer = make_user("officer", areas[0])
    photo = tmp_path / "anh-buoi-doi-thoai.jpg"
    Image.new("RGB", (800, 600), (180, 40, 40)).save(photo, "JPEG")
    topic = "Đối thoại chính sách giảm nghèo ở khu vực 3"

    log_in(page, officer)
    open_the_form(page)

    # The phone's fix (± 8 m) beats the goal: the status turns good and the position fills in.
    status = page.locator("#gps-status")
    expect(status).to_have_attribute("data-state", "good")
    expect(page.locator("input[name=lat]")).to_have_value("10.010000")
    expect(page.locator("input[name=lon]")).to_have_value("105.710000")
    expect(page.locator("input[name=accuracy_m]")).to_have_value("8")
    expect(page.locator("#location_source")).to_have_value("gps")
    expect(page.locator("#declared_area_code")).to_have_value("90001")

    # Only the chosen type's fields are shown.
    talk_fields = page.locator("fieldset.type-fields[data-type=talk]")
    banner_fields = page.locator("fieldset.type-fields[data-type=banner]")
    expect(talk_fields).to_be_visible()
    expect(banner_fields).to_be_hidden()
    choose_type(page, "banner")
    expect(banner_fields).to_be_visible()
    expect(page.locator("select[name=kind]")).to_be_visible()
    expect(talk_fields).to_be_hidden()
    expect(page.locator("input[name=participants]")).to_be_hidden()
    choose_type(page, "talk")
    expect(talk_fields).to_be_visible()
    expect(banner_fields).to_be_hidden()

    fill_talk(page, topic, participants=30, poor_members=3)
    page.set_input_files("input[name=photos]", photo)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page in a full-page screenshot
    page.screenshot(path=artifacts / "e2e-record-form.png", full_page=True)

    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(ENTRY_URL)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(topic)
    expect(facts).to_contain_text(COMMUNE_A)
    thumbnail = page.locator(".photos img")
    expect(thumbnail).to_have_count(1)
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())

    page.locator("header [data-menu-button]").tap()  # on a phone the header's links sit behind the menu
    page.locator('header nav a[href="/activities"]').tap()
    expect(page).to_have_url(re.compile(r"/activities$"))
    entries = page.locator("ul.entries li.entry")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(topic)
    expect(entries.first).to_contain_text(COMMUNE_A)
    page.screenshot(path=artifacts / "e2e-entries.png", full_page=True)

    [activity] = stored_activities()
    assert activity.type == "talk"
    assert activity.area_code == "90001" and activity.declared_area_code == "90001"
    assert activity.location_source == "gps"
    assert (activity.lat, activity.lon, activity.accuracy_m) == (10.01, 105.71, 8)
    assert activity.details == {"format": "dialogue", "participants": 30, "poor_members": 3}
    assert activity.topic == topic
    assert len(activity.photos) == 1


def test_officer_records_without_gps_when_location_is_denied(open_phone, areas, make_user):
    page = open_phone(geolocation=False)
    officer = make_user("officer", areas[0])
    topic = "Nói chuyện chuyên đề không có GPS"

    log_in(page, officer)
    open_the_form(page)

    status = page.locator("#gps-status")
    expect(status).to_have_attribute("data-state", re.compile(r"^(denied|unavailable)$"))
    expect(page.locator("input[name=lat]")).to_have_value("")

    page.locator("#gps-clear").tap()
    expect(status).to_have_attribute("data-state", "none")
    expect(page.locator("#location_source")).to_have_value("none")
    page.select_option("#declared_area_code", "90001")
    fill_talk(page, topic, participants=25, poor_members=2)

    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(ENTRY_URL)
    expect(page.locator("dl.facts")).to_contain_text(topic)
    expect(page.locator("dl.facts")).to_contain_text(COMMUNE_A)

    [activity] = stored_activities()
    assert activity.location_source == "none"
    assert activity.declared_area_code == "90001"
    assert activity.lat is None and activity.lon is None
    assert activity.photos == []
