"""The supervisor's day on a 360×740 phone and a 1366×900 desk: a map that fits the scope, folded legend and layers
on the phone, one cluster per place, a commune click that opens its page, a header that stays above the maps, a
menu with 44-px targets, each role's start page, and a logout that asks while the phone's outbox holds entries.

No tile server (FIELDKIT_TILE_URL=none) and no other host: the communes and activities must show on their own.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.models import Activity, Banner, User
from fieldkit.timeutil import utcnow
from tests.e2e.browser import Watch, log_in
from tests.e2e.conftest import EXPECTED_OFFLINE_CONSOLE
from tests.factories import INSIDE_B
from tests.test_coverage_rollup import content

SIZES = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desk": {"viewport": {"width": 1366, "height": 900}},
}
SCOPE = [[10.0, 105.70], [10.02, 105.74]]  # the two test communes, [[south, west], [north, east]]
# Three talks and two banners a few metres apart in commune A: one place, two types. A lone banner in B's north.
SPOTS = [("talk", 10.0100, 105.7100), ("talk", 10.0101, 105.7102), ("talk", 10.0099, 105.7101)]
SPOTS += [("banner", 10.0100, 105.7101), ("banner", 10.0102, 105.7100), ("banner", 10.0180, 105.7300)]
THE_MAP = "FieldkitMap.maps[0]"


@pytest.fixture
def supervisor(app, areas, make_user):
    """The entries above, no tile server; answer the city supervisor."""
    app.config["FIELDKIT_TILE_URL"] = "none"
    officer = make_user("officer", areas[0])
    for i, (kind, lat, lon) in enumerate(SPOTS):
        db.session.add(
            Activity(
                uuid=f"00000000-0000-4000-8000-0000000001{i:02d}",
                type=kind,
                occurred_at=utcnow() - timedelta(days=1),
                officer_id=officer.id,
                lat=lat,
                lon=lon,
                area_code="90002" if lon > 105.72 else "90001",
                declared_area_code="90001",
                topic=f"Chủ đề {i}",
                details={"format": "talk", "participants": 30} if kind == "talk" else {"kind": "panel", "quantity": 2},
                content_hash="x",
            )
        )
    db.session.commit()
    return make_user("supervisor")


def open_map(open_page, user, size: str, path: str = "/map"):
    page = open_page(**SIZES[size])
    log_in(page, user, tap=size == "phone")
    page.goto(path)
    page.wait_for_function("() => window.FieldkitMap && FieldkitMap.maps.length === 1")
    settle(page, THE_MAP)
    return page


def settle(page, leaflet: str) -> None:
    """Wait until the map's view stops changing (the fit runs again while the page's boxes settle)."""
    page.wait_for_function(
        f"""() => {{
            const c = {leaflet}.getCenter(), now = [c.lat, c.lng, {leaflet}.getZoom()].join();
            const same = window.__view === now; window.__view = now; return same;
        }}""",
        polling=300,
    )


def fill(page, leaflet: str, bounds) -> dict:
    """How the bounds sit in the map: inside its view or not, the share of its width and height they take, and
    the map's box on the page."""
    return page.evaluate(
        f"""(b) => {{
            const map = {leaflet}, view = map.getBounds(), size = map.getSize();
            const sw = map.latLngToContainerPoint(b[0]), ne = map.latLngToContainerPoint(b[1]);
            const box = map.getContainer().getBoundingClientRect();
            return {{inside: view.contains(L.latLngBounds(b)), width: (ne.x - sw.x) / size.x,
                     height: (sw.y - ne.y) / size.y, top: box.top, bottom: box.bottom, mapHeight: box.height}};
        }}""",
        bounds,
    )


def point_on_page(page, leaflet: str, lat: float, lon: float) -> tuple[float, float]:
    return tuple(
        page.evaluate(
            f"""([lat, lon]) => {{
                const map = {leaflet}, p = map.latLngToContainerPoint([lat, lon]);
                const box = map.getContainer().getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }}""",
            [lat, lon],
        )
    )


def tap_or_click(page, size: str, x: float, y: float) -> None:
    page.touchscreen.tap(x, y) if size == "phone" else page.mouse.click(x, y)


