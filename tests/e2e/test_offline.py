"""Nothing recorded in the field is lost: the outbox, its sync and the service worker, on a phone with a profile.

Each test visits once online, then works offline; the phone keeps its storage on disk between launches and the
server keeps its port between restarts, as a real phone and server would.
"""

import gzip
import re
import shutil
from collections import Counter
from datetime import datetime

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.pwa import assets
from tests.e2e.browser import log_in

SYNC_TIMEOUT = 60_000
ENTRY_URL = re.compile(r"/activities/[0-9a-f-]{36}(\?saved=1)?$")


def photo_file(folder, name, colour, size=(2400, 1800), exif=None):
    """A JPEG as a phone camera makes it: large, sometimes with EXIF."""
    path = folder / name
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90, **({"exif": exif} if exif is not None else {}))
    return path


def camera_exif(lat_dms, lon_dms, taken, orientation=1, endian="<"):
    exif = Image.Exif()
    exif.endian = endian
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: lat_dms, 3: "E", 4: lon_dms})
    return exif


def visit_once_online(phone, officer):
    """Log in and wait until the service worker has kept what the officer needs offline."""
    page = phone.open()
    log_in(page, officer)
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=20_000)
    expect(page.locator("[data-offline-ready]")).to_be_visible()
    return page


def record_talk(page, topic, photos=(), participants=30, poor=3):
    """Fill the form and save; wait until the phone has the entry."""
    before = waiting(page)
    page.fill("input[name=topic]", topic)
    page.select_option("select[name=format]", "talk")
    page.fill("input[name=participants]", str(participants))
    page.fill("input[name=poor_members]", str(poor))
    if photos:
        page.set_input_files("input[name=photos]", list(photos))
    page.locator("#activity-form button[type=submit]").tap()
    expect(page.locator("#outbox-badge")).to_have_attribute("data-count", str(before + 1))
    expect(page.locator("#saved-notice")).to_be_visible()


def waiting(page) -> int:
    return page.evaluate("FK.store.all().then(list => list.length)")


def outbox_entries(page) -> list[dict]:
    return page.evaluate("FK.store.all()")


def stored() -> list[Activity]:
    """The activities as the server committed them."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(db.select(Activity).order_by(Activity.id)).unique().all()


def assert_arrived(entries: list[dict]):
    """Every entry the phone held is on the server exactly once, with every photo matching by sha256."""
    rows = {a.uuid: a for a in stored()}
    assert len(rows) == len(stored())
    for entry in entries:
        activity = rows[entry["uuid"]]
        assert activity.topic == entry["body"]["topic"]
        assert {(p.index, p.sha256) for p in activity.photos} == {(p["index"], p["sha256"]) for p in entry["photos"]}


def wait_for(page, condition, seconds=30):
    """Wait for a condition on the server's side while the browser keeps running (a plain wait would stall
    Playwright's request routing, which runs on this thread)."""
    for _ in range(seconds * 5):
        if condition():
            return True
        page.wait_for_timeout(200)
    return condition()


def worker_version(page) -> str | None:
    """The version of the service worker that controls the page."""
    return page.evaluate(
        "navigator.serviceWorker.controller && fetch('/sw-status').then(r => r.json()).then(s => s.version)"
    )


def swapped(page) -> bool:
    """No new version is installing or waiting: the newest one controls the page."""
    return page.evaluate(
        "navigator.serviceWorker.getRegistration().then(r => !!r.active && !r.installing && !r.waiting)"
    )


def caches(page) -> list[str]:
    return page.evaluate("caches.keys()")


def wait_until_empty(page):
    """Wait until the outbox is empty, as the badge says and as IndexedDB holds it."""
    expect(page.locator("#outbox-badge")).to_have_attribute("data-count", "0", timeout=SYNC_TIMEOUT)
    assert waiting(page) == 0


@pytest.fixture
def officer(make_user, areas):
    return make_user("officer", areas[0])


