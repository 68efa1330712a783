"""The units' reports: written, sent with frozen numbers, accepted or returned by the Department; changes after
sending flagged; late from the due date; only the right people at each step; every step in the audit log."""

from datetime import date, timedelta

import pytest

from fieldkit import periods
from fieldkit.extensions import db
from fieldkit.models import AuditEvent, ReportSubmission, User
from fieldkit.submissions import services
from tests.factories import PASSWORD
from tests.submissions_helpers import Phone, as_user

NARRATIVE = {"results": "Đã tổ chức 2 buổi nói chuyện", "difficulties": "Thiếu kinh phí", "proposals": "Hỗ trợ thêm"}


@pytest.fixture
def period(app):
    """The current quarter: entries of a couple of hours ago fall in it, and it is not due yet."""
    return periods.quarter_of(periods.today(app.config["FIELDKIT_TIMEZONE"]))


@pytest.fixture
def people(app, areas, make_user):
    """The officers and supervisors of both communes, the city supervisor and the admin."""
    return {
        "officer_a": make_user("officer", "90001"),
        "officer_b": make_user("officer", "90002"),
        "s1": make_user("supervisor", "90001"),
        "s2": make_user("supervisor", "90002"),
        "city": make_user("supervisor"),
        "admin": make_user("admin"),
    }


def api_report(client, period, code):
    response = client.get(f"/api/v1/reports/{period}/{code}")
    assert response.status_code == 200, response.json
    return response.json


def send(client, period, code, **narrative):
    response = client.post(f"/reports/submissions/{period}/{code}", data={**NARRATIVE, **narrative, "send": "1"})
    assert response.status_code == 302, response.text
    return response


def test_a_frozen_report_keeps_its_numbers_and_flags_what_changed(app, people, period):
    phone = Phone(app, people["officer_a"])
    kept, withdrawn = phone.talk(participants=40), phone.talk(participants=30)
    s1, city = as_user(app, people["s1"]), as_user(app, people["city"])
    send(s1, period, "90001")
    sent = api_report(s1, period, "90001")
    assert sent["state"] == "submitted" and sent["frozen"]
    assert (sent["figures"]["lines"][0]["activities"], sent["figures"]["lines"][0]["people"]) == (2, 70)
    assert sent["changed_since_submitted"] == {"changed": 0, "removed": 0, "added": 0}

    phone.edit(kept, participants=50)
    phone.withdraw(withdrawn)
    phone.talk(participants=10)

    later = api_report(city, period, "90001")
    assert later["figures"] == sent["figures"], "a sent report's numbers moved"
    assert later["changed_since_submitted"] == {"changed": 1, "removed": 1, "added": 1}
    live = city.get(f"/reports/{period}?area=90001").text  # the periodic report follows the entries
    assert 'data-col="people">60<' in live
    page = s1.get(f"/reports/submissions/{period}/90001").text
    assert 'data-changed="1/1/1"' in page and 'data-col="people">70<' in page
    overview = city.get(f"/reports/submissions?period={period}").text
    assert "⚠" in overview.split('data-unit="90001"')[1].split("</tr>")[0]
    assert city.post(f"/api/v1/reports/{period}/90001/accept").json["state"] == "accepted"
    consolidated = city.get(f"/reports/consolidated/{period}").text
    assert 'class="changed-note"' in consolidated and 'data-col="activities">2<' in consolidated


def test_a_returned_report_is_written_again_and_resubmitted(app, people, period):
    phone = Phone(app, people["officer_a"])
    phone.talk()
    s1, city = as_user(app, people["s1"]), as_user(app, people["city"])
    send(s1, period, "90001")
    assert city.post(f"/api/v1/reports/{period}/90001/return", json={"comment": ""}).status_code == 400
    returned = city.post(f"/api/v1/reports/{period}/90001/return", json={"comment": "Bổ sung khó khăn"}).json
    assert (returned["state"], returned["review_comment"], returned["frozen"]) == (
        "returned",
        "Bổ sung khó khăn",
        False,
    )
    assert "Bổ sung khó khăn" in s1.get(f"/reports/submissions/{period}/90001").text
    phone.talk()  # recorded while the report was back with the commune: the new snapshot holds it
    answer = s1.put(f"/api/v1/reports/{period}/90001", json={**NARRATIVE, "difficulties": "Thiếu tài liệu"})
    assert answer.status_code == 200 and answer.json["narrative"]["difficulties"] == "Thiếu tài liệu"
    again = s1.post(f"/api/v1/reports/{period}/90001/submit").json
    assert again["state"] == "submitted" and again["review_comment"] == ""
    assert again["figures"]["lines"][0]["activities"] == 2
    assert city.post(f"/api/v1/reports/{period}/90001/accept").json["state"] == "accepted"
    assert s1.put(f"/api/v1/reports/{period}/90001", json=NARRATIVE).status_code == 409  # accepted: closed
    assert s1.post(f"/api/v1/reports/{period}/90001/submit").status_code == 409


