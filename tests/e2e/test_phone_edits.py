"""Changing a sent entry on the phone: edits, photo removals and withdrawals through the outbox, the officer's
recent entries open offline, and the photo question (one photo at a time, downscaled on the phone, also on edits).

A phone at 360 × 740 with a profile on disk, against a server that keeps its port, as in test_offline.py.
"""

import re
from collections import Counter

import pytest
from PIL import Image
from playwright.sync_api import expect

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus
from fieldkit.photos import services as photos
from forms.activity import from_json
from tests.e2e.browser import log_in
from tests.factories import jpeg, talk

SYNC_TIMEOUT = 60_000
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def officer(make_user, areas):
    return make_user("officer", areas[0])


@pytest.fixture
def entry(app, officer):
    """Return a callable that stores an entry of the officer's (returned by a supervisor unless told otherwise),
    with photos of these colours, as the phone would have sent it."""

    def make(topic="Nói chuyện chuyên đề ấp 3", status=ActivityStatus.RETURNED, colours=((30, 120, 30),)):
        with app.test_request_context():
            payload = from_json(talk(topic=topic)).payload()
            prepared = {i: photos.prepare(jpeg(800, 600, colour=c)) for i, c in enumerate(colours)}
            activity, _created = services.receive(officer, payload, prepared)
            db.session.flush()
            if status != ActivityStatus.SUBMITTED:
                activity.status, activity.review_comment = status, "Ảnh chưa rõ, bổ sung số liệu"
            db.session.commit()
            return activity.uuid

    return make


def photo_file(folder, name, colour, size=(4000, 3000)):
    """A JPEG as a phone camera makes it: large (noise, so that it does not shrink to nothing)."""
    path = folder / name
    image = Image.effect_noise(size, 40).convert("RGB")
    Image.blend(image, Image.new("RGB", size, colour), 0.6).save(path, "JPEG", quality=92)
    return path


def stored(uuid) -> Activity:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalar(db.select(Activity).filter_by(uuid=uuid))


def outbox(page) -> list[dict]:
    return page.evaluate("FK.store.all()")


def open_phone(persistent_phone, officer):
    """Log in on a 360-px phone and wait until the service worker keeps the pages and the recent entries."""
    page = persistent_phone.open()
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, officer)
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=20_000)
    return page


def wait_kept(page, *paths):
    """Wait until the service worker has kept these pages (it fetches the officer's entries after a page loads)."""
    script = "paths => Promise.all(paths.map(p => caches.match(p))).then(found => found.every(Boolean))"
    for _ in range(100):
        if page.evaluate(script, list(paths)):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"not kept for offline use: {paths}")


def wait_until_empty(page):
    expect(page.locator("#outbox-badge")).to_have_attribute("data-count", "0", timeout=SYNC_TIMEOUT)
    assert outbox(page) == []


def pick(page, which, *files):
    """Tap "Take photo" or "Choose photo" and give the chooser these files."""
    with page.expect_file_chooser() as chooser:
        page.locator(f"[data-pick={which}]").tap()
    chooser.value.set_files([str(f) for f in files])


def edits_sent(server, uuid) -> Counter:
    return Counter(method for method, path, _uuid in server.writes if path == f"/api/v1/activities/{uuid}")


