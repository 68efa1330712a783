"""The installable app: manifest, service worker, offline page, outbox page, fresh CSRF tokens, and the import of
a file of entries saved on a phone."""

import base64
import hashlib
import io
import json
import re
import shutil
from datetime import datetime

import pytest
from PIL import Image

from fieldkit.extensions import db
from fieldkit.mapping import bundles
from fieldkit.models import Activity
from fieldkit.pwa import assets
from tests.factories import jpeg, talk


def outbox_file(*entries) -> bytes:
    """A file as the outbox page saves it."""
    return json.dumps({"format": "fieldkit-outbox", "version": 1, "officer": "x", "entries": list(entries)}).encode()


def saved_entry(officer, photos=(), **overrides) -> dict:
    """One entry of the file, with its photos as (bytes, hints)."""
    return {
        "uuid": "ignored",
        "officer": officer.username,
        "state": "saved",
        "activity": talk(**overrides),
        "photos": [
            {
                "index": i,
                "type": "image/jpeg",
                "sha256": hashlib.sha256(data).hexdigest(),
                "data": base64.b64encode(data).decode(),
                **hints,
            }
            for i, (data, hints) in enumerate(photos)
        ],
    }


def upload(client, content: bytes, json_answer=True):
    headers = {"Accept": "application/json"} if json_answer else {}
    return client.post(
        "/outbox/import?lang=en",  # the reasons are asserted in English
        data={"file": (io.BytesIO(content), "fieldkit-outbox.json")},
        content_type="multipart/form-data",
        headers=headers,
    )


def statuses(response) -> list[str]:
    return [r["status"] for r in response.json["results"]]


def activities() -> list[Activity]:
    db.session.expire_all()
    return db.session.scalars(db.select(Activity)).unique().all()


def test_manifest_is_installable_with_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = response.json
    assert manifest["lang"] == "vi" and manifest["short_name"] == "fieldkit" and manifest["name"]
    assert (manifest["display"], manifest["scope"], manifest["start_url"]) == ("standalone", "/", "/")
    assert manifest["theme_color"] == "#9c1c1c"
    found = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert found == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        data = image.data
        image.close()
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert "x".join(map(str, Image.open(io.BytesIO(data)).size)) == icon["sizes"]


def test_service_worker_precaches_versioned_files_that_match_their_content(client, app):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.text
    version = assets.current().version
    assert f'var VERSION = "{version}";' in source
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", source).group(1))
    assert "/offline" in precache and "/manifest.webmanifest" in precache
    for url in precache:
        if "?v=" not in url:
            continue
        digest = url.split("?v=")[1]
        served = client.get(url)
        data = served.data
        served.close()
        assert served.status_code == 200, url
        assert hashlib.sha256(data).hexdigest().startswith(digest), url
    assert json.loads(re.search(r"var OFFICER_PAGES = (\[.*?\]);", source).group(1)) == [
        "/",
        "/activities/new",
        "/activities",
        "/outbox",
        "/inspect",  # the banner inspection form, to inspect offline
    ]


def test_a_changed_static_file_makes_a_new_version(app, tmp_path):
    before = assets.scan(app).version
    assert assets.scan(app).version == before
    copy = tmp_path / "static"
    shutil.copytree(app.static_folder, copy)
    (copy / "js" / "outbox-sync.js").write_text((copy / "js" / "outbox-sync.js").read_text() + "\n// changed\n")
    app.static_folder = str(copy)
    changed = assets.scan(app)
    assert changed.version != before
    assert changed.hashes["js/outbox-sync.js"] != changed.hashes["js/outbox.js"]


def test_versioned_static_files_are_kept_a_year_and_others_revalidated(client, app):
    """The phone on one bar of signal fetches a file once per version; a stale or absent ?v= is revalidated."""
    digest = app.extensions[assets.EXTENSION].hashes["css/app.css"]
    with client.get(f"/static/css/app.css?v={digest}") as kept:
        assert kept.status_code == 200
    assert kept.cache_control.max_age == assets.YEAR and kept.cache_control.immutable
    assert not kept.cache_control.no_cache
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab", "/static/js/print.js?v=x"):
        with client.get(url) as response:
            assert response.status_code == 200 and response.cache_control.no_cache
            assert not response.cache_control.max_age