def test_offline_entries_survive_a_browser_restart_and_arrive_once(persistent_phone, officer, tmp_path, artifacts):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#activity-form")).to_be_visible()

    for n in range(5):
        photos = [
            photo_file(tmp_path, f"e{n}-a.jpg", (40 * n, 90, 20)),
            photo_file(tmp_path, f"e{n}-b.jpg", (200, 40 * n, 90), size=(1200, 1600)),
        ]
        record_talk(page, f"Buổi nói chuyện ngoại tuyến số {n + 1}", photos)
    expect(page.locator("#saved-notice")).to_have_attribute("data-state", "saved_waiting")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / "offline-form-saved.png")
    held = outbox_entries(page)
    assert len(held) == 5 and all(len(e["photos"]) == 2 for e in held)
    assert all(max(p["width"], p["height"]) == 1600 for e in held for p in e["photos"])
    assert stored() == []

    persistent_phone.close()
    page = persistent_phone.open(offline=True)
    page.goto("/")
    expect(page.locator("#outbox-summary")).to_be_visible()
    page.screenshot(path=artifacts / "home-offline-waiting.png", full_page=True)
    page.goto("/outbox")
    expect(page.locator(".outbox-entry")).to_have_count(5)
    expect(page.locator(".outbox-entry[data-state=saved]")).to_have_count(5)
    expect(page.locator("#outbox-badge")).to_have_attribute("data-count", "5")
    page.screenshot(path=artifacts / "outbox-phone-waiting.png", full_page=True)

    page.context.set_offline(False)
    wait_until_empty(page)
    expect(page.locator(".outbox-entry")).to_have_count(0)
    expect(page.locator("#outbox-empty")).to_be_visible()
    assert_arrived(held)
    assert len(stored()) == 5


def test_a_server_stopped_mid_sync_leaves_no_duplicates_and_nothing_missing(
    persistent_phone, restartable_server, officer, tmp_path
):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    page.context.set_offline(True)
    for n in range(3):
        photos = [photo_file(tmp_path, f"s{n}-{i}.jpg", (60 * n, 30 * i, 200)) for i in range(2)]
        record_talk(page, f"Phát tờ rơi {n + 1}", photos)
    held = outbox_entries(page)

    # The second entry reaches the server, but its answer is lost and the server goes down.
    restartable_server.cut_after(2, lambda method, path: method == "POST")
    page.context.set_offline(False)
    assert wait_for(page, restartable_server.stopped.is_set)
    assert len(stored()) == 2
    page.wait_for_timeout(1500)
    # Back up; this time a photo is stored but its answer is lost.
    restartable_server.cut_after(2, lambda method, path: method == "PUT")
    restartable_server.start()
    assert wait_for(page, restartable_server.stopped.is_set)
    page.wait_for_timeout(1500)
    restartable_server.start()

    wait_until_empty(page)
    assert_arrived(held)
    assert len(stored()) == 3
    posts = Counter(uuid for method, path, uuid in restartable_server.writes if method == "POST")
    assert posts[held[1]["uuid"]] == 2  # sent again after the lost answer, stored once


