"""A commune supervisor writes the quarter's narrative on a phone and sends it; the Department (a city supervisor,
on a desktop) accepts it; the consolidated city report then holds its numbers and its narrative."""

import pytest
from playwright.sync_api import expect

from fieldkit import periods
from fieldkit.extensions import db
from tests.e2e.browser import PHONE, log_in
from tests.submissions_helpers import Phone


@pytest.fixture
def quarter(app, areas, make_user):
    """Two talks in commune 90001 this quarter; answer the quarter's key."""
    phone = Phone(app, make_user("officer", "90001"))
    phone.talk(participants=40)
    phone.talk(participants=25)
    return periods.quarter_of(periods.today(app.config["FIELDKIT_TIMEZONE"]))


def test_a_commune_report_is_sent_accepted_and_consolidated(open_page, make_user, quarter, artifacts):
    supervisor = make_user("supervisor", "90001")
    department = make_user("supervisor")

    commune = open_page(**PHONE)
    log_in(commune, supervisor)
    commune.goto(f"/reports/submissions?period={quarter}")
    row = commune.locator('tr[data-unit="90001"]')
    expect(row).to_have_attribute("data-state", "not_started")
    row.locator("a").tap()
    expect(commune.locator('tr[data-row="sum"] [data-col="activities"]')).to_have_text("2")
    commune.fill("textarea[name=results]", "Tổ chức 2 buổi nói chuyện chuyên đề cho 65 người.")
    commune.fill("textarea[name=difficulties]", "Kinh phí in tài liệu còn ít.")
    commune.fill("textarea[name=proposals]", "Đề nghị Sở hỗ trợ tờ rơi.")
    commune.locator("button[name=send]").tap()
    expect(commune.locator("#state")).to_have_text("đã gửi")
    expect(commune.locator("textarea[name=results]")).to_have_count(0)  # frozen: no longer a form
    commune.screenshot(path=str(artifacts / "submissions-commune-sent.png"), full_page=True)

    desk = open_page(viewport={"width": 1366, "height": 900})
    log_in(desk, department, tap=False)
    desk.goto(f"/reports/submissions?period={quarter}")
    expect(desk.locator('tr[data-unit="90001"]')).to_have_attribute("data-state", "submitted")
    expect(desk.locator('tr[data-unit="90002"]')).to_have_attribute("data-state", "not_started")
    desk.locator('tr[data-unit="90001"] a').click()
    expect(desk.locator('[data-part="results"]')).to_have_text("Tổ chức 2 buổi nói chuyện chuyên đề cho 65 người.")
    desk.locator("#accept").click()
    expect(desk.locator("#state")).to_have_text("đã tiếp nhận")

    desk.goto(f"/reports/submissions?period={quarter}")
    desk.get_by_role("link", name="Báo cáo tổng hợp toàn thành phố").click()
    expect(desk.locator('tr[data-row="sum"] [data-col="activities"]')).to_have_text("2")
    expect(desk.locator('.unit-narrative[data-unit="90001"]')).to_contain_text("Đề nghị Sở hỗ trợ tờ rơi.")
    expect(desk.locator('table.missing tr[data-state="not_started"]')).to_contain_text("Xã Bình Thử")
    desk.screenshot(path=str(artifacts / "submissions-city-report.png"), full_page=True)

    commune.reload()
    expect(commune.locator("#state")).to_have_text("đã tiếp nhận")


def test_a_talk_names_role_models_through_the_outbox(page, areas, make_user, artifacts):
    from fieldkit.models import RoleModel
    from tests.e2e.test_record_activity import ENTRY_URL, choose_type, fill_talk, open_the_form, stored_activities

    for name, code in (("Hộ bà Tư trồng rau sạch", "90001"), ("Tổ hợp tác đan lát", "90002")):
        db.session.add(RoleModel(name=name, area_code=code))
    db.session.commit()
    first, second = db.session.scalars(db.select(RoleModel.id).order_by(RoleModel.id)).all()
    log_in(page, make_user("officer", areas[0]))
    open_the_form(page)
    choose_type(page, "banner")
    expect(page.locator("#field-role_model_ids")).to_be_hidden()  # banners promote no role model
    choose_type(page, "talk")
    fill_talk(page, "Nói chuyện về mô hình sinh kế", participants=30, poor_members=6)
    models = page.locator("#field-role_model_ids")
    expect(models).to_be_visible()
    models.locator(f"input[value='{second}']").check()
    models.screenshot(path=artifacts / "e2e-role-model-fieldset.png")
    page.locator("#activity-form button[type=submit]").tap()
    expect(page).to_have_url(ENTRY_URL)
    [activity] = stored_activities()
    assert activity.details["role_model_ids"] == [second] and first != second