def test_offline_page_needs_no_login(client):
    response = client.get("/offline")
    assert response.status_code == 200 and 'href="/activities/new"' in response.text


def test_outbox_page_needs_a_login(client, officer):
    client.post("/logout")
    assert client.get("/outbox").status_code == 302


def test_outbox_page_for_an_officer(client, officer):
    page = client.get("/outbox").text
    assert 'id="outbox-entries"' in page and 'id="outbox-page-text"' in page
    assert 'action="/outbox/import"' in page and 'name="file"' in page
    assert re.search(r'src="/static/js/outbox-page\.js\?v=\w+"', page)


def test_officer_pages_carry_the_manifest_badge_and_outbox_scripts(client, officer):
    page = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'id="outbox-badge"' in page and 'id="outbox-summary"' in page
    assert f'<meta name="fieldkit-officer" content="{officer.username}">' in page
    for script in ("outbox-store", "outbox-sync", "outbox"):
        assert re.search(rf'src="/static/js/{script}\.js\?v=\w+"', page)
    form = client.get("/activities/new").text
    assert 'data-outbox="1"' in form and "js/exif.js?v=" in form and "js/outbox-photos.js?v=" in form


def test_supervisor_pages_have_no_outbox(client, make_user, login, areas):
    login(make_user("supervisor"))
    page = client.get("/activities").text
    assert 'id="outbox-badge"' not in page and "outbox-sync.js" not in page


def test_csrf_token_says_who_is_logged_in_and_is_never_cached(client, officer):
    response = client.get("/csrf-token")
    assert response.json["user"] == officer.username and response.json["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"
    client.post("/logout")
    assert client.get("/csrf-token").json["user"] is None


def test_import_stores_each_entry_with_its_photos_once(client, officer):
    photo = jpeg(800, 600)
    hints = {"taken_at": "2025-11-20T09:30:15+07:00", "photo_lat": 10.011, "photo_lon": 105.712}
    first = saved_entry(officer, [(photo, hints), (jpeg(colour=(0, 90, 0)), {})], topic="Tệp 1")
    second = saved_entry(officer, topic="Tệp 2")
    response = upload(client, outbox_file(first, second))
    assert response.status_code == 200
    assert statuses(response) == ["stored", "stored"]
    assert response.json["counts"] == {"stored": 2, "already_stored": 0, "rejected": 0}
    stored = {a.uuid: a for a in activities()}
    with_photos = stored[first["activity"]["uuid"]]
    assert [p.sha256 for p in with_photos.photos] == [hashlib.sha256(photo).hexdigest(), first["photos"][1]["sha256"]]
    assert (with_photos.photos[0].exif_lat, with_photos.photos[0].exif_lon) == (10.011, 105.712)
    assert with_photos.photos[0].taken_at == datetime(2025, 11, 20, 2, 30, 15)

    again = upload(client, outbox_file(first, second))
    assert statuses(again) == ["already_stored", "already_stored"]
    assert len(activities()) == 2


def test_import_adds_the_photos_a_stored_entry_lacks(client, officer):
    entry = saved_entry(officer, [(jpeg(), {}), (jpeg(colour=(1, 2, 3)), {})])
    assert client.post("/api/v1/activities", json=entry["activity"]).status_code == 201
    response = upload(client, outbox_file(entry))
    assert response.json["results"][0] | {"uuid": None} == {
        "uuid": None,
        "status": "already_stored",
        "reason": "",
        "topic": entry["activity"]["topic"],
        "photos_added": 2,
    }
    [activity] = activities()
    assert len(activity.photos) == 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e, other: e.update(officer=other.username), "log in as"),
        (lambda e, other: e.pop("officer"), "which officer"),
        (lambda e, other: e["activity"].update(participants=2, poor_members=9), "poor_members"),
        (lambda e, other: e["photos"][0].update(sha256="0" * 64), "Photo 1"),
        (lambda e, other: e["photos"][0].update(data="not base64!"), "Photo 1"),
        (lambda e, other: e["activity"].pop("uuid"), "uuid"),
        (lambda e, other: e.update(activity=[1, 2]), "activity"),
    ],
)
def test_import_refuses_an_entry_and_says_why_but_stores_the_rest(client, officer, make_user, change, reason):
    other = make_user("officer", "90002", username="other-officer")
    bad = saved_entry(officer, [(jpeg(), {})], topic="Không được lưu")
    change(bad, other)
    good = saved_entry(officer, topic="Được lưu")
    response = upload(client, outbox_file(bad, good))
    assert statuses(response) == ["rejected", "stored"]
    assert reason in response.json["results"][0]["reason"]
    assert [a.topic for a in activities()] == ["Được lưu"]