def test_an_edit_made_offline_reaches_the_server_once(persistent_phone, restartable_server, officer, entry, artifacts):
    uuid = entry()
    version = stored(uuid).version
    page = open_phone(persistent_phone, officer)
    wait_kept(page, f"/activities/{uuid}", f"/activities/{uuid}/edit")

    page.context.set_offline(True)
    page.goto(f"/activities/{uuid}/edit")
    expect(page.locator("input[name=topic]")).to_have_value("Nói chuyện chuyên đề ấp 3")
    page.fill("input[name=topic]", "Nói chuyện chuyên đề ấp 3 (bổ sung)")
    page.fill("input[name=participants]", "55")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page.locator("#saved-notice")).to_have_attribute("data-state", "saved_waiting", timeout=SYNC_TIMEOUT)
    held = outbox(page)
    assert [(e["uuid"], e["kind"], e["body"]["version"]) for e in held] == [(uuid, "edit", version)]
    assert stored(uuid).topic == "Nói chuyện chuyên đề ấp 3"

    page.goto("/outbox")
    expect(page.locator(f".outbox-entry[data-uuid='{uuid}'] .change-edit")).to_be_visible()
    page.screenshot(path=artifacts / "phone-edit-waiting.png", full_page=True)
    page.goto(f"/activities/{uuid}")  # the kept page says that a change waits
    expect(page.locator("#edit-waiting")).to_be_visible()

    page.context.set_offline(False)
    wait_until_empty(page)
    activity = stored(uuid)
    assert activity.topic == "Nói chuyện chuyên đề ấp 3 (bổ sung)" and activity.details["participants"] == 55
    assert activity.version == version + 1 and activity.status == ActivityStatus.SUBMITTED
    assert edits_sent(restartable_server, uuid) == {"PUT": 1}


def test_a_withdrawal_made_offline_takes_the_entry_off_the_lists(
    persistent_phone, restartable_server, officer, entry, artifacts
):
    uuid = entry("Ghi nhầm: buổi họp chưa diễn ra", status=ActivityStatus.SUBMITTED)
    keep = entry("Buổi nói chuyện đúng")
    page = open_phone(persistent_phone, officer)
    wait_kept(page, f"/activities/{uuid}")

    page.context.set_offline(True)
    page.goto(f"/activities/{uuid}")
    expect(page.locator("h1")).to_be_visible()
    page.locator(".withdraw summary").tap()
    expect(page.locator("#withdraw-form button")).to_be_visible()
    page.screenshot(path=artifacts / "phone-withdraw-confirm.png", full_page=True)
    page.locator("#withdraw-form button").tap()
    expect(page.locator("#edit-waiting")).to_be_visible()
    assert [(e["uuid"], e["kind"]) for e in outbox(page)] == [(uuid, "withdraw")]
    assert stored(uuid).deleted_at is None

    page.context.set_offline(False)
    expect(page).to_have_url(re.compile(r"/activities$"), timeout=SYNC_TIMEOUT)
    wait_until_empty(page)
    assert stored(uuid).deleted_at is not None
    assert edits_sent(restartable_server, uuid) == {"DELETE": 1}
    expect(page.locator(f"a[href='/activities/{keep}']")).to_have_count(1)
    expect(page.locator(f"a[href='/activities/{uuid}']")).to_have_count(0)


def test_a_stale_edit_shows_the_servers_message_and_can_be_fixed(persistent_phone, officer, entry, artifacts):
    uuid = entry()
    page = open_phone(persistent_phone, officer)
    wait_kept(page, f"/activities/{uuid}/edit")
    page.context.set_offline(True)
    page.goto(f"/activities/{uuid}/edit")
    page.fill("input[name=topic]", "Sửa trên điện thoại")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page.locator("#saved-notice")).to_have_attribute("data-state", "saved_waiting", timeout=SYNC_TIMEOUT)

    # Meanwhile the entry changes on the server (another device of the officer's), so the phone's version is old.
    activity = stored(uuid)
    activity.notes = "Sửa trên máy tính"
    db.session.commit()

    page.goto("/outbox")
    page.context.set_offline(False)
    refused = page.locator(f".outbox-entry[data-uuid='{uuid}'][data-state=attention]")
    expect(refused).to_be_visible(timeout=SYNC_TIMEOUT)
    expect(refused.locator(".error")).to_contain_text("đã thay đổi từ khi bạn mở")
    expect(refused.locator("[data-action=discard]")).to_be_visible()
    page.screenshot(path=artifacts / "phone-edit-stale.png", full_page=True)
    assert stored(uuid).topic == "Nói chuyện chuyên đề ấp 3"

    refused.locator("[data-action=fix]").tap()
    expect(page).to_have_url(re.compile(rf"/activities/{uuid}/edit$"))
    expect(page.locator("input[name=topic]")).to_have_value("Sửa trên điện thoại")
    expect(page.locator("#edit-waiting")).to_contain_text("đã thay đổi từ khi bạn mở")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(rf"/activities/{uuid}\?sent=1$"), timeout=SYNC_TIMEOUT)
    wait_until_empty(page)
    assert stored(uuid).topic == "Sửa trên điện thoại" and stored(uuid).notes == "Sửa trên máy tính"


