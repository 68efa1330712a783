"""The form on a 360 × 740 phone checks an entry with the server's own rules before saving anything, keeps a draft,
says "Saved" with "Record another", and the home page lists what to do first.

Selectors use names, ids and data attributes; the messages checked are the server's own (read from the rules the
page carries), so the tests hold in either language.
"""

import json
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import Activity
from forms.activity import from_json
from tests.e2e.browser import PHONE, PHONE_POSITION, log_in
from tests.factories import VN, talk

SMALL = {**PHONE, "viewport": {"width": 360, "height": 740}}
ENTRY_SAVED = re.compile(r"/activities/[0-9a-f-]{36}\?saved=1$")


@pytest.fixture
def phone(open_page):
    """A 360 × 740 phone with its location on, inside commune 90001."""
    return open_page(**SMALL, geolocation=PHONE_POSITION, permissions=["geolocation"])


@pytest.fixture
def officer(make_user, areas):
    return make_user("officer", areas[0])


def stored() -> list[Activity]:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(db.select(Activity)).unique().all()


def rules(page) -> dict:
    return json.loads(page.locator("#form-rules").text_content())


def labelled(page, name, message) -> str:
    r = rules(page)
    return r["labelled"].replace("%(label)s", r["fields"][name]["label"]).replace("%(message)s", message)


def outbox_count(page) -> int:
    return page.evaluate("FK.store.all().then(list => list.length)")


def open_form(page):
    page.goto("/activities/new")
    expect(page.locator("#gps-status")).to_have_attribute("data-state", "good")


def error_at(page, name):
    """The message shown beside a field, found through the field's aria-describedby."""
    field = page.locator(f"[name={name}]").first
    expect(field).to_have_attribute("aria-describedby", re.compile(r"\S"))
    expect(field).to_have_attribute("aria-invalid", "true")
    ids = field.get_attribute("aria-describedby")
    return page.locator(f"#{ids.split()[-1]}")


def broken_talk(page):
    """A talk without its format and with more poor members than participants."""
    page.fill("input[name=topic]", "Đối thoại thiếu hình thức")
    page.fill("input[name=participants]", "5")
    page.fill("input[name=poor_members]", "9")


def assert_refused_on_the_spot(page, posts):
    page.locator("#activity-form button[type=submit]").tap()
    r = rules(page)
    fmt = error_at(page, "format")
    expect(fmt).to_have_text(labelled(page, "format", r["fields"]["format"]["messages"]["required"]))
    expect(fmt).to_be_visible()
    assert fmt.evaluate("p => p.closest('.field').id") == "field-format"
    sums = next(s for s in r["sums"] if s["at"] == "poor_members")
    expect(error_at(page, "poor_members")).to_have_text(labelled(page, "poor_members", sums["message"]))
    expect(page.locator("#form-summary")).to_be_visible()
    expect(page.locator("input[name=topic]")).to_have_value("Đối thoại thiếu hình thức")
    expect(page.locator("input[name=participants]")).to_have_value("5")
    expect(page.locator("input[name=poor_members]")).to_have_value("9")
    assert outbox_count(page) == 0
    expect(page.locator("#outbox-badge")).to_have_attribute("data-count", "0")
    assert posts == [] and stored() == []


def api_posts(page) -> list:
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/api/" in r.url else None)
    return posts


def test_required_fields_are_marked_and_follow_the_type(phone, officer, artifacts):
    log_in(phone, officer)
    open_form(phone)
    r = rules(phone)
    for kind in ("talk", "banner", "leaflet", "broadcast", "media"):
        phone.locator(f"label.type-choice:has(input[value={kind}])").tap()
        for name in r["types"][kind]["fields"]:
            box, field = phone.locator(f"#field-{name}"), phone.locator(f"[name={name}]")
            needed = name in r["types"][kind]["required"]
            assert ("required" in (box.get_attribute("class") or "").split()) == needed, (kind, name)
            assert field.evaluate("f => f.required") == needed
            assert (field.get_attribute("aria-required") == "true") == needed
        # The mark is visible: a "*" after the label.
        first = r["types"][kind]["required"][0]
        mark = phone.locator(f"#field-{first} > label").evaluate("l => getComputedStyle(l, '::after').content")
        assert "*" in mark
    # Without a GPS fix, a type that needs a place requires the commune; media does not.
    phone.locator("label.type-choice:has(input[value=talk])").tap()
    commune = phone.locator("#declared_area_code")
    assert commune.get_attribute("aria-required") is None
    phone.locator("#gps-clear").tap()
    expect(commune).to_have_attribute("aria-required", "true")
    expect(phone.locator("#field-declared_area_code")).to_have_class(re.compile(r"\brequired\b"))
    phone.locator("label.type-choice:has(input[value=media])").tap()
    assert commune.get_attribute("aria-required") is None
    phone.locator("label.type-choice:has(input[value=talk])").tap()
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=artifacts / "phone-form-required.png", full_page=True)