def test_a_refused_entry_stays_with_the_message_and_arrives_once_fixed(persistent_phone, officer, tmp_path, artifacts):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    page.context.set_offline(True)
    record_talk(page, "Đối thoại đúng 1", [photo_file(tmp_path, "ok1.jpg", (10, 120, 10))])
    # A page cached before the sums rule reached the phone: the server still refuses what the phone let through.
    page.evaluate("FK.rules.data.sums = []")
    record_talk(page, "Đối thoại sai số liệu", [photo_file(tmp_path, "bad.jpg", (120, 10, 10))], participants=5, poor=9)
    record_talk(page, "Đối thoại đúng 2")
    bad = outbox_entries(page)[1]

    page.goto("/outbox")
    page.context.set_offline(False)
    refused = page.locator(".outbox-entry[data-state=attention]")
    expect(refused).to_have_count(1, timeout=SYNC_TIMEOUT)
    expect(page.locator(".outbox-entry")).to_have_count(1)
    expect(refused).to_have_attribute("data-uuid", bad["uuid"])
    expect(refused.locator(".field-errors")).to_contain_text("trong đó thuộc hộ nghèo: Tổng số người")
    expect(refused.locator(".field-errors")).to_contain_text("vượt quá số người tham dự")
    assert sorted(a.topic for a in stored()) == ["Đối thoại đúng 1", "Đối thoại đúng 2"]

    # One more entry saved offline, for the picture of an outbox with both kinds of entry.
    page.context.set_offline(True)
    page.goto("/activities/new")
    record_talk(page, "Nói chuyện chuyên đề ở ấp 4", [photo_file(tmp_path, "later.jpg", (90, 90, 200))])
    page.goto("/outbox")
    expect(page.locator(".outbox-entry")).to_have_count(2)
    page.screenshot(path=artifacts / "outbox-phone.png", full_page=True)

    refused.locator("[data-action=fix]").tap()
    expect(page).to_have_url(re.compile(r"/activities/new\?outbox="))
    expect(page.locator("input[name=topic]")).to_have_value("Đối thoại sai số liệu")
    expect(page.locator("#photo-thumbs .photo-thumb")).to_have_count(1)
    page.fill("input[name=participants]", "40")
    page.context.set_offline(False)
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(ENTRY_URL, timeout=SYNC_TIMEOUT)
    wait_until_empty(page)
    rows = {a.uuid: a for a in stored()}
    assert len(rows) == 4
    fixed = rows[bad["uuid"]]
    assert fixed.details["participants"] == 40 and len(fixed.photos) == 1
    assert fixed.photos[0].sha256 == bad["photos"][0]["sha256"]


def test_two_tabs_syncing_at_once_send_each_entry_once(persistent_phone, restartable_server, officer, tmp_path):
    first = visit_once_online(persistent_phone, officer)
    first.goto("/activities/new")
    first.context.set_offline(True)
    for n in range(4):
        record_talk(first, f"Truyền thanh {n + 1}", [photo_file(tmp_path, f"t{n}.jpg", (20, 20, 60 * n))])
    held = outbox_entries(first)
    second = persistent_phone.new_page()
    second.goto("/outbox")
    expect(second.locator(".outbox-entry")).to_have_count(4)

    first.goto("/outbox")
    restartable_server.refuse_writes = True  # both tabs try while the server refuses, then both at once
    first.context.set_offline(False)
    first.wait_for_timeout(500)
    restartable_server.refuse_writes = False
    restartable_server.writes.clear()
    first.evaluate("FK.sync.run()")
    second.evaluate("FK.sync.run()")
    for page in (first, second):
        page.locator("#outbox-send").tap()
    wait_until_empty(first)
    wait_until_empty(second)
    assert_arrived(held)
    assert len(stored()) == 4
    posts = Counter(uuid for method, path, uuid in restartable_server.writes if method == "POST")
    puts = Counter(path for method, path, uuid in restartable_server.writes if method == "PUT")
    assert posts == {e["uuid"]: 1 for e in held}
    assert set(puts.values()) == {1}