def test_recent_entries_open_offline_with_their_photos(persistent_phone, officer, entry, artifacts):
    returned, recent = entry("Trả lại để sửa"), entry("Mới gửi", status=ActivityStatus.SUBMITTED)
    verified = entry("Đã xác nhận", status=ActivityStatus.VERIFIED, colours=())
    page = open_phone(persistent_phone, officer)
    wait_kept(
        page,
        f"/activities/{returned}",
        f"/activities/{returned}/edit",
        f"/activities/{recent}",
        f"/activities/{returned}/photos/0.thumb.jpg",
        f"/activities/{verified}",
    )

    page.context.set_offline(True)
    for uuid, topic in ((returned, "Trả lại để sửa"), (recent, "Mới gửi"), (verified, "Đã xác nhận")):
        page.goto(f"/activities/{uuid}")
        expect(page.locator("dl.facts")).to_contain_text(topic)
    page.goto(f"/activities/{returned}")
    thumb = page.locator(".photos img").first
    expect(thumb).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", thumb.element_handle())
    page.screenshot(path=artifacts / "phone-entry-offline.png", full_page=True)
    expect(page.locator(".withdraw")).to_have_count(1)
    page.goto(f"/activities/{verified}")
    expect(page.locator(".withdraw")).to_have_count(0)


def test_photos_are_added_one_at_a_time_up_to_the_limit(persistent_phone, officer, tmp_path, artifacts):
    page = open_phone(persistent_phone, officer)
    page.goto("/activities/new")
    # Note every moment a photo is being prepared, to know that "preparing photo…" was on the screen.
    page.evaluate("""() => { window.sawPreparing = false; new MutationObserver(() => {
        if (document.querySelector('.photo-thumb.preparing')) window.sawPreparing = true;
      }).observe(document.getElementById('photo-thumbs'), {childList: true}); }""")
    camera = photo_file(tmp_path, "camera.jpg", (200, 60, 40))
    pick(page, "take", camera)
    expect(page.locator(".photo-thumb[data-kind=new]")).to_have_count(1)
    assert page.evaluate("window.sawPreparing")
    pick(page, "choose", photo_file(tmp_path, "gallery.jpg", (40, 60, 200), size=(1200, 1600)))
    expect(page.locator(".photo-thumb[data-kind=new] img")).to_have_count(2)
    expect(page.locator("#photo-status")).to_contain_text("2/5")
    page.locator("#field-photos").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "phone-photos-two.png")
    page.locator(".photo-thumb").nth(0).locator("button.danger").tap()
    expect(page.locator(".photo-thumb")).to_have_count(1)

    six = [photo_file(tmp_path, f"six-{n}.jpg", (30 * n, 100, 90), size=(900, 700)) for n in range(6)]
    pick(page, "choose", *six)
    expect(page.locator(".photo-thumb[data-kind=new]")).to_have_count(5)
    expect(page.locator("#photo-status")).to_contain_text("Mỗi mục tối đa 5 ảnh")
    expect(page.locator("#photo-status")).to_contain_text("six-4.jpg")
    expect(page.locator("[data-pick=take]")).to_be_disabled()
    # The plain input holds the same photos, downscaled, for a form posted without the outbox.
    held = page.evaluate("[...document.querySelector('input[name=photos]').files].map(f => [f.type, f.size])")
    sent = page.evaluate("FK.picker.items().map(p => ['image/jpeg', p.blob.size])")
    assert len(held) == 5 and held == sent
    page.locator("#field-photos").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "phone-photos-limit.png")

    page.fill("input[name=topic]", "Năm ảnh")
    page.select_option("select[name=format]", "talk")
    page.fill("input[name=participants]", "20")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(r"/activities/[0-9a-f-]{36}(\?saved=1)?$"), timeout=SYNC_TIMEOUT)
    activity = stored(page.url.rsplit("/", 1)[1].split("?")[0])
    assert len(activity.photos) == 5
    assert all(max(p.width, p.height) <= 1600 for p in activity.photos)