def test_a_commune_supervisor_reports_for_their_own_commune_only(app, people, period):
    s1 = as_user(app, people["s1"])
    assert s1.post(f"/api/v1/reports/{period}/90002/submit").status_code == 404
    assert s1.put(f"/api/v1/reports/{period}/90002", json=NARRATIVE).status_code == 404
    assert s1.get(f"/api/v1/reports/{period}/90002").status_code == 404
    assert s1.post(f"/reports/submissions/{period}/90002", data={**NARRATIVE, "send": "1"}).status_code == 404
    for who in ("city", "admin"):  # they read every unit's report, but a unit writes its own
        assert as_user(app, people[who]).post(f"/api/v1/reports/{period}/90002/submit").status_code == 403
    officer = as_user(app, people["officer_b"])
    assert officer.post(f"/api/v1/reports/{period}/90002/submit").status_code == 403
    assert db.session.scalar(db.select(db.func.count(ReportSubmission.id))) == 0
    listed = s1.get(f"/api/v1/reports/{period}").json["units"]
    assert [unit["unit"]["code"] for unit in listed] == ["90001"]


def test_only_the_department_accepts_or_returns(app, people, period, bodies):
    s1 = as_user(app, people["s1"])
    send(s1, period, "90001")
    union = _user_in_body(bodies, "HLHPN")  # a city-wide supervisor of the Women's Union: its reporter, no reviewer
    for client in (s1, as_user(app, people["s2"]), as_user(app, people["admin"]), as_user(app, union)):
        for action, body in (("accept", None), ("return", {"comment": "Không"})):
            answer = client.post(f"/api/v1/reports/{period}/90001/{action}", json=body)
            assert answer.status_code in (403, 404), (action, answer.status_code)
    assert api_report(s1, period, "90001")["state"] == "submitted"
    city = as_user(app, people["city"])
    assert city.post(f"/api/v1/reports/{period}/90001/accept").json["state"] == "accepted"
    assert city.post(f"/api/v1/reports/{period}/90001/accept").status_code == 409  # once only


def _user_in_body(bodies, code):
    """A city-wide supervisor who belongs to the body: its reporter."""
    user = User(username=f"rep-{code.lower()}", display_name="Báo cáo viên", role="supervisor", area_code=None)
    user.set_password(PASSWORD)
    user.organization_id = bodies[code].id
    db.session.add(user)
    db.session.commit()
    return user


def test_late_is_read_off_the_due_date(app, people):
    q4 = periods.parse("2025-Q4")
    due = services.due_date(q4)
    assert due == date(2026, 1, 5)  # FIELDKIT_REPORT_DUE_DAYS = 5 after 31/12/2025
    assert services.shown_state(None, q4, due) == "not_started"
    assert services.shown_state(None, q4, due + timedelta(days=1)) == "late"
    draft = ReportSubmission(period="2025-Q4", unit_kind="area", unit_code="90001", state="draft")
    assert services.shown_state(draft, q4, due) == "draft"
    assert services.shown_state(draft, q4, due + timedelta(days=1)) == "late"
    draft.state = "submitted"
    assert services.shown_state(draft, q4, due + timedelta(days=30)) == "submitted"
    city = as_user(app, people["city"])
    states = {u["unit"]["code"]: (u["state"], u["due"]) for u in city.get("/api/v1/reports/2025-Q4").json["units"]}
    assert states == {"90001": ("late", "2026-01-05"), "90002": ("late", "2026-01-05")}
    app.config["FIELDKIT_REPORT_DUE_DAYS"] = 5000
    assert city.get("/api/v1/reports/2025-Q4").json["units"][0]["state"] == "not_started"
    app.config["FIELDKIT_REPORT_DUE_DAYS"] = 5
    s1 = as_user(app, people["s1"])
    send(s1, "2025-Q4", "90001")
    sent = api_report(s1, "2025-Q4", "90001")
    assert (sent["state"], sent["submitted_late"]) == ("submitted", True)
    assert "gửi trễ hạn" in city.get("/reports/submissions?period=2025-Q4").text