def test_a_new_service_worker_keeps_the_outbox_and_the_offline_form(
    persistent_phone, restartable_server, officer, app, tmp_path
):
    page = visit_once_online(persistent_phone, officer)
    old_version = worker_version(page)
    old_caches = caches(page)
    assert old_caches == [f"fieldkit-static-{old_version}", f"fieldkit-pages-{old_version}"]
    page.goto("/activities/new")
    page.context.set_offline(True)
    for n in range(3):
        record_talk(page, f"Pa-nô {n + 1}", [photo_file(tmp_path, f"u{n}.jpg", (200, 200, 40 * n))])
    held = outbox_entries(page)

    # Deploy: a changed script, the app restarted; the phone comes online while the server refuses entries.
    deployed = tmp_path / "static"
    shutil.copytree(app.static_folder, deployed)
    with open(deployed / "js" / "outbox.js", "a") as script:
        script.write("\n// deployed again\n")
    restartable_server.stop()
    app.static_folder = str(deployed)
    new_version = assets.scan(app).version
    new_caches = [f"fieldkit-static-{new_version}", f"fieldkit-pages-{new_version}"]
    restartable_server.refuse_writes = True
    restartable_server.start()
    page.context.set_offline(False)
    page.goto("/")
    # Watched without a request to the worker: one to the old worker while the browser swaps it holds the swap up.
    assert wait_for(page, lambda: swapped(page) and caches(page) == [f"fieldkit-static-{old_version}", *new_caches])
    assert worker_version(page) == new_version and new_caches[0] not in old_caches
    assert waiting(page) == 3

    page.context.set_offline(True)
    page.goto("/activities/new")
    expect(page.locator("#activity-form")).to_be_visible()
    script = page.locator("script[src*='js/outbox.js']").get_attribute("src")
    assert script.endswith(app.extensions[assets.EXTENSION].hashes["js/outbox.js"])
    assert page.evaluate("typeof FK.photos.prepare") == "function"
    page.goto("/outbox")
    expect(page.locator(".outbox-entry")).to_have_count(3)

    restartable_server.refuse_writes = False
    page.context.set_offline(False)
    wait_until_empty(page)
    assert_arrived(held)
    assert len(stored()) == 3


def test_a_photos_exif_position_and_time_reach_the_server(persistent_phone, officer, tmp_path):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    upright = photo_file(
        tmp_path,
        "camera-little-endian.jpg",
        (30, 140, 60),
        size=(2000, 1500),
        exif=camera_exif((10.0, 0.0, 36.0), (105.0, 42.0, 36.0), "2025:11:20 09:30:15", orientation=6),
    )
    other = photo_file(
        tmp_path,
        "camera-big-endian.jpg",
        (140, 30, 60),
        size=(800, 600),
        exif=camera_exif((10.0, 1.0, 12.0), (105.0, 43.0, 12.0), "2025:11:20 10:05:00", endian=">"),
    )
    page.context.set_offline(True)
    record_talk(page, "Ảnh có vị trí", [upright, other])
    [entry] = outbox_entries(page)
    first, second = entry["photos"]
    assert (first["width"], first["height"]) == (1200, 1600)  # turned upright, long edge 1,600
    assert (first["photo_lat"], first["photo_lon"]) == (10.01, 105.71)
    assert first["taken_at"] == "2025-11-20T09:30:15+07:00"
    assert (second["photo_lat"], second["photo_lon"]) == (10.02, 105.72)

    page.context.set_offline(False)
    wait_until_empty(page)
    [activity] = stored()
    photos = {p.index: p for p in db.session.scalars(db.select(Photo).filter_by(activity_id=activity.id))}
    assert (photos[0].width, photos[0].height) == (1200, 1600)
    assert (photos[0].exif_lat, photos[0].exif_lon) == (10.01, 105.71)
    assert photos[0].taken_at == datetime(2025, 11, 20, 2, 30, 15)
    assert (photos[1].exif_lat, photos[1].exif_lon) == (10.02, 105.72)
    assert photos[1].taken_at == datetime(2025, 11, 20, 3, 5)


def test_logged_out_keeps_every_entry_and_asks_to_log_in_again(persistent_phone, officer, tmp_path):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    page.context.set_offline(True)
    record_talk(page, "Trước khi hết phiên 1", [photo_file(tmp_path, "l1.jpg", (10, 10, 10))])
    record_talk(page, "Trước khi hết phiên 2")
    held = outbox_entries(page)

    page.context.clear_cookies()  # the session ended while the phone was offline
    page.context.set_offline(False)
    expect(page.locator("[data-outbox-login]")).to_be_visible(timeout=SYNC_TIMEOUT)
    assert [e["state"] for e in outbox_entries(page)] == ["saved", "saved"]
    assert stored() == []

    page.goto("/login")
    expect(page.locator("[data-outbox-login]")).to_be_visible()
    log_in(page, officer)
    wait_until_empty(page)
    assert_arrived(held)