def test_the_edit_form_sends_downscaled_photos_and_removes_one(persistent_phone, officer, entry, tmp_path, artifacts):
    uuid = entry(colours=((30, 120, 30), (120, 30, 30)))
    before = {p.index: p.sha256 for p in stored(uuid).photos}
    page = open_phone(persistent_phone, officer)
    page.goto(f"/activities/{uuid}/edit")
    expect(page.locator(".photo-thumb[data-kind=stored]")).to_have_count(2)
    page.locator(".photo-thumb").nth(1).locator("button.danger").tap()  # photo 2 goes
    big = photo_file(tmp_path, "original.jpg", (90, 140, 60))
    assert big.stat().st_size > 3_000_000
    with page.expect_file_chooser() as chooser:
        page.locator(".photo-thumb").nth(0).get_by_role("button", name="Thay ảnh").tap()  # photo 1 replaced
    chooser.value.set_files(str(big))
    expect(page.locator(".photo-thumb[data-kind=new]")).to_have_count(1)
    expect(page.locator(".photo-thumb")).to_have_count(1)
    page.locator("#field-photos").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "phone-edit-photos.png")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(rf"/activities/{uuid}\?sent=1$"), timeout=SYNC_TIMEOUT)
    expect(page.locator("#edit-waiting")).to_contain_text("đã đến máy chủ")
    wait_until_empty(page)

    activity = stored(uuid)
    assert [p.index for p in activity.photos] == [0]
    photo = activity.photos[0]
    assert photo.sha256 != before[0]
    assert max(photo.width, photo.height) == 1600 and photo.bytes < big.stat().st_size / 4


def test_an_edit_whose_answer_was_lost_is_sent_again_and_applied_once(
    persistent_phone, restartable_server, officer, entry, tmp_path
):
    uuid = entry(colours=((30, 120, 30), (120, 30, 30)))
    version = stored(uuid).version
    page = open_phone(persistent_phone, officer)
    wait_kept(page, f"/activities/{uuid}/edit")
    page.context.set_offline(True)
    page.goto(f"/activities/{uuid}/edit")
    page.fill("input[name=topic]", "Sửa, mất câu trả lời")
    page.locator(".photo-thumb").nth(0).locator("button.danger").tap()
    pick(page, "choose", photo_file(tmp_path, "new.jpg", (10, 10, 160), size=(2000, 1500)))
    expect(page.locator(".photo-thumb[data-kind=new]")).to_have_count(1)
    page.locator("#activity-form button[type=submit]").tap()
    expect(page.locator("#saved-notice")).to_have_attribute("data-state", "saved_waiting", timeout=SYNC_TIMEOUT)
    [held] = outbox(page)
    assert held["removals"] == [] and [p["index"] for p in held["photos"]] == [0]  # the new photo takes number 1's

    # The edit reaches the server but its answer is lost, and the server goes down; then it comes back.
    restartable_server.cut_after(1, lambda method, path: method == "PUT" and path == f"/api/v1/activities/{uuid}")
    page.context.set_offline(False)
    assert wait_for(page, restartable_server.stopped.is_set)
    assert stored(uuid).version == version + 1
    restartable_server.start()
    expect(page).to_have_url(re.compile(rf"/activities/{uuid}\?sent=1$"), timeout=SYNC_TIMEOUT)
    wait_until_empty(page)
    activity = stored(uuid)
    assert activity.topic == "Sửa, mất câu trả lời" and activity.version == version + 1
    assert edits_sent(restartable_server, uuid) == {"PUT": 2}
    assert {p.index: p.sha256 for p in activity.photos}[0] == held["photos"][0]["sha256"]
    assert len(activity.photos) == 2


def wait_for(page, condition, seconds=30):
    """Wait for a condition on the server's side while the browser keeps running."""
    for _ in range(seconds * 5):
        if condition():
            return True
        page.wait_for_timeout(200)
    return condition()
