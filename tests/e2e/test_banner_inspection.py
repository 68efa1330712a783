"""A banner inspected offline on a phone: the label read from a photo of it (the vendored jsQR decoder: headless
Chromium on Linux has no BarcodeDetector) or its code typed, saved in the outbox, and arriving exactly once."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from fieldkit.activities import services
from fieldkit.banners import labels
from fieldkit.extensions import db
from fieldkit.models import Banner, BannerInspection
from forms.activity import from_json
from tests.e2e.test_offline import photo_file, visit_once_online, wait_until_empty, waiting
from tests.test_banners_assets import banner_entry


@pytest.fixture
def officer(make_user, areas):
    return make_user("officer", areas[0])


@pytest.fixture
def banner_code(app, officer):
    """One banner put up by the officer, through the write surface."""
    services.receive(officer, from_json(banner_entry(quantity=1)).payload())
    db.session.commit()
    return db.session.scalar(db.select(Banner.code))


KEPT_DECODER = """async () => {
  for (let i = 0; i < 100; i++) {
    for (const name of await caches.keys()) {
      const requests = await (await caches.open(name)).keys();
      if (requests.some((r) => r.url.includes("/jsqr/jsQR.js"))) return true;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}"""


def stored_inspections() -> list[BannerInspection]:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(db.select(BannerInspection).order_by(BannerInspection.id)).all()


def test_a_label_read_offline_and_a_typed_code_each_arrive_once(
    app, persistent_phone, restartable_server, officer, banner_code, tmp_path, artifacts
):
    with app.test_request_context(base_url=restartable_server.url):
        link = labels.link(banner_code)
    label = tmp_path / "label.png"
    label.write_bytes(labels.png(link, scale=6))

    page = visit_once_online(persistent_phone, officer)
    page.goto("/inspect")
    # The decoder is not part of the first visit: the worker keeps it when /inspect first loads it.
    assert page.evaluate(KEPT_DECODER), "the worker did not keep jsQR when /inspect loaded it"
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#inspect-form")).to_be_visible()
    detector = page.evaluate("'BarcodeDetector' in window")

    # 1. The label, read from a photo of it, offline.
    page.set_input_files("#scan-file", str(label))
    expect(page.locator("#code")).to_have_value(banner_code)
    page.locator("label.state-choice", has_text="hư hỏng").tap()
    page.fill("#note", "Rách một góc")
    page.set_input_files("#photos", str(photo_file(tmp_path, "torn.jpg", (150, 60, 30))))
    page.locator("#inspect-form button[type=submit]").tap()
    expect(page.locator("#inspect-status")).to_contain_text("sẽ được gửi khi có kết nối")
    page.screenshot(path=artifacts / "banner-inspection-offline.png", full_page=True)

    # 2. The code typed as a person reads it off the label: lower case, with a dash.
    page.fill("#code", banner_code[:3].lower() + "-" + banner_code[3:].lower())
    page.locator("label.state-choice", has_text="còn nguyên").tap()
    page.locator("#inspect-form button[type=submit]").tap()
    expect(page.locator("#outbox-badge")).to_have_attribute("data-count", "2")
    held = page.evaluate("FK.store.all()")
    assert [(e["kind"], e["code"], e["body"]["state"]) for e in held] == [
        ("inspection", banner_code, "damaged"),
        ("inspection", banner_code, "standing"),
    ]
    assert len(held[0]["photos"]) == 1 and held[0]["body"]["location_source"] == "gps"
    assert stored_inspections() == []

    page.context.set_offline(False)
    wait_until_empty(page)
    rows = stored_inspections()
    assert [(r.uuid, r.state, r.note) for r in rows] == [
        (e["uuid"], e["body"]["state"], e["body"]["note"]) for e in held
    ]
    assert [(p.index, p.sha256) for p in rows[0].photos] == [(0, held[0]["photos"][0]["sha256"])]
    posts = Counter(uuid for method, _path, uuid in restartable_server.writes if method == "POST")
    assert all(posts[e["uuid"]] == 1 for e in held), posts
    banner = db.session.scalar(db.select(Banner))
    assert banner.inspections_count == 2 and banner.state == "standing"  # the later observation
    assert waiting(page) == 0
    print(
        f"\nBarcodeDetector in headless Chromium: {detector}; the label was read by "
        f"{'BarcodeDetector' if detector else 'the vendored jsQR'}"
    )


def test_the_labels_link_opens_the_form_with_the_code(app, page, live_server, officer, banner_code):
    from tests.e2e.browser import log_in

    with app.test_request_context(base_url=live_server):
        link = labels.link(banner_code)
    log_in(page, officer)
    page.goto(link)
    expect(page).to_have_url(f"{live_server}/inspect?code={banner_code}")
    expect(page.locator("#code")).to_have_value(banner_code)
    expect(page.locator("#banner-found")).to_contain_text(banner_code)
    tampered = link[:-1] + ("1" if link[-1] == "0" else "0")
    assert page.request.get(tampered, max_redirects=0).status == 404