def test_a_stale_csrf_token_is_renewed_not_blamed_on_the_entry(persistent_phone, officer):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    page.context.set_offline(True)
    record_talk(page, "Mã CSRF cũ")
    held = outbox_entries(page)
    answers = []

    def stale_once(route, request):
        if answers:
            route.continue_()
        else:
            answers.append("stale")
            route.fulfill(json={"csrf_token": "stale-token-from-a-cached-page", "user": officer.username})

    page.route("**/csrf-token", stale_once)
    page.context.set_offline(False)
    wait_until_empty(page)
    assert answers == ["stale"]
    assert_arrived(held)


def test_unsent_entries_saved_to_a_file_are_taken_from_another_device_once(
    persistent_phone, restartable_server, browser, officer, tmp_path
):
    page = visit_once_online(persistent_phone, officer)
    page.goto("/activities/new")
    page.context.set_offline(True)
    record_talk(
        page,
        "Ghi ra tệp 1",
        [photo_file(tmp_path, "f1.jpg", (200, 10, 10)), photo_file(tmp_path, "f2.jpg", (10, 200, 10))],
    )
    record_talk(page, "Ghi ra tệp 2", [photo_file(tmp_path, "f3.jpg", (10, 10, 200))])
    held = outbox_entries(page)
    page.goto("/outbox")
    with page.expect_download() as download:
        page.locator("#outbox-export").tap()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(f"fieldkit-{officer.username}-") and saved.suffix == ".json"

    other = browser.new_context(base_url=restartable_server.url, locale="vi-VN", has_touch=True)
    try:
        desk = other.new_page()
        log_in(desk, officer)
        for expected in ("stored", "already_stored"):
            desk.goto("/outbox/import")
            desk.set_input_files("input[name=file]", saved)
            desk.locator("main form button[type=submit]").click()
            expect(desk.locator(f".import-result[data-status={expected}]")).to_have_count(2)
    finally:
        other.close()
    assert_arrived(held)

    page.context.set_offline(False)
    wait_until_empty(page)
    assert_arrived(held)
    assert len(stored()) == 2


def test_the_first_visit_is_at_most_150_kb_compressed(persistent_phone, restartable_server, officer, artifacts):
    """Everything the phone fetches on its first visit (login, home, and all the service worker keeps), gzipped.

    A versioned static file (``?v=<hash>``, sent immutable for a year) counts once: a phone's HTTP cache answers the
    page's and the worker's later requests for it, but this browser's cache is off, because Playwright turns it off
    wherever requests are routed (the offline switch routes them). Pages and the worker's script count every time.
    """
    restartable_server.sent = []
    visit_once_online(persistent_phone, officer)
    sent, restartable_server.sent = restartable_server.sent, None
    rows, total, plain, versioned = [], 0, 0, set()
    for path, status, kind, body in sent:
        if "?v=" in path:
            if path in versioned:
                continue
            versioned.add(path)
        compressed = len(gzip.compress(body, compresslevel=6))
        total += compressed
        plain += len(body)
        rows.append(f"| `{path}` | {status} | {kind.split(';')[0]} | {len(body):,} | {compressed:,} |")
    table = [
        "| request | status | type | bytes | gzip -6 |",
        "|---|---|---|---:|---:|",
        *rows,
        f"| **total ({len(rows)} of {len(sent)} requests)** | | | {plain:,} | **{total:,}** |",
    ]
    (artifacts / "first-load.md").write_text("\n".join(table) + "\n")
    assert total <= 150 * 1024, "\n".join(table)