def test_import_refuses_a_uuid_stored_with_other_content(client, officer):
    entry = saved_entry(officer, topic="Bản gốc")
    assert client.post("/api/v1/activities", json=entry["activity"]).status_code == 201
    entry["activity"]["topic"] = "Nội dung khác"
    response = upload(client, outbox_file(entry))
    assert statuses(response) == ["rejected"]
    assert [a.topic for a in activities()] == ["Bản gốc"]


@pytest.mark.parametrize("content", [b"not json", b"[]", b'{"format": "other", "entries": []}'])
def test_import_refuses_a_file_that_is_not_an_outbox_file(client, officer, content):
    response = upload(client, content)
    assert response.status_code == 400 and response.json["fields"]["file"]
    page = upload(client, content, json_answer=False)
    assert page.status_code == 400 and 'class="error"' in page.text


def test_import_page_shows_each_result(client, officer):
    entry = saved_entry(officer, topic="Hiện kết quả")
    page = upload(client, outbox_file(entry), json_answer=False)
    assert page.status_code == 200
    assert 'data-status="stored"' in page.text and "Hiện kết quả" in page.text


def test_only_officers_import(client, make_user, login, areas):
    login(make_user("supervisor"))
    assert upload(client, outbox_file()).status_code == 403


def test_import_needs_the_csrf_token(client, app, officer):
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload(client, outbox_file(saved_entry(officer)))
    assert response.status_code == 400 and response.json["error"] == "csrf"
    assert activities() == []


def test_import_caps_the_entries_of_one_file_and_says_so(client, officer):
    """A file of thousands of entries would hold a worker for minutes: refused whole, with the limit named."""
    limit = client.application.config["FIELDKIT_OUTBOX_MAX_ENTRIES"]
    assert limit == 500
    entries = [saved_entry(officer, topic=f"Mục {i}") for i in range(limit + 1)]
    response = upload(client, outbox_file(*entries))
    assert response.status_code == 400
    message = response.json["fields"]["file"][0]
    assert "501 entries" in message and "at most 500" in message
    assert activities() == []
    assert upload(client, outbox_file(*entries[:2])).status_code == 200


def test_the_map_files_come_as_two_versioned_bundles_kept_but_not_offline(client, app, login, make_user):
    """A supervisor's map on a slow line fetches its own scripts as one file and its styles as another, once per
    version; they are not offline files, so a change to them installs no new service worker."""
    login(make_user("supervisor"))
    page = client.get("/map").text
    assert "/static/js/map-points.js" not in page and "MarkerCluster.css" not in page  # inside the bundles
    for name, needle in (("map.js", b"FieldkitMap"), ("map.css", b".marker-cluster-small")):
        digest = app.extensions[bundles.EXTENSION][name].digest
        assert f"/static/bundle/{name}?v={digest}" in page, name
        with client.get(f"/static/bundle/{name}?v={digest}") as kept:
            assert kept.cache_control.immutable and kept.cache_control.max_age == assets.YEAR
            assert needle in kept.data and kept.mimetype == ("text/javascript" if name.endswith(".js") else "text/css")
        with client.get(f"/static/bundle/{name}?v=old") as stale:  # an old page's link: the new file, revalidated
            assert stale.status_code == 200 and stale.cache_control.no_cache and not stale.cache_control.max_age
        assert client.get(f"/static/bundle/{name}", headers={"If-None-Match": f'"{digest}"'}).status_code == 304
    assert client.get("/static/bundle/other.js").status_code == 404
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and "/static/js/outbox.js" in worker.text
    assert "/static/bundle/" not in worker.text and "map-points.js" not in worker.text


def test_each_map_bundle_holds_its_parts_in_order(app):
    for name, parts in bundles.PARTS.items():
        body = bundles.join(app)[name].body
        at = [body.index(bundles._read(app, part)) for part in parts]
        assert at == sorted(at), name
