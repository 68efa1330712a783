"""The officer's home answers "what now": returned entries first with their count, the commune's progress against
this year's targets, the latest activities first; "Saved" with "Record another"; a media link is a link."""

import re
from datetime import datetime, timedelta

from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, Target
from tests.factories import PASSWORD, VN, talk


def post(client, **overrides) -> str:
    body = talk(**overrides)
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code == 201, response.json
    return body["uuid"]


def at(hours_ago: float) -> str:
    return (datetime.now(VN) - timedelta(hours=hours_ago)).isoformat(timespec="seconds")


def set_status(uuids, status) -> None:
    for activity in db.session.scalars(db.select(Activity).where(Activity.uuid.in_(uuids))):
        activity.status = status
    db.session.commit()


def topics(html: str) -> list[str]:
    return re.findall(r"<strong>[^<]*</strong> — ([^<]+)<br>", html)


def test_returned_entries_come_first_with_their_count(client, officer):
    returned = [post(client, topic=f"Trả lại {n}", occurred_at=at(n + 1)) for n in range(7)]
    post(client, topic="Bình thường", occurred_at=at(0.5))
    set_status(returned, ActivityStatus.RETURNED)
    page = client.get("/").text
    assert page.index('id="returned"') < page.index("+ ")  # before the big button
    assert re.search(r"data-returned-count>7<", page)
    section = page[page.index('id="returned"') : page.index("</section>", page.index('id="returned"'))]
    assert topics(section) == [f"Trả lại {n}" for n in range(5)]  # the latest to happen first
    assert "status=returned" in section  # the rest are one tap away


def test_lists_show_the_latest_activity_first_not_the_latest_to_arrive(client, officer, app):
    for topic, hours in (("Hai ngày trước", 48), ("Vừa xong", 1), ("Hôm qua", 24), ("Tuần trước", 24 * 7)):
        post(client, topic=topic, occurred_at=at(hours))
    expected = ["Vừa xong", "Hôm qua", "Hai ngày trước", "Tuần trước"]
    assert topics(client.get("/").text) == expected
    assert topics(client.get("/activities").text) == expected
    app.config["FIELDKIT_PAGE_SIZE"] = 3
    first = client.get("/activities").text
    assert topics(first) == expected[:3]
    cursor = re.search(r'cursor=([^&"]+)', first).group(1)
    assert topics(client.get(f"/activities?cursor={cursor}").text) == expected[3:]
    assert client.get("/activities?cursor=not-a-cursor").status_code == 400


def signed_in(app, user):
    """Another phone: a client of its own, logged in as the user."""
    other = app.test_client()
    assert other.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    return other


def test_home_shows_the_communes_progress_against_this_years_targets(client, officer, make_user, app):
    year = datetime.now(VN).year
    db.session.add(Target(area_code=officer.area_code, year=year, type="talk", quantity=4))
    db.session.add(Target(area_code=officer.area_code, year=year - 1, type="talk", quantity=99))
    db.session.commit()
    post(client)
    colleague = signed_in(app, make_user("officer", officer.area_code))
    post(colleague)  # a colleague's talk counts for the commune
    assert len(topics(client.get("/").text)) == 1  # while the officer's list holds only their own
    page = client.get("/").text
    progress = page[page.index("progress-targets") :]
    row = re.search(r'<tr data-type="talk">(.*?)</tr>', progress, re.S).group(1)
    assert re.search(r"\b2/4\b", row) and "<strong>50%</strong>" in row  # last year's target is not this year's


def test_a_save_says_saved_and_offers_another(client, officer, make_user, app):
    uuid = post(client)
    page = client.get(f"/activities/{uuid}?saved=1").text
    assert f'data-saved-uuid="{uuid}"' in page
    assert re.search(r'href="/activities/new\?type=talk"[^>]*data-record-another', page)
    assert "data-saved-uuid" not in client.get(f"/activities/{uuid}").text
    supervisor = signed_in(app, make_user("supervisor", officer.area_code))
    assert "data-saved-uuid" not in supervisor.get(f"/activities/{uuid}?saved=1").text


def test_the_page_form_redirects_to_the_saved_entry(client, officer):
    page = client.get("/activities/new").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {key: str(value) for key, value in talk().items()}
    data["occurred_at"] = data["occurred_at"][:16]
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post("/activities/new", data=data)
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"].endswith(f"/activities/{data['uuid']}?saved=1")


def test_a_media_link_is_a_safe_link(client, officer):
    media = {"type": "media", "channel": "web", "items": 1, "format": None, "participants": None}
    media |= {"poor_members": None, "near_poor_members": None, "women": None}
    uuid = post(client, **media, link="https://baocantho.com.vn/giam-ngheo?a=1&b=2")
    page = client.get(f"/activities/{uuid}").text
    assert re.search(
        r'<a href="https://baocantho.com.vn/giam-ngheo\?a=1&amp;b=2" rel="noopener noreferrer" target="_blank"', page
    )
    activity = db.session.scalar(db.select(Activity).where(Activity.uuid == uuid))
    activity.details = {**activity.details, "link": "javascript:alert(1)"}  # stored before links were checked
    db.session.commit()
    page = client.get(f"/activities/{uuid}").text
    assert "javascript:alert(1)" in page and 'href="javascript' not in page