def test_a_broken_save_is_refused_on_the_spot_online_and_offline(persistent_phone, officer, artifacts):
    phone = persistent_phone.open()  # its watch expects the failed loads of a phone offline
    phone.set_viewport_size(SMALL["viewport"])
    log_in(phone, officer)
    posts = api_posts(phone)
    open_form(phone)
    broken_talk(phone)
    assert_refused_on_the_spot(phone, posts)
    phone.screenshot(path=artifacts / "phone-form-refused.png")

    phone.context.set_offline(True)
    phone.fill("input[name=topic]", "Đối thoại thiếu hình thức")  # typing again clears nothing
    assert_refused_on_the_spot(phone, posts)
    # Fixed, it saves (offline: on the phone) and says so, with a way to record another.
    phone.select_option("select[name=format]", "talk")
    phone.fill("input[name=poor_members]", "2")
    phone.locator("#activity-form button[type=submit]").tap()
    expect(phone.locator("#saved-notice")).to_have_attribute("data-state", "saved_waiting", timeout=20_000)
    expect(phone.locator("#saved-notice [data-record-another]")).to_be_visible()
    expect(phone.locator("#form-summary")).to_be_hidden()
    assert outbox_count(phone) == 1
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=artifacts / "phone-form-saved-offline.png")
    phone.context.set_offline(False)
    phone.evaluate("FK.outbox.sync()")
    expect(phone.locator("#outbox-badge")).to_have_attribute("data-count", "0", timeout=30_000)
    assert [a.topic for a in stored()] == ["Đối thoại thiếu hình thức"]


def test_a_refusal_by_the_server_online_keeps_the_form_and_leaves_no_outbox_item(persistent_phone, officer, artifacts):
    phone = persistent_phone.open()  # its watch expects the browser's note of the refused request
    phone.set_viewport_size(SMALL["viewport"])
    log_in(phone, officer)
    open_form(phone)
    # A page older than the sums rule: the phone lets it through, the server refuses it.
    phone.evaluate("FK.rules.data.sums = []")
    phone.fill("input[name=topic]", "Đối thoại số liệu sai")
    phone.select_option("select[name=format]", "dialogue")
    phone.fill("input[name=participants]", "5")
    phone.fill("input[name=poor_members]", "9")
    with phone.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/api/v1/activities")) as answer:
        phone.locator("#activity-form button[type=submit]").tap()
    assert answer.value.status == 400
    message = error_at(phone, "poor_members")
    sums = next(s for s in rules(phone)["sums"] if s["at"] == "poor_members")
    expect(message).to_have_text(labelled(phone, "poor_members", sums["message"]))
    expect(phone.locator("#activity-form")).not_to_contain_text("poor_members")
    expect(phone.locator("input[name=topic]")).to_have_value("Đối thoại số liệu sai")
    expect(phone.locator("select[name=format]")).to_have_value("dialogue")
    expect(phone.locator("input[name=participants]")).to_have_value("5")
    expect(phone.locator("#saved-notice")).to_be_hidden()
    expect(phone.locator("#activity-form button[type=submit]")).to_be_enabled()
    assert outbox_count(phone) == 0 and stored() == []
    expect(phone.locator("#outbox-badge")).to_have_attribute("data-count", "0")
    phone.screenshot(path=artifacts / "phone-form-server-refused.png")
    # Fixed, the same form saves: the entry page says "Saved" and offers another.
    phone.fill("input[name=participants]", "40")
    phone.locator("#activity-form button[type=submit]").tap()
    expect(phone).to_have_url(ENTRY_SAVED, timeout=30_000)
    expect(phone.locator("[data-saved-uuid]")).to_be_visible()
    phone.screenshot(path=artifacts / "phone-entry-saved.png")
    phone.locator("[data-record-another]").tap()
    expect(phone).to_have_url(re.compile(r"/activities/new\?type=talk$"))
    assert [a.details["participants"] for a in stored()] == [40]


