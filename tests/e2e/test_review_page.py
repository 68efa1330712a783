"""A supervisor reviews on a phone (360×740) and at a desk (1366×900): the full-size photo opens and zooms (a pinch
on the phone, the wheel at the desk), closes with Esc, and two ticked entries are verified after a confirmation."""

import io
import uuid as uuid_module
from datetime import datetime, timedelta

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.photos.services import prepare
from tests.e2e.browser import log_in
from tests.factories import INSIDE_A, VN

SIZES = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desk": {"viewport": {"width": 1366, "height": 900}},
}


def talk(days: int) -> dict:
    return {
        "uuid": str(uuid_module.uuid4()),
        "type": "talk",
        "occurred_at": datetime.now(VN).replace(microsecond=0) - timedelta(days=days),
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "accuracy_m": 10.0,
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": f"Đối thoại chính sách {days}",
        "notes": "",
        "details": {"format": "dialogue", "participants": 30},
    }


@pytest.fixture
def reviewed(app, areas, make_user):
    """Three entries in commune A, the newest with a 1,600 × 1,200 photo; answer (supervisor, entries)."""
    app.config["FIELDKIT_TILE_URL"] = "none"
    officer = make_user("officer", "90001")
    photo = prepare(grid_photo())
    entries = [services.receive(officer, talk(1), {0: photo})[0]]
    entries += [services.receive(officer, talk(days))[0] for days in (2, 3)]
    db.session.commit()
    return make_user("supervisor"), entries


def grid_photo() -> bytes:
    """A 1,600 × 1,200 JPEG with a numbered grid, so a screenshot shows how far it is zoomed."""
    image = Image.new("RGB", (1600, 1200), (40, 120, 180))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 100):
        draw.line([(x, 0), (x, 1200)], fill=(255, 255, 255), width=3)
    for y in range(0, 1200, 100):
        draw.line([(0, y), (1600, y)], fill=(255, 255, 255), width=3)
        for x in range(0, 1600, 200):
            draw.text((x + 10, y + 10), f"{x // 100},{y // 100}", fill=(255, 230, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def stage_scale(page) -> float:
    return float(page.locator("[data-zoom-stage]").get_attribute("data-scale") or 0)


def pinch(page, box, spread_from=40, spread_to=160) -> None:
    """Two fingers on the photo move apart, through Chromium's own touch input."""
    cdp = page.context.new_cdp_session(page)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def fingers(spread):
        return [{"x": cx - spread / 2, "y": cy, "id": 1}, {"x": cx + spread / 2, "y": cy, "id": 2}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(spread_from)})
    for step in range(1, 9):
        spread = spread_from + (spread_to - spread_from) * step / 8
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(spread)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_the_full_photo_opens_zooms_and_closes(open_page, reviewed, artifacts, size):
    supervisor, entries = reviewed
    page = open_page(**SIZES[size])
    log_in(page, supervisor, tap=size == "phone")
    page.goto(f"/review/{entries[0].uuid}")
    link = page.locator("a[data-zoom]")
    link.tap() if size == "phone" else link.click()

    viewer = page.locator("#photo-viewer")
    expect(viewer).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-zoom-stage]').dataset.scale === '1'")
    image = viewer.locator("img")
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1600, 1200]  # the original, not the thumb
    assert image.get_attribute("src").endswith(f"/activities/{entries[0].uuid}/photos/0.jpg")
    stage = viewer.locator("[data-zoom-stage]").bounding_box()
    fitted = image.bounding_box()
    assert fitted["width"] <= stage["width"] + 1 and fitted["height"] <= stage["height"] + 1  # the whole photo in view
    page.screenshot(path=str(artifacts / f"e2e-review-photo-{size}.png"))

    if size == "phone":
        pinch(page, stage)
    else:
        page.mouse.move(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)
        for _ in range(4):
            page.mouse.wheel(0, -200)
    page.wait_for_function("() => Number(document.querySelector('[data-zoom-stage]').dataset.scale) > 1.5")
    assert image.bounding_box()["width"] > fitted["width"] * 1.5
    expect(viewer.locator("[data-zoom-level]")).not_to_have_text("100%")
    page.screenshot(path=str(artifacts / f"e2e-review-photo-zoomed-{size}.png"))

    viewer.locator("[data-zoom-action=reset]").click()
    assert stage_scale(page) == 1
    page.keyboard.press("+")  # the keys zoom too, with the focus on the photo
    assert stage_scale(page) > 1
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-zoom')")  # the focus is back on the photo link


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_two_ticked_entries_are_verified_after_a_confirmation(open_page, reviewed, artifacts, size):
    supervisor, entries = reviewed
    page = open_page(**SIZES[size])
    log_in(page, supervisor, tap=size == "phone")
    page.goto("/review")
    expect(page.locator(".review-count")).to_contain_text("3 bản ghi chờ quyết định")
    tick_all = page.locator("[data-tick-all]")
    expect(page.locator("input[name=entry]")).to_have_count(3)
    tick_all.check()  # every box on the page, then all but the oldest
    expect(page.locator("input[name=entry]:checked")).to_have_count(3)
    page.locator(f'input[name=entry][value^="{entries[2].uuid}:"]').uncheck()
    assert tick_all.evaluate("box => box.indeterminate")
    page.screenshot(path=str(artifacts / f"e2e-review-ticked-{size}.png"), full_page=True)
    page.locator("button[name=mode][value=selected]").click()

    expect(page.locator("h1")).to_have_text("Xác nhận 2 bản ghi?")
    expect(page.locator("main")).to_contain_text("2 bản ghi sẽ được xác nhận.")
    page.screenshot(path=str(artifacts / f"e2e-review-confirm-{size}.png"), full_page=True)
    db.session.expire_all()
    assert {db.session.get(Activity, a.id).status for a in entries} == {"submitted"}  # not before the confirmation

    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Đã xác nhận 2 bản ghi")
    db.session.expire_all()
    assert [db.session.get(Activity, a.id).status for a in entries] == ["verified", "verified", "submitted"]
    page.locator("main a.button.primary").click()
    expect(page.locator(".review-count")).to_contain_text("1 bản ghi chờ quyết định")