@pytest.mark.parametrize("size", SIZES)
def test_the_map_opens_fitted_to_the_scope(open_page, supervisor, size, artifacts):
    page = open_map(open_page, supervisor, size)
    seen = fill(page, THE_MAP, SCOPE)
    assert seen["inside"], seen  # nothing of the scope cut off, north included
    assert max(seen["width"], seen["height"]) >= 0.9, seen  # and it fills the map in one direction
    height = SIZES[size]["viewport"]["height"]
    assert seen["bottom"] >= height - 1 and seen["mapHeight"] >= 0.7 * height, seen  # the map fills the screen
    page.screenshot(path=str(artifacts / f"e2e-supervisor-map-{size}.png"))


@pytest.mark.parametrize("size", SIZES)
def test_the_map_draws_its_clusters_once_as_it_opens(open_page, supervisor, size):
    """The fit's size watch reports the box once as it starts watching: that is no change, so no second draw."""
    page = open_page(**SIZES[size])
    log_in(page, supervisor, tap=size == "phone")
    page.add_init_script(
        """new MutationObserver((changes) => {
            for (const change of changes) for (const node of change.removedNodes)
                if (node.classList && node.classList.contains("marker-cluster")) window.__redrawn = -~window.__redrawn;
        }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto("/map")
    page.wait_for_function("() => window.FieldkitMap && FieldkitMap.maps.length === 1")
    settle(page, THE_MAP)
    expect(page.locator(".marker-cluster")).to_have_count(1)
    assert page.evaluate("window.__redrawn || 0") == 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_filters_marker_stays_beside_its_words_on_a_phone(open_page, supervisor, lang):
    """The words ("Filters · dd/mm/yyyy – dd/mm/yyyy") wrap under themselves, not under the marker."""
    page = open_map(open_page, supervisor, "phone", f"/map?lang={lang}")
    start = page.evaluate(
        """() => {
            const summary = document.querySelector(".map-filters summary"), words = document.createRange();
            words.setStart(summary.firstChild, 0);
            words.setEnd(summary.firstChild, 1);
            return words.getBoundingClientRect().left - summary.getBoundingClientRect().left;
        }"""
    )
    assert start > 8  # after the ▸, not at the start of a line of its own


@pytest.mark.parametrize(("lang", "written"), [("vi", "1.234.567"), ("en", "1,234,567")])
def test_badge_counts_are_grouped_as_the_page_language_writes_numbers(open_page, supervisor, lang, written):
    page = open_map(open_page, supervisor, "desk", f"/map?lang={lang}")
    assert page.evaluate("[FieldkitMap.number(1234567), FieldkitMap.number(999), FieldkitMap.number(0)]") == [
        written,
        "999",
        "0",
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_commune_and_review_maps_open_fitted_too(open_page, supervisor, size):
    page = open_page(**SIZES[size])
    log_in(page, supervisor, tap=size == "phone")
    commune_a = [[10.0, 105.70], [10.02, 105.72]]
    for path in ("/coverage/90001", "/review/00000000-0000-4000-8000-000000000100"):
        page.goto(path)
        page.wait_for_function(
            "() => Object.keys(window).some(k => k.startsWith('map_') && window[k] instanceof L.Map)"
        )
        leaflet = "window[Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)]"
        settle(page, leaflet)
        corners = "[[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]"
        bounds = page.evaluate(f"(() => {{ const b = {leaflet}.fieldkitBounds; return {corners}; }})()")
        assert bounds == commune_a
        seen = fill(page, leaflet, bounds)
        assert seen["inside"] and max(seen["width"], seen["height"]) >= 0.9, (path, seen)


def test_legend_and_layer_list_are_folded_on_a_phone_and_the_legend_open_on_a_desk(open_page, supervisor):
    phone = open_map(open_page, supervisor, "phone")
    expect(phone.locator(".fk-legend")).not_to_have_attribute("open", "")
    assert phone.evaluate("document.querySelector('.fk-legend').open") is False
    expect(phone.locator(".leaflet-control-layers")).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
    expect(phone.locator(".fk-legend .fk-classes")).to_be_hidden()
    phone.locator(".fk-legend summary").tap()
    expect(phone.locator(".fk-legend .fk-classes")).to_be_visible()
    desk = open_map(open_page, supervisor, "desk")
    assert desk.evaluate("document.querySelector('.fk-legend').open") is True


@pytest.mark.parametrize("size", SIZES)
def test_one_cluster_per_place_with_a_breakdown_by_type(open_page, supervisor, size, artifacts):
    page = open_map(open_page, supervisor, size)
    clusters = page.locator(".marker-cluster")
    expect(clusters).to_have_count(1)  # talks and banners at one place share one badge
    expect(clusters.first).to_have_text("5")
    expect(page.locator(".fk-point")).to_have_count(1)  # the lone banner
    boxes = page.evaluate(
        "[...document.querySelectorAll('.marker-cluster, .fk-point')].map(e => e.getBoundingClientRect().toJSON())"
    )
    for i, a in enumerate(boxes):  # no badge lies on another
        for b in boxes[i + 1 :]:
            assert (
                a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            )
    box = clusters.first.bounding_box()
    tap_or_click(page, size, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    rows = page.locator(".fk-cluster-popup .fk-breakdown li")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("3")
    expect(rows.nth(1)).to_contain_text("2")
    page.screenshot(path=str(artifacts / f"e2e-supervisor-cluster-{size}.png"))
    zoom = page.evaluate(f"{THE_MAP}.getZoom()")
    button = page.locator(".fk-cluster-popup .fk-zoom")
    button.tap() if size == "phone" else button.click()
    page.wait_for_function(f"z => {THE_MAP}.getZoom() > z", arg=zoom)


@pytest.mark.parametrize("size", SIZES)
def test_a_click_on_a_commune_opens_its_page(open_page, supervisor, size):
    page = open_map(open_page, supervisor, size, "/map?from=" + (utcnow() - timedelta(days=30)).strftime("%Y-%m-%d"))
    x, y = point_on_page(page, THE_MAP, 10.005, INSIDE_B[1])  # commune B, away from every badge
    tap_or_click(page, size, x, y)
    if size == "phone":  # a tap shows the commune's numbers first, with the link to its page
        link = page.locator(".fk-commune-popup a.fk-open")
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44
        link.tap()
    expect(page).to_have_url(re.compile(r"/coverage/90002\?from=\d{4}-\d\d-\d\d$"))
    expect(page.locator("h1")).to_have_text("Xã Bình Thử")


@pytest.mark.parametrize("size", SIZES)
def test_the_header_stays_above_the_maps(open_page, supervisor, size):
    page = open_page(**SIZES[size])
    log_in(page, supervisor, tap=size == "phone")
    page.goto("/coverage/90001")
    frame = page.locator(".commune-map-frame")
    expect(frame.locator(".leaflet-container")).to_be_visible()
    # Scroll the small map up under the sticky header: its panes and controls must pass beneath it.
    top = frame.bounding_box()["y"]
    page.evaluate(f"window.scrollBy(0, {top - 20})")
    header = page.locator("header.bar").bounding_box()
    assert frame.bounding_box()["y"] < header["y"] + header["height"]  # the map is under the header now
    if size == "phone":
        page.locator("[data-menu-button]").tap()
    link = page.locator(".site-nav a", has_text=re.compile("Bản đồ"))
    box = link.bounding_box()
    under = page.evaluate(
        f"document.elementFromPoint({box['x'] + box['width'] / 2}, {box['y'] + box['height'] / 2}).closest('a')?.href"
    )
    assert under is not None and under.endswith("/map")
    # On the map page as well, with the menu open over the map on a phone.
    page.goto("/map")
    page.wait_for_function("() => window.FieldkitMap && FieldkitMap.maps.length === 1")
    if size == "phone":
        page.locator("[data-menu-button]").tap()
    for name in ("Bản đồ", "Báo cáo"):
        box = page.locator(".site-nav a", has_text=name).bounding_box()
        found = page.evaluate(
            f"document.elementFromPoint({box['x'] + box['width'] / 2}, {box['y'] + box['height'] / 2}).textContent"
        )
        assert found.strip() == name


def test_the_phone_menu_has_44_px_targets_and_reaches_report_and_log_out(open_page, supervisor, artifacts):
    page = open_page(**SIZES["phone"])
    log_in(page, supervisor)
    nav = page.locator(".site-nav")
    expect(nav).to_be_hidden()  # folded behind the menu button
    button = page.locator("[data-menu-button]")
    assert button.bounding_box()["height"] >= 44
    expect(button).to_have_attribute("aria-expanded", "false")
    button.tap()
    expect(button).to_have_attribute("aria-expanded", "true")
    targets = nav.locator("a, button")
    names = [t.strip() for t in targets.all_inner_texts()]
    assert names == ["Bản ghi", "Duyệt", "Độ bao phủ", "Bản đồ", "Pa-nô", "Báo cáo", "Đăng xuất"]
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (names[i], box)
        assert box["y"] + box["height"] <= 740  # on the screen, not off it
    page.screenshot(path=str(artifacts / "e2e-supervisor-menu-phone.png"))
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    # The filters are folded on a phone and open on a desk.
    expect(page.locator("details.filter-fold")).not_to_have_attribute("open", "")
    expect(page.locator(".coverage-filters")).to_be_hidden()
    desk = open_page(**SIZES["desk"])
    log_in(desk, supervisor, tap=False)
    expect(desk.locator("[data-menu-button]")).to_be_hidden()
    expect(desk.locator(".coverage-filters")).to_be_visible()
    for i in range(desk.locator(".site-nav a, .site-nav button").count()):
        assert desk.locator(".site-nav a, .site-nav button").nth(i).bounding_box()["height"] >= 44


def test_each_role_lands_on_its_start(open_page, make_user, areas):
    for role, start in (("admin", r"/admin/$"), ("supervisor", r"/coverage$"), ("officer", r"/$")):
        page = open_page(**SIZES["phone"])
        log_in(page, make_user(role, areas[0] if role == "officer" else None))  # checks the landing
        page.goto("/")
        expect(page).to_have_url(re.compile(start))


@pytest.fixture
def officer_phone(browser, live_server, app, areas, make_user):
    """An officer's 360-px phone whose API calls fail (so the outbox keeps what it holds); answer (page, watch)."""
    watch = Watch(live_server, EXPECTED_OFFLINE_CONSOLE)
    context = browser.new_context(base_url=live_server, locale="vi-VN", **SIZES["phone"])
    context.set_default_timeout(10_000)
    context.route("**/*", watch.route)
    context.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    page = watch.page(context.new_page())
    log_in(page, make_user("officer", areas[0]))
    page.wait_for_function("() => window.FK && FK.store && FK.outbox")
    yield page
    context.close()
    watch.check()


def test_log_out_asks_first_while_the_outbox_holds_entries(officer_phone, artifacts):
    page = officer_phone
    badge = page.locator("#outbox-badge").bounding_box()
    page.locator("[data-menu-button]").tap()
    logout = page.locator(".site-nav .logout button")
    box = logout.bounding_box()
    assert box["height"] >= 44 and box["y"] >= badge["y"] + badge["height"] + 44  # well away from the badge
    page.evaluate(
        """FK.store.save({uuid: "11111111-1111-4111-8111-111111111111", officer: FK.outbox.officer, body: {},
            photos: [], state: "attention", posted: false, error: null, tries: 1, next_try_at: Date.now() + 3.6e6,
            created_at: new Date().toISOString(), updated_at: new Date().toISOString()})"""
    )
    asked = []

    def say_no(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.once("dialog", say_no)
    logout.tap()
    page.wait_for_timeout(800)  # the outbox is counted, the question asked and answered
    assert len(asked) == 1 and asked[0][0] == "confirm" and asked[0][1].startswith("Còn 1 bản ghi")
    expect(page).not_to_have_url(re.compile("/login"))
    page.reload()
    expect(page.locator("#outbox-badge")).to_be_visible()  # still logged in
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-menu-button]").tap()
    page.locator(".site-nav .logout button").tap()
    expect(page).to_have_url(re.compile("/login"))


def test_log_out_goes_straight_ahead_with_an_empty_outbox(open_page, make_user, areas):
    page = open_page(**SIZES["phone"])
    log_in(page, make_user("officer", areas[0]))
    page.wait_for_function("() => window.FK && FK.store")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("[data-menu-button]").tap()
    page.locator(".site-nav .logout button").tap()
    expect(page).to_have_url(re.compile("/login"))
    assert asked == []


def test_too_many_points_show_per_commune_badges_that_do_not_collide(app, open_page, supervisor):
    app.config["FIELDKIT_MAP_MAX_POINTS"] = 2  # the six entries are "too many": totals per commune
    page = open_map(open_page, supervisor, "desk")
    badges = page.locator(".marker-cluster")
    expect(badges).to_have_count(2)
    assert sorted(badges.all_inner_texts()) == ["1", "5"]
    first, second = (badges.nth(i).bounding_box() for i in range(2))
    assert first["x"] + first["width"] <= second["x"] or second["x"] + second["width"] <= first["x"]
    badge = page.locator(".marker-cluster", has_text="5")
    badge.click()
    rows = page.locator(".fk-cluster-popup .fk-breakdown li")
    expect(rows).to_have_count(2)
    expect(page.locator(".fk-cluster-popup .fk-popup-type")).to_contain_text("An Thử")


def test_standing_banners_show_as_dots_that_name_themselves(open_page, supervisor, artifacts):
    officer = db.session.scalar(db.select(User).where(User.role == "officer"))
    entry = content("banner", datetime.now(UTC) - timedelta(days=2))
    entry.update(lat=10.005, lon=105.705, details={"kind": "panel", "quantity": 2, "remove_by": "2099-12-31"})
    activity, _ = services.receive(officer, entry)
    db.session.commit()
    codes = sorted(db.session.scalars(db.select(Banner.code).filter_by(activity_uuid=activity.uuid)))
    assert len(codes) == 2
    page = open_map(open_page, supervisor, "desk")
    dots = page.evaluate(
        f"""() => {{
            const found = [];
            {THE_MAP}.eachLayer(group => {{
                if (!(group instanceof L.GeoJSON)) return;
                group.eachLayer(dot => {{
                    if (/banner-standing/.test(dot.options.className || "")) found.push(dot);
                }});
                // The entry's own point lies on top of its banners: hover the dot from Leaflet's side.
                if (found.length) found[0].fire("mouseover", {{latlng: found[0].getLatLng()}}, true);
            }});
            return found.map(dot => [dot.getLatLng().lat, dot.getLatLng().lng, dot.options.fillColor]);
        }}"""
    )
    assert dots == [[10.005, 105.705, "#1e8449"]] * 2  # one GeoJSON layer: a dot per banner, its state's colour
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(re.compile("|".join(codes)))
    expect(tooltip).to_contain_text("còn nguyên")
    page.screenshot(path=str(artifacts / "e2e-supervisor-banners-desk.png"))


@pytest.mark.parametrize("size", SIZES)
def test_a_long_list_of_bodies_is_searched_as_one_types(app, open_page, supervisor, bodies, size):
    """Past FIELDKIT_CHOICES_LISTED_MAX (a country's bodies), the body filter is a box whose datalist fills with
    the bodies whose names hold what is typed, without tone marks; the chosen code filters the page."""
    app.config["FIELDKIT_CHOICES_LISTED_MAX"] = 3
    page = open_page(**SIZES[size])
    log_in(page, supervisor, tap=size == "phone")
    page.goto("/coverage")
    box = page.locator("input[name=org]")
    if not box.is_visible():
        page.locator(".filter-fold > summary").click()  # folded on a phone
    box.fill("phu nu")
    found = page.locator("#org-found option")
    expect(found).to_have_count(1)
    assert (found.first.get_attribute("value"), found.first.text_content()) == (
        "HLHPN",
        "Hội Liên hiệp Phụ nữ thành phố",
    )
    box.fill("HLHPN")
    box.press("Enter")
    page.wait_for_url(re.compile(r"org=HLHPN"))
    expect(page.locator("input[name=org]")).to_have_value("HLHPN")
    expect(page.locator(".body-filter .chosen-name")).to_have_text("Hội Liên hiệp Phụ nữ thành phố")