def test_a_draft_survives_leaving_and_home_offers_it(phone, officer, artifacts):
    log_in(phone, officer)
    open_form(phone)
    dialogs = []
    phone.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    phone.locator("label.type-choice:has(input[value=leaflet])").tap()
    phone.fill("input[name=topic]", "Phát tờ rơi ấp Thới Hòa")
    phone.fill("input[name=copies]", "120")
    phone.fill("textarea[name=notes]", "Còn 30 tờ")
    phone.reload()
    assert dialogs == ["beforeunload"]  # leaving a changed form asks first
    expect(phone.locator("input[name=type][value=leaflet]")).to_be_checked()
    expect(phone.locator("input[name=topic]")).to_have_value("Phát tờ rơi ấp Thới Hòa")
    expect(phone.locator("input[name=copies]")).to_have_value("120")
    expect(phone.locator("textarea[name=notes]")).to_have_value("Còn 30 tờ")
    expect(phone.locator("#draft-restored")).to_be_visible()

    other = phone.context.new_page()  # a new page, as after closing the tab
    other.goto("/")
    offer = other.locator("#draft-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Phát tờ rơi ấp Thới Hòa")
    expect(offer.locator("[data-draft-resume]")).to_have_text("Tiếp tục bản nháp")
    other.screenshot(path=artifacts / "phone-home-draft.png")
    other.locator("[data-draft-resume]").tap()
    expect(other.locator("input[name=copies]")).to_have_value("120")
    expect(other.locator("#gps-status")).to_have_attribute("data-state", "good")
    other.locator("#activity-form button[type=submit]").tap()
    expect(other).to_have_url(ENTRY_SAVED, timeout=30_000)
    other.goto("/")
    expect(other.locator("#draft-offer")).to_be_hidden()
    assert other.evaluate("Object.keys(localStorage).filter(k => k.startsWith('fieldkit-draft'))") == []
    assert [a.details["copies"] for a in stored()] == [120]


def test_discarding_a_draft_from_home(phone, officer):
    log_in(phone, officer)
    open_form(phone)
    phone.fill("input[name=topic]", "Bản nháp bỏ đi")
    phone.goto("/")
    phone.locator("#draft-offer [data-draft-discard]").tap()
    expect(phone.locator("#draft-offer")).to_be_hidden()
    phone.goto("/activities/new")
    expect(phone.locator("input[name=topic]")).to_have_value("")
    expect(phone.locator("#draft-restored")).to_be_hidden()


def test_home_puts_returned_entries_first_and_the_latest_activity_first(phone, officer, artifacts):
    now = datetime.now(VN)
    made = {}
    for topic, hours in (("Tuần trước", 24 * 7), ("Vừa xong", 1), ("Hôm qua", 24), ("Bị trả lại", 30)):
        body = talk(topic=topic, occurred_at=(now - timedelta(hours=hours)).isoformat(timespec="seconds"))
        made[topic], _ = services.receive(officer, from_json(body).payload())
    made["Bị trả lại"].status = "returned"
    made["Bị trả lại"].review_comment = "Thiếu ảnh"
    db.session.commit()
    log_in(phone, officer)
    expect(phone.locator("#returned [data-returned-count]")).to_have_text("1")
    expect(phone.locator("#returned li.entry")).to_have_count(1)
    assert phone.evaluate(
        "document.querySelector('#returned').compareDocumentPosition("
        "document.querySelector('main a.big')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    texts = phone.locator("main > section:last-of-type li.entry").all_text_contents()
    order = [t for name in texts for t in ("Vừa xong", "Hôm qua", "Bị trả lại", "Tuần trước") if t in name]
    assert order == ["Vừa xong", "Hôm qua", "Bị trả lại", "Tuần trước"], texts
    phone.screenshot(path=artifacts / "phone-home.png", full_page=True)