def test_a_report_is_not_sent_without_its_results(app, people, period):
    s1 = as_user(app, people["s1"])
    answer = s1.post(f"/api/v1/reports/{period}/90001/submit")
    assert answer.status_code == 409 and "results" in answer.json["fields"]
    page = s1.post(f"/reports/submissions/{period}/90001", data={"results": " ", "send": "1"})
    assert page.status_code == 409 and 'id="field-results"' in page.text
    assert api_report(s1, period, "90001")["state"] in ("draft", "not_started")
    assert s1.get("/api/v1/reports/2025-Q9").status_code == 400
    assert s1.put(f"/api/v1/reports/{period}/90001", json={"results": "x" * 20_001}).status_code == 400
    assert s1.put(f"/api/v1/reports/{period}/90001", json={"other": "x"}).status_code == 400


def test_every_step_is_in_the_audit_log(app, people, period):
    s1, city = as_user(app, people["s1"]), as_user(app, people["city"])
    s1.put(f"/api/v1/reports/{period}/90001", json=NARRATIVE)
    s1.post(f"/api/v1/reports/{period}/90001/submit")
    city.post(f"/api/v1/reports/{period}/90001/return", json={"comment": "Bổ sung"})
    s1.post(f"/api/v1/reports/{period}/90001/submit")
    city.post(f"/api/v1/reports/{period}/90001/accept")
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "report_submission").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.user_id) for e in events] == [
        ("report.narrative", people["s1"].id),
        ("report.submit", people["s1"].id),
        ("report.return", people["city"].id),
        ("report.submit", people["s1"].id),
        ("report.accept", people["city"].id),
    ]
    assert events[0].after["results"] == NARRATIVE["results"] and events[0].before["results"] == ""
    assert (events[2].before, events[2].after) == ({"state": "submitted"}, {"state": "returned", "comment": "Bổ sung"})


def test_a_body_reports_on_the_entries_its_officers_recorded(app, people, period, bodies):
    people["officer_b"].organization_id = bodies["HLHPN"].id
    db.session.commit()
    Phone(app, people["officer_b"]).talk(participants=25)
    Phone(app, people["officer_a"]).talk(participants=99)  # the commune's committee: not the Union's
    reporter = _user_in_body(bodies, "HLHPN")
    client = as_user(app, reporter)
    report = api_report(client, period, "HLHPN")
    assert report["unit"] == {"code": "HLHPN", "kind": "org", "name": "Hội Liên hiệp Phụ nữ thành phố"}
    assert (report["figures"]["lines"][0]["activities"], report["figures"]["lines"][0]["people"]) == (1, 25)
    client.put(f"/api/v1/reports/{period}/HLHPN", json=NARRATIVE)
    assert client.post(f"/api/v1/reports/{period}/HLHPN/submit").json["state"] == "submitted"
    assert client.post(f"/api/v1/reports/{period}/90002/submit").status_code == 403  # reads it, does not write it
    units = {u["unit"]["code"] for u in as_user(app, people["city"]).get(f"/api/v1/reports/{period}").json["units"]}
    assert {"90001", "90002", "HLHPN", "MTTQ"} <= units and "SNNMT" not in units and "UBND-90001" not in units


def test_the_overview_narrows_to_one_state(app, people, period):
    s1, city = as_user(app, people["s1"]), as_user(app, people["city"])
    send(s1, period, "90001")
    page = city.get(f"/reports/submissions?period={period}&state=submitted").text
    assert 'data-unit="90001"' in page and 'data-unit="90002"' not in page
    assert "đã gửi: 1" in page and "chưa thực hiện: 1" in page  # the counts stay whole
