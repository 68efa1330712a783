"""Who may do what, route by route: every route of the app × every role and scope (issue 6, "Access").

ROWS below is the whole policy in one table. A row is one request; its columns are the status each role gets:

    anon   not logged in; answering exactly alike: a revoked bearer token, a deactivated user's old session and token
    a, b   officers of commune 90001;  c  an officer of 90002;  tok  officer a's bearer token
    s1, s2 the supervisors of communes 90001 and 90002;  city  a supervisor without a commune;  admin

The rules behind the numbers (fieldkit/auth/scope.py, DESIGN.md): officers see and edit their own entries (edit until
verified); a commune supervisor sees the entries placed in their commune (the GPS commune, else the declared one);
the city supervisor and the admin see everything; admin pages are for the admin only. Not logged in: pages send to
/login (302), the API answers JSON 401. A record outside the viewer's scope answers 404 — the very answer an unknown
uuid or id gets, byte for byte — so nothing tells that it exists; a role that may not use a route at all gets 403.

Beyond the status, the runner checks for every case: lists, maps, coverage, reports and exports hold exactly the
rows in the viewer's scope (read from the CSV, XLSX, GeoJSON, KML, ZIP and JSON themselves); a refused write changes
nothing in the database; anonymous answers are a redirect to /login or JSON 401; every out-of-scope 404 equals the
404 of a random uuid (or id). test_every_route_is_in_the_matrix fails when a route is added without a row here.
"""

import io
import json
import re
import uuid as uuid_module
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import openpyxl
import pytest

from fieldkit.auth.scope import can_view, visible
from fieldkit.banners.codes import signature
from fieldkit.extensions import db
from fieldkit.models import Activity, ApiToken, AuditEvent, Banner, BannerInspection, Photo, Target, User
from fieldkit.models.token import hash_token
from fieldkit.organizations import services as organizations
from fieldkit.periods import quarter_of
from fieldkit.timeutil import utcnow
from maps.points import unpack
from tests.factories import INSIDE_A, INSIDE_B, VN, jpeg, talk

COLUMNS = ("anon", "a", "tok", "b", "c", "s1", "s2", "city", "admin")
AS_ANON = ("revoked", "deactivated", "gone_token")  # each answers every row exactly as the anon column says
ROLES = (*COLUMNS, *AS_ANON)

USERS = {  # who is who: (role, commune); "gone" is deactivated after logging in, "spare" is for the admin's writes
    "a": ("officer", "90001"),
    "b": ("officer", "90001"),
    "c": ("officer", "90002"),
    "s1": ("supervisor", "90001"),
    "s2": ("supervisor", "90002"),
    "city": ("supervisor", None),
    "admin": ("admin", None),
    "gone": ("officer", "90001"),
    "spare": ("officer", "90002"),
}
ENTRIES = {  # key: (officer, GPS point or None, declared commune)
    "A1": ("a", INSIDE_A, "90001"),  # submitted, with a photo
    "AV": ("a", INSIDE_A, "90001"),  # verified: no longer editable
    "AX": ("a", INSIDE_B, "90001"),  # the GPS commune (90002) places it, not the declared one
    "AN": ("a", None, "90002"),  # no position: the declared commune places it
    "B1": ("b", INSIDE_A, "90001"),
    "C1": ("c", INSIDE_B, "90002"),  # with a photo
    "DEL": ("a", INSIDE_A, "90001"),  # with a photo, then soft-deleted: nobody sees it
}
LIVE = frozenset(ENTRIES) - {"DEL"}
LOCATED = LIVE - {"AN"}
WITH_PHOTO = frozenset({"A1", "C1"})
IN_90001, IN_90002 = frozenset({"A1", "AV", "B1"}), frozenset({"AX", "AN", "C1"})
BY_C = frozenset({"C1"})
SEES = {  # the policy for records
    "anon": frozenset(),
    "a": frozenset({"A1", "AV", "AX", "AN"}),
    "tok": frozenset({"A1", "AV", "AX", "AN"}),
    "b": frozenset({"B1"}),
    "c": frozenset({"C1"}),
    "s1": IN_90001,
    "s2": IN_90002,
    "city": LIVE,
    "admin": LIVE,
}
COMMUNES = {"s1": {"90001"}, "s2": {"90002"}, "city": {"90001", "90002"}, "admin": {"90001", "90002"}}
NAMES = {"90001": "Phường An Thử", "90002": "Xã Bình Thử"}
USERNAME_OF = {"tok": "a"}
THUMB = "photos/0.thumb.jpg"
INSPECTION_A1 = "3f6d1c2b-0000-4000-8000-0000000000a1"  # officer a's inspection of A1's banner


@dataclass
class World:
    """The stored users and entries, and the values the rows' paths and bodies are filled with."""

    values: dict
    uuids: dict[str, str]
    ids: dict[str, int]
    usernames: dict[str, str]
    photo: bytes

    def found(self, text: str) -> set[str]:
        """The keys of the entries whose uuid the text holds."""
        return {key for key, uuid in self.uuids.items() if uuid in text}

    def key_of_id(self, number: int) -> str | None:
        return next((key for key, value in self.ids.items() if value == number), None)


# --- request bodies: each a callable (world, role) -> keyword arguments for client.open -------------------------


def page_form(world, key=None, uuid=None, topic="Sửa nội dung", declared="90001", point=INSIDE_A) -> dict:
    """A talk as the officer's page posts it; for an entry (key), its own place so that only the text changes."""
    if key:
        _owner, point, declared = ENTRIES[key]
    return {
        "uuid": uuid or (world.uuids[key] if key else str(uuid_module.uuid4())),
        "type": "talk",
        "occurred_at": (datetime.now(VN) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "lat": str(point[0]) if point else "",
        "lon": str(point[1]) if point else "",
        "accuracy_m": "8" if point else "",
        "location_source": "gps" if point else "",
        "declared_area_code": declared,
        "topic": topic,
        "format": "talk",
        "participants": "30",
    }


def new_on_page(uuid_of=None):
    return lambda w, role: {"data": page_form(w, uuid=w.uuids[uuid_of] if uuid_of else None, topic="Đè lên")}


def edit_on_page(key):
    return lambda w, role: {"data": page_form(w, key)}


def api_entry(uuid_of=None):
    """A talk for POST /api/v1/activities: a new uuid, or the uuid of a stored entry with other content."""
    return lambda w, role: {"json": talk(uuid=w.uuids[uuid_of] if uuid_of else str(uuid_module.uuid4()), topic="Đè")}


def api_edit(key):
    """An edit for PUT /api/v1/activities/<uuid>: the entry's own place, another topic."""

    def body(w, role):
        _owner, point, declared = ENTRIES[key]
        place = {"lat": point[0], "lon": point[1]} if point else {"lat": None, "lon": None, "accuracy_m": None}
        if not point:
            place["location_source"] = None
        return {"json": talk(uuid=w.uuids[key], topic="Sửa qua API", declared_area_code=declared, **place)}

    return body


def image(same=False):
    """A JPEG; ``same``: the bytes of the stored photo 0 (an idempotent resend)."""
    return lambda w, role: {"data": w.photo if same else jpeg(colour=(0, 0, 200)), "content_type": "image/jpeg"}


def form(**fields):
    return lambda w, role: {"data": {name: str(value).format(**w.values) for name, value in fields.items()}}


def outbox_file(uuid_of):
    """An outbox file of one entry, sent by the role as its own, that reuses a stored entry's uuid."""

    def body(w, role):
        entry = {"officer": w.usernames.get(USERNAME_OF.get(role, role)), "activity": talk(uuid=w.uuids[uuid_of])}
        document = json.dumps({"format": "fieldkit-outbox", "version": 1, "entries": [entry]}).encode()
        return {
            "data": {"file": (io.BytesIO(document), "outbox.json", "application/json")},
            "content_type": "multipart/form-data",
            "headers": {"Accept": "application/json"},
        }

    return body


# --- content checks: each a callable (response, world, role) that asserts ------------------------------------------


def lists(which=LIVE, exact=True):
    """The page or file names exactly the entries of ``which`` in the role's scope (``exact=False``: no others)."""

    def check(response, w, role):
        found = w.found(response.get_data(as_text=True))
        wanted = SEES[role] & which
        assert found == wanted if exact else found <= wanted, f"shows {sorted(found)}, in scope {sorted(wanted)}"

    return check


def api_items(which=LIVE):
    def check(response, w, role):
        uuids = " ".join(item["uuid"] for item in response.get_json()["items"])
        assert w.found(uuids) == SEES[role] & which

    return check


BANNERS_SEEN = {  # whose banners each role sees: A1's (officer a, 90001), C1's (officer c, 90002)
    "a": {"A1"},
    "tok": {"A1"},
    "b": {"A1"},
    "c": {"C1"},
    "s1": {"A1"},
    "s2": {"C1"},
    "city": {"A1", "C1"},
    "admin": {"A1", "C1"},
}


def banner_items(response, w, role):
    codes = {item["code"] for item in response.get_json()["items"]}
    assert codes == {w.values[f"banner_{key}"] for key in BANNERS_SEEN[role]}


def check_up():
    """An inspection with a new uuid, a moment ago."""
    return lambda w, role: {
        "json": {"uuid": str(uuid_module.uuid4()), "state": "damaged", "observed_at": datetime.now(VN).isoformat()}
    }


def geojson(response, w, role):
    features = json.loads(response.get_data(as_text=True))["features"]  # entries without a position too (null)
    assert w.found(" ".join(f["id"] for f in features)) == SEES[role]


def xlsx_lists(response, w, role):
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    text = " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row)
    assert w.found(text) == SEES[role]


def photos_zip(response, w, role):
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert w.found(archive.read("activities.csv").decode("utf-8-sig")) == SEES[role]
    photos = [name for name in archive.namelist() if name.startswith("photos/")]
    assert w.found(" ".join(photos)) == SEES[role] & WITH_PHOTO and len(photos) == len(SEES[role] & WITH_PHOTO)


def decoded_ids(packed) -> set[int]:
    """The activity ids of the map's packed points (maps.points.unpack)."""
    ids = set()
    for kind in packed:
        ids |= set(unpack(kind)[0])
    return ids


def stored_points(w, ids: set[int]) -> set[str]:
    """The world's entries among the ids (an officer's rows above may have added entries of their own)."""
    return {w.key_of_id(i) for i in ids} - {None}


def map_points(response, w, role):
    found = re.findall(
        r'<script type="application/json" id="[\w-]+">(\{"n":.*?)</script>', response.get_data(as_text=True)
    )
    assert stored_points(w, decoded_ids(json.loads(text) for text in found)) == SEES[role] & LOCATED


def bbox_points(response, w, role):
    body = response.get_json()
    ids = decoded_ids(body["types"].values())
    assert stored_points(w, ids) == SEES[role] & LOCATED and body["count"] == len(ids)


def coverage_communes(narrowed_to=None):
    """The coverage page lists the role's communes (narrowed by ?area=), never another."""

    def check(response, w, role):
        codes = set(re.findall(r'href="/coverage/(\d{5})', response.get_data(as_text=True)))
        wanted = COMMUNES[role] & ({narrowed_to} if narrowed_to else COMMUNES[role])
        assert codes == wanted, f"lists {sorted(codes)}"

    return check


def offered(wanted: Callable[[str, "World"], set[str]]):
    """A filter's search (GET /choices/<name>) answers exactly the choices in the role's scope."""

    def check(response, w, role):
        got = {value for value, _label in response.get_json()["items"]}
        assert got == wanted(role, w), f"offers {sorted(got)}"

    return check


def officers_overseen(role, w) -> set[str]:
    return {w.usernames[key] for key, (kind, area) in USERS.items() if kind == "officer" and area in COMMUNES[role]}


def api_coverage(response, w, role):
    areas = {area["code"]: sum(area["activities"].values()) for area in response.get_json()["areas"]}
    placed = {"90001": IN_90001, "90002": IN_90002}
    assert areas == {code: len(SEES[role] & placed[code]) for code in COMMUNES[role]}


def report_communes(narrowed_to=None):
    """The printable report's rows and names are of the role's communes (or the one asked for) only."""

    def check(response, w, role):
        text = response.get_data(as_text=True)
        codes = set(re.findall(r'data-row="(?:gap/)?(\d{5})', text))
        names = {code for code, name in NAMES.items() if name in text}
        assert codes == names == ({narrowed_to} if narrowed_to else COMMUNES[role]), (codes, names)

    return check


def report_xlsx(response, w, role):
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    text = " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row)
    assert {code for code, name in NAMES.items() if name in text} == COMMUNES[role]


def logged_in_as(response, w, role):
    assert response.get_json()["user"] == w.usernames.get(USERNAME_OF.get(role, role))


def hides(key):
    """The answer holds nothing of the entry: not its topic, not its officer."""
    owner = ENTRIES[key][0]

    def check(response, w, role):
        text = response.get_data(as_text=True)
        assert f"Đề tài {key}" not in text, "shows the entry's topic"
        assert USERNAME_OF.get(role, role) == owner or w.usernames[owner] not in text, "names the entry's officer"

    check.every_status = True
    return check


def kept_entries(response, w, role):
    """The entries a phone keeps offline are the officer's own, and only those it may edit have an edit page."""
    stored = set(w.uuids.values())  # the rows above add entries of their own
    entries = {e["uuid"]: e["urls"] for e in response.get_json()["entries"] if e["uuid"] in stored}
    assert entries.keys() == {w.uuids[key] for key in SEES[role]}
    editable = {uuid for uuid, urls in entries.items() if any(u.endswith("/edit") for u in urls)}
    assert editable == {w.uuids[key] for key in SEES[role] - {"AV"}}


def import_refused(response, w, role):
    assert [r["status"] for r in response.get_json()["results"]] == ["rejected"]


def public_redirect(response, w, role):
    assert not response.location.startswith("/login")


public_redirect.every_status = True


def bulk_body(w, role) -> dict:
    """Bulk verification of A1 (commune 90001) and AN (90002), each at its stored version."""
    versions = dict(db.session.execute(db.select(Activity.uuid, Activity.version)).all())
    picks = [f"{w.uuids[key]}:{versions[w.uuids[key]]}" for key in ("A1", "AN")]
    return {"data": {"mode": "selected", "entry": picks}}


def bulk_check(verifies: bool):
    """Only the entries in the role's scope are verified (or, at the confirmation, shown); the others stay hidden."""

    def check(response, w, role):
        text = response.get_data(as_text=True)
        db.session.rollback()
        for key in ("A1", "AN"):
            status = db.session.scalar(db.select(Activity.status).where(Activity.uuid == w.uuids[key]))
            assert status == ("verified" if verifies and key in SEES[role] else "submitted"), f"{key} is {status}"
            if key not in SEES[role]:
                assert f"Đề tài {key}" not in text, f"shows {key}'s topic"

    return check


# --- the matrix ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    cells: str  # the status per column of COLUMNS
    method: str
    path: str  # {A1} is that entry's uuid, {id_A1} its id; {RANDOM}, {id_RANDOM}: none stored
    check: Callable | None = None
    body: Callable | None = None

    def expected(self, role: str) -> int:
        statuses = self.cells.split()
        assert len(statuses) == len(COLUMNS), f"{self.method} {self.path}: {len(statuses)} columns"
        return int(statuses[COLUMNS.index("anon" if role in AS_ANON else role)])


R = Row
BBOX = "105.6,9.9,105.8,10.1"
RETURN, VERIFY = form(decision="return", comment="Thêm ảnh"), form(decision="verify")
PAGE_REUSES_C1, API_REUSES_C1, API_REUSES_DEL = new_on_page("C1"), api_entry("C1"), api_entry("DEL")
PASSWORD = form(password="mat-khau-moi-9")
NEW_ACCOUNT = form(username="moi", display_name="Người Mới", role="admin", area_code="", password="mat-khau-9")
NARRATIVE = form(results="Đã tổ chức 3 buổi nói chuyện", difficulties="", proposals="")
SEND = form(results="Đã tổ chức 2 buổi", difficulties="", proposals="", send="1")
COMMENT = form(comment="Bổ sung số liệu")
ROLE_MODEL = form(name="Hộ ông Ba", area_code="90001", description="Thoát nghèo nhờ nuôi bò")
API_NARRATIVE = lambda w, role: {"json": {"results": "Kết quả", "difficulties": "", "proposals": ""}}  # noqa: E731
API_COMMENT = lambda w, role: {"json": {"comment": "Bổ sung số liệu"}}  # noqa: E731
EDIT_ACCOUNT = form(display_name="Cán Bộ Dự Phòng", role="officer", area_code="90002", locale="")
NEW_BODY = form(code="SXD", name_vi="Sở Xây dựng", name_en="Department of Construction", kind="department")
EDIT_BODY = form(name_vi="UBND phường An Thử", name_en="An Thu", kind="commune_committee", area_code="90001")

ROWS = [
    #  anon a    tok  b    c    s1   s2   city admin
    # public
    R("200  200  200  200  200  200  200  200  200", "GET", "/healthz"),
    R("200  302  302  302  302  302  302  302  302", "GET", "/login"),
    R("400  302  302  302  302  302  302  302  302", "POST", "/login", body=form(username="", password="")),
    # a sign-in code nobody printed: the same refusal for everyone, and nothing written
    R("404  404  404  404  404  404  404  404  404", "GET", "/signin/{RANDOM}"),
    R("404  404  404  404  404  404  404  404  404", "POST", "/signin/{RANDOM}", body=form()),
    R("302  302  302  302  302  302  302  302  302", "POST", "/language/vi?next=/activities", public_redirect),
    R("200  200  200  200  200  200  200  200  200", "GET", "/manifest.webmanifest"),
    R("200  200  200  200  200  200  200  200  200", "GET", "/sw.js"),
    R("200  200  200  200  200  200  200  200  200", "GET", "/offline"),
    R("200  200  200  200  200  200  200  200  200", "GET", "/csrf-token", logged_in_as),
    R("200  200  200  200  200  200  200  200  200", "GET", "/static/css/app.css"),
    R("200  200  200  200  200  200  200  200  200", "GET", "/static/vendor/leaflet/leaflet.js"),
    R("200  200  200  200  200  200  200  200  200", "GET", "/static/bundle/map.js"),
    R("200  200  200  200  200  200  200  200  200", "GET", "/api/v1/openapi.json"),
    # banners (first: an edit of A1 or C1 below, as a talk, retires the banner the world gave it): placed in their
    # entry's commune; officers see their own and their commune's, and inspect them
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/banners", banner_items),
    R("401  200  200  200  404  200  404  200  200", "GET", "/api/v1/banners/{banner_A1}"),
    R("401  404  404  404  200  404  200  200  200", "GET", "/api/v1/banners/{banner_C1}"),
    R("401  404  404  404  404  404  404  404  404", "GET", "/api/v1/banners/{banner_RANDOM}"),
    R(
        "401  201  201  201  404  201  404  201  403",
        "POST",
        "/api/v1/banners/{banner_A1}/inspections",
        body=check_up(),
    ),
    R(
        "401  404  404  404  201  404  201  201  403",
        "POST",
        "/api/v1/banners/{banner_C1}/inspections",
        body=check_up(),
    ),
    R(
        "401  201  201  403  404  403  404  403  403",
        "PUT",
        "/api/v1/banners/{banner_A1}/inspections/{ins_A1}/photos/0",
        body=image(),
    ),
    R("302  200  200  404  404  404  404  404  404", "GET", f"/banners/{{banner_A1}}/inspections/{{ins_A1}}/{THUMB}"),
    R("302  403  403  403  403  200  200  200  200", "GET", "/banners"),
    R("302  200  200  200  404  200  404  200  200", "GET", "/banners/{banner_A1}"),
    R("302  404  404  404  200  404  200  200  200", "GET", "/banners/{banner_C1}"),
    R("302  200  200  200  404  200  404  200  200", "GET", "/banners/{banner_A1}/label"),
    R("302  200  200  404  404  200  404  200  200", "GET", "/activities/{A1}/labels"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{RANDOM}/labels"),
    R("302  200  200  200  200  200  200  200  403", "GET", "/inspect?code={banner_A1}"),
    R("302  302  302  302  302  302  302  302  302", "GET", "/b/{banner_A1}?s={sig_A1}", public_redirect),
    R("404  404  404  404  404  404  404  404  404", "GET", "/b/{banner_A1}?s=0000000000000000"),
    # the officer's pages: lists hold the scope, entries answer 404 outside it
    R("302  200  200  200  200  302  302  302  302", "GET", "/", lists(exact=False)),  # others land elsewhere
    R("302  200  200  200  200  200  200  200  200", "GET", "/activities", lists()),
    R("302  200  200  200  200  200  200  200  200", "GET", "/activities?officer={user_c}", lists(BY_C)),
    R("302  200  200  200  200  200  200  200  200", "GET", "/activities?area=90002", lists(IN_90002)),
    R("302  200  200  404  404  200  404  200  200", "GET", "/activities/{A1}"),
    R("302  200  200  404  404  200  404  200  200", "GET", "/activities/{AV}"),
    R("302  200  200  404  404  404  200  200  200", "GET", "/activities/{AX}"),
    R("302  200  200  404  404  404  200  200  200", "GET", "/activities/{AN}"),
    R("302  404  404  200  404  200  404  200  200", "GET", "/activities/{B1}"),
    R("302  404  404  404  200  404  200  200  200", "GET", "/activities/{C1}"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{DEL}"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{RANDOM}"),
    R("302  200  200  200  200  403  403  403  403", "GET", "/activities/new"),
    R("302  200  200  404  404  403  404  403  403", "GET", "/activities/{A1}/edit"),
    R("302  403  403  404  404  403  404  403  403", "GET", "/activities/{AV}/edit"),
    R("302  404  404  404  200  404  403  403  403", "GET", "/activities/{C1}/edit"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{DEL}/edit"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{RANDOM}/edit"),
    R("302  302  302  302  302  403  403  403  403", "POST", "/activities/new", body=new_on_page()),
    R("302  409  409  409  409  403  403  403  403", "POST", "/activities/new", hides("C1"), PAGE_REUSES_C1),
    R("302  302  302  404  404  403  404  403  403", "POST", "/activities/{A1}/edit", body=edit_on_page("A1")),
    R("302  403  403  404  404  403  404  403  403", "POST", "/activities/{AV}/edit", body=edit_on_page("AV")),
    R("302  404  404  404  302  404  403  403  403", "POST", "/activities/{C1}/edit", body=edit_on_page("C1")),
    R("302  404  404  404  404  404  404  404  404", "POST", "/activities/{DEL}/edit", body=edit_on_page("DEL")),
    R("302  404  404  404  404  404  404  404  404", "POST", "/activities/{RANDOM}/edit", body=edit_on_page("A1")),
    # photos
    R("302  200  200  404  404  200  404  200  200", "GET", "/activities/{A1}/photos/0.jpg"),
    R("302  200  200  404  404  200  404  200  200", "GET", "/activities/{A1}/photos/0.thumb.jpg"),
    R("302  404  404  404  200  404  200  200  200", "GET", "/activities/{C1}/photos/0.jpg"),
    R("302  404  404  404  200  404  200  200  200", "GET", "/activities/{C1}/photos/0.thumb.jpg"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{A1}/photos/4.jpg"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{DEL}/photos/0.jpg"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{DEL}/photos/0.thumb.jpg"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{RANDOM}/photos/0.jpg"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/activities/{RANDOM}/photos/0.thumb.jpg"),
    # the map: points of the scope; a popup by id or uuid only for who may see the entry
    R("302  200  200  200  200  200  200  200  200", "GET", "/map", map_points),
    R("302  200  200  200  200  200  200  200  200", "GET", f"/map/points.json?bbox={BBOX}", bbox_points),
    R("302  200  200  404  404  200  404  200  200", "GET", "/map/activities/{id_A1}.json"),
    R("302  404  404  200  404  200  404  200  200", "GET", "/map/activities/{id_B1}.json"),
    R("302  404  404  404  200  404  200  200  200", "GET", "/map/activities/{id_C1}.json"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/map/activities/{id_DEL}.json"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/map/activities/{id_RANDOM}.json"),
    R("302  200  200  404  404  200  404  200  200", "GET", "/map/activities/{A1}.json"),
    R("302  404  404  404  200  404  200  200  200", "GET", "/map/activities/{C1}.json"),
    R("302  404  404  404  404  404  404  404  404", "GET", "/map/activities/{RANDOM}.json"),
    # coverage: supervisors, their communes only
    R("302  403  403  403  403  200  200  200  200", "GET", "/coverage", coverage_communes()),
    R("302  403  403  403  403  200  200  200  200", "GET", "/coverage?area=90002", coverage_communes("90002")),
    R("302  403  403  403  403  200  200  200  200", "GET", "/coverage/money"),
    R("302  403  403  403  403  200  404  200  200", "GET", "/coverage/90001", lists(IN_90001)),
    R("302  403  403  403  403  404  200  200  200", "GET", "/coverage/90002", lists(IN_90002)),
    R("302  403  403  403  403  404  404  404  404", "GET", "/coverage/99999"),
    # review
    R("302  403  403  403  403  200  200  200  200", "GET", "/review?status=", lists()),
    R("302  403  403  403  403  200  404  200  200", "GET", "/review/{A1}"),
    R("302  403  403  403  403  404  200  200  200", "GET", "/review/{C1}"),
    R("302  403  403  403  403  404  404  404  404", "GET", "/review/{DEL}"),
    R("302  403  403  403  403  404  404  404  404", "GET", "/review/{RANDOM}"),
    R("302  403  403  403  403  302  404  302  302", "POST", "/review/{B1}", body=RETURN),
    R("302  403  403  403  403  404  302  302  302", "POST", "/review/{C1}", body=VERIFY),
    R("302  403  403  403  403  404  404  404  404", "POST", "/review/{DEL}", body=VERIFY),
    R("302  403  403  403  403  404  404  404  404", "POST", "/review/{RANDOM}", body=VERIFY),
    R("302  403  403  403  403  200  200  200  200", "POST", "/review/bulk", bulk_check(verifies=False), bulk_body),
    R("302  403  403  403  403  200  200  200  200", "POST", "/review/bulk/verify", bulk_check(True), bulk_body),
    # exports: what the role may see, in every format; filters narrow, never widen
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/activities.csv", lists()),
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/activities.csv?area=90002", lists(IN_90002)),
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/activities.csv?officer={user_c}", lists(BY_C)),
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/activities.xlsx", xlsx_lists),
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/activities.geojson", geojson),
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/activities.kml", lists()),
    R("302  404  404  404  404  404  404  404  404", "GET", "/export/activities.pdf"),
    R("302  200  200  200  200  200  200  200  200", "GET", "/export/photos.zip", photos_zip),
    # reports: supervisors, their commune only
    R("302  403  403  403  403  200  200  200  200", "GET", "/reports"),
    R("302  403  403  403  403  400  302  302  302", "GET", "/reports?period={Q}&area=90002"),
    R("302  403  403  403  403  200  200  200  200", "GET", "/reports/{Q}", report_communes()),
    R("302  403  403  403  403  404  200  200  200", "GET", "/reports/{Q}?area=90002", report_communes("90002")),
    R("302  403  403  403  403  404  404  404  404", "GET", "/reports/{Q}?area=99999"),
    R("302  403  403  403  403  200  200  200  200", "GET", "/reports/{Q}.xlsx", report_xlsx),
    R("302  403  403  403  403  404  200  200  200", "GET", "/reports/{Q}.xlsx?area=90002"),
    # the units' reports: read by the unit's own supervisor and the city; written by the unit's supervisor only;
    # accepted or returned by the Department (a city supervisor) only, and only once sent (else 409 / a redirect)
    R("302  403  403  403  403  200  200  200  200", "GET", "/reports/submissions?period={Q}"),
    R("302  403  403  403  403  400  400  400  400", "GET", "/reports/submissions?period=2025-Q5"),
    R("302  403  403  403  403  200  404  200  200", "GET", "/reports/submissions/{Q}/90001"),
    R("302  403  403  403  403  404  200  200  200", "GET", "/reports/submissions/{Q}/90002"),
    R("302  403  403  403  403  404  404  404  404", "GET", "/reports/submissions/{Q}/99999"),
    R("302  403  403  403  403  302  404  403  403", "POST", "/reports/submissions/{Q}/90001", body=NARRATIVE),
    R("302  403  403  403  403  404  302  403  403", "POST", "/reports/submissions/{Q}/90002", body=SEND),
    R("302  403  403  403  403  403  404  302  403", "POST", "/reports/submissions/{Q}/90001/accept", body=form()),
    R("302  403  403  403  403  403  404  302  403", "POST", "/reports/submissions/{Q}/90001/return", body=COMMENT),
    R("302  403  403  403  403  403  403  200  200", "GET", "/reports/consolidated/{Q}"),
    R("302  403  403  403  403  403  403  200  200", "GET", "/reports/consolidated/{Q}.xlsx"),
    R("401  403  403  403  403  200  200  200  200", "GET", "/api/v1/reports/{Q}"),
    R("401  403  403  403  403  200  404  200  200", "GET", "/api/v1/reports/{Q}/90001"),
    R("401  403  403  403  403  404  404  404  404", "GET", "/api/v1/reports/{Q}/99999"),
    R("401  403  403  403  403  200  404  403  403", "PUT", "/api/v1/reports/{Q}/90001", body=API_NARRATIVE),
    R("401  403  403  403  403  404  409  403  403", "POST", "/api/v1/reports/{Q}/90002/submit"),
    R("401  403  403  403  403  403  404  409  403", "POST", "/api/v1/reports/{Q}/90001/accept"),
    R("401  403  403  403  403  403  404  409  403", "POST", "/api/v1/reports/{Q}/90001/return", body=API_COMMENT),
    # role models: kept by supervisors (a commune supervisor for their own commune), named by every entry form
    R("302  403  403  403  403  200  200  200  200", "GET", "/role-models"),
    R("302  403  403  403  403  200  200  200  200", "GET", "/role-models/new"),
    R("302  403  403  403  403  302  400  302  302", "POST", "/role-models/new", body=ROLE_MODEL),
    R("302  403  403  403  403  404  404  404  404", "GET", "/role-models/{id_RANDOM}"),
    R("302  403  403  403  403  404  404  404  404", "POST", "/role-models/{id_RANDOM}", body=ROLE_MODEL),
    R("302  403  403  403  403  404  404  404  404", "GET", "/role-models/{id_RANDOM}/photo.jpg"),
    R("302  403  403  403  403  404  404  404  404", "GET", "/role-models/{id_RANDOM}/photo.thumb.jpg"),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/role-models"),
    # the phone's outbox
    R("302  200  200  200  200  200  200  200  200", "GET", "/outbox"),
    R("302  200  200  200  200  403  403  403  403", "GET", "/offline-pages", kept_entries),
    R("302  200  200  200  200  403  403  403  403", "GET", "/outbox/import"),
    R("302  200  200  200  200  403  403  403  403", "POST", "/outbox/import", import_refused, outbox_file("C1")),
    # the JSON API: 401 without a user, the same scope as the pages
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/activities", api_items()),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/activities?officer={user_c}", api_items(BY_C)),
    R("401  200  200  404  404  200  404  200  200", "GET", "/api/v1/activities/{A1}"),
    R("401  200  200  404  404  404  200  200  200", "GET", "/api/v1/activities/{AX}"),
    R("401  404  404  200  404  200  404  200  200", "GET", "/api/v1/activities/{B1}"),
    R("401  404  404  404  200  404  200  200  200", "GET", "/api/v1/activities/{C1}"),
    R("401  404  404  404  404  404  404  404  404", "GET", "/api/v1/activities/{DEL}"),
    R("401  404  404  404  404  404  404  404  404", "GET", "/api/v1/activities/{RANDOM}"),
    R("401  201  201  201  201  403  403  403  403", "POST", "/api/v1/activities", body=api_entry()),
    R("401  409  409  409  409  403  403  403  403", "POST", "/api/v1/activities", hides("C1"), API_REUSES_C1),
    R("401  409  409  409  409  403  403  403  403", "POST", "/api/v1/activities", hides("DEL"), API_REUSES_DEL),
    R("401  201  201  404  404  403  404  403  403", "PUT", "/api/v1/activities/{A1}/photos/1", body=image()),
    R("401  200  200  404  404  403  404  403  403", "PUT", "/api/v1/activities/{A1}/photos/0", body=image(same=True)),
    R("401  403  403  404  404  403  404  403  403", "PUT", "/api/v1/activities/{AV}/photos/1", body=image()),
    R("401  404  404  404  201  404  403  403  403", "PUT", "/api/v1/activities/{C1}/photos/1", body=image()),
    R("401  404  404  404  404  404  404  404  404", "PUT", "/api/v1/activities/{DEL}/photos/1", body=image()),
    R("401  404  404  404  404  404  404  404  404", "PUT", "/api/v1/activities/{RANDOM}/photos/0", body=image()),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/areas"),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/areas/locate?lat=10.01&lon=105.71"),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/areas/outlines"),
    R("401  403  403  403  403  200  200  200  200", "GET", "/api/v1/coverage", api_coverage),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/organizations"),
    # the filters' search of choices too many to list (a country's): supervisors' and the admin's, in their scope
    R(
        "302  403  403  403  403  200  200  200  200",
        "GET",
        "/choices/officer?q=nguyen",
        offered(officers_overseen),
    ),
    R(
        "302  403  403  403  403  200  200  200  200",
        "GET",
        "/choices/area?q=9000",
        offered(lambda r, w: COMMUNES[r]),
    ),
    R(
        "302  403  403  403  403  200  200  200  200",
        "GET",
        "/choices/org?q=ubnd 90001",
        offered(lambda r, w: {"UBND-90001"}),
    ),
    R("302  403  403  403  403  404  404  404  404", "GET", "/choices/nothing?q=a"),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/activities.geojson", geojson),
    R("401  200  200  200  200  200  200  200  200", "GET", "/api/v1/export/activities.csv", lists()),
    R("401  404  404  404  404  404  404  404  404", "GET", "/api/v1/export/activities.pdf"),
    # administration: the admin only
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/users"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/users/new"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/users/{id_spare}/password"),
    R("302  403  403  403  403  403  403  403  404", "GET", "/admin/users/{id_RANDOM}/password"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/users/{id_spare}/edit"),
    R("302  403  403  403  403  403  403  403  404", "GET", "/admin/users/{id_RANDOM}/edit"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/organizations"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/organizations/new"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/organizations/{id_org}/edit"),
    R("302  403  403  403  403  403  403  403  404", "GET", "/admin/organizations/{id_RANDOM}/edit"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/targets/template-{YEAR}.xlsx"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/targets/template-{YEAR}.csv"),
    R("302  403  403  403  403  403  403  403  404", "GET", "/admin/targets/template-{YEAR}.pdf"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/targets"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/targets/90001/{YEAR}"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/tokens"),
    R("302  403  403  403  403  403  403  403  200", "GET", "/admin/tokens/{token_spare}/revoke"),
    R("302  403  403  403  403  403  403  403  404", "GET", "/admin/tokens/{id_RANDOM}/revoke"),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/users/new", body=NEW_ACCOUNT),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/users/{id_spare}/password", body=PASSWORD),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/users/{id_spare}/active/0", body=form()),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/users/{id_spare}/edit", body=EDIT_ACCOUNT),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/organizations/new", body=NEW_BODY),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/organizations/{id_org}/edit", body=EDIT_BODY),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/targets/90001/{YEAR}", body=form(talk=5)),
    R("302  403  403  403  403  403  403  403  400", "POST", "/admin/targets/upload", body=form()),
    R("302  403  403  403  403  403  403  403  201", "POST", "/admin/tokens", body=form(user="{id_a}", label="x")),
    R("302  403  403  403  403  403  403  403  302", "POST", "/admin/tokens/{token_spare}/revoke", body=form()),
    R("302  403  403  403  403  403  403  403  201", "POST", "/admin/users/{id_a}/signin-codes", body=form()),
    R("302  403  403  403  403  403  403  403  404", "POST", "/admin/signin-codes/{id_RANDOM}/revoke", body=form()),
    # edits and withdrawals over the API (the phone's outbox): the officer's own unverified entries; these come
    # last as they change the entries the rows above read
    R("401  200  200  404  404  403  403  403  403", "PUT", "/api/v1/activities/{A1}", body=api_edit("A1")),
    R("401  409  409  404  404  403  403  403  403", "PUT", "/api/v1/activities/{AV}", body=api_edit("AV")),
    R("401  404  404  404  200  403  403  403  403", "PUT", "/api/v1/activities/{C1}", body=api_edit("C1")),
    R("401  404  404  404  404  403  403  403  403", "PUT", "/api/v1/activities/{DEL}", body=api_edit("DEL")),
    R("401  404  404  404  404  403  403  403  403", "PUT", "/api/v1/activities/{RANDOM}", body=api_edit("A1")),
    R("401  204  204  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{A1}/photos/0"),
    R("401  204  204  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{AV}/photos/0"),  # none there
    R("401  404  404  404  204  403  403  403  403", "DELETE", "/api/v1/activities/{C1}/photos/0"),
    R("401  404  404  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{RANDOM}/photos/0"),
    R("401  409  409  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{AV}"),
    R("401  204  204  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{A1}"),
    R("401  204  204  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{A1}"),
    R("401  204  204  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{DEL}"),
    R("401  404  404  404  204  403  403  403  403", "DELETE", "/api/v1/activities/{C1}"),
    R("401  404  404  404  404  403  403  403  403", "DELETE", "/api/v1/activities/{RANDOM}"),
    # the page's door for a withdrawal (the phone's outbox sends DELETE): A1 is withdrawn just above, again is fine
    R("302  403  403  404  404  403  403  403  403", "POST", "/activities/{AV}/withdraw"),
    R("302  302  302  404  404  403  403  403  403", "POST", "/activities/{A1}/withdraw"),
    R("302  404  404  404  302  403  403  403  403", "POST", "/activities/{C1}/withdraw"),
    R("302  404  404  404  404  403  403  403  403", "POST", "/activities/{RANDOM}/withdraw"),
    # last: logging out ends the session the rows above use
    R("302  302  302  302  302  302  302  302  302", "POST", "/logout"),
]

RECORDS = re.compile(r"\{(id_)?(A1|AV|AX|AN|B1|C1|DEL)\}")  # placeholders of stored entries: 404 must equal unknown


# --- the world and the clients ---------------------------------------------------------------------------------------


def token(user: User, revoked: bool = False) -> tuple[str, int]:
    secret = ApiToken.generate()
    row = ApiToken(user_id=user.id, token_hash=hash_token(secret), revoked_at=utcnow() if revoked else None)
    db.session.add(row)
    db.session.commit()
    return secret, row.id


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def world(app, areas, make_user):
    """Store the users, their tokens and the entries (through the API, as the phones do); return the World."""
    users = {key: make_user(role, area) for key, (role, area) in USERS.items()}
    organizations.seed()
    committee = organizations.committee_of("90001")
    secrets = {key: token(users[key])[0] for key in ("a", "b", "c")}
    phone, picture = app.test_client(), jpeg()
    for key, (owner, point, declared) in ENTRIES.items():
        where = {"lat": point[0], "lon": point[1]} if point else {"lat": None, "lon": None, "accuracy_m": None}
        body = talk(topic=f"Đề tài {key}", declared_area_code=declared, **where)
        if not point:
            body.pop("location_source")
        answer = phone.post("/api/v1/activities", json=body, headers=bearer(secrets[owner]))
        assert answer.status_code == 201, answer.text
        if key in WITH_PHOTO | {"DEL"}:
            url = f"/api/v1/activities/{body['uuid']}/photos/0"
            answer = phone.put(url, data=picture, content_type="image/jpeg", headers=bearer(secrets[owner]))
            assert answer.status_code == 201, answer.text
    rows = {a.topic.removeprefix("Đề tài "): a for a in db.session.scalars(db.select(Activity))}
    assert (rows["AX"].area_code, rows["AN"].area_code, rows["AN"].declared_area_code) == ("90002", None, "90002")
    rows["AV"].status = "verified"
    rows["DEL"].deleted_at = utcnow()
    banner_codes = {"banner_A1": "A1A1A1", "banner_C1": "C1C1C1", "banner_RANDOM": "ZZZZZZ"}
    for key in ("A1", "C1"):
        row = rows[key]
        db.session.add(
            Banner(
                code=banner_codes[f"banner_{key}"],
                activity_id=row.id,
                activity_uuid=row.uuid,
                ordinal=1,
                officer_id=row.officer_id,
                lat=row.lat,
                lon=row.lon,
                area_code=row.area_code,
                installed_at=row.occurred_at,
            )
        )
    db.session.flush()
    inspected = db.session.scalar(db.select(Banner).filter_by(code="A1A1A1"))
    db.session.add(
        BannerInspection(
            uuid=INSPECTION_A1,
            banner_id=inspected.id,
            inspector_id=users["a"].id,
            state="standing",
            observed_at=utcnow(),
            content_hash="-",
        )
    )
    db.session.commit()
    tok, _tok_id = token(users["a"])
    revoked, _revoked_id = token(users["a"], revoked=True)
    gone_token, _gone_id = token(users["gone"])
    _spare_secret, spare_token = token(users["spare"])
    uuids = {key: row.uuid for key, row in rows.items()}
    ids = {key: row.id for key, row in rows.items()}
    usernames = {key: user.username for key, user in users.items()}
    local = (datetime.now(VN) - timedelta(hours=2)).date()
    values = {
        **uuids,
        **{f"id_{key}": number for key, number in ids.items()},
        **banner_codes,
        "ins_A1": INSPECTION_A1,
        "sig_A1": signature(banner_codes["banner_A1"]),
        "RANDOM": str(uuid_module.uuid4()),
        "id_RANDOM": max(ids.values()) + 1000,
        "Q": quarter_of(local),
        "YEAR": local.year,
        "user_c": usernames["c"],
        "id_spare": users["spare"].id,
        "id_a": users["a"].id,
        "id_org": committee.id,
        "token_spare": spare_token,
        "tok": tok,
        "revoked": revoked,
        "gone_token": gone_token,
    }
    return World(values, uuids, ids, usernames, picture)


def client_for(app, world: World, role: str):
    """A client that acts as the role: logged in by the form, by a bearer token, or not at all."""
    client = app.test_client()
    headers = {}
    if role in ("tok", "revoked", "gone_token"):
        headers = bearer(world.values[role])
    elif role in USERS or role == "deactivated":
        name = world.usernames["gone" if role == "deactivated" else role]
        assert client.post("/login", data={"username": name, "password": "correct-horse-9"}).status_code == 302
        assert client.get("/").status_code == (200 if USERS[role if role in USERS else "gone"][0] == "officer" else 302)
    if role in ("deactivated", "gone_token"):
        db.session.execute(db.update(User).where(User.username == world.usernames["gone"]).values(active=False))
        db.session.commit()
    return client, headers


def state() -> tuple:
    """Everything a write could change, read afresh."""
    db.session.rollback()  # no stale snapshot: read what the requests committed
    activities = db.select(
        Activity.uuid,
        Activity.topic,
        Activity.status,
        Activity.review_comment,
        Activity.version,
        Activity.deleted_at,
        Activity.officer_id,
    )
    return (
        sorted(db.session.execute(activities.order_by(Activity.id)).all()),
        db.session.execute(db.select(Photo.activity_id, Photo.index, Photo.sha256).order_by(Photo.id)).all(),
        db.session.execute(db.select(User.username, User.active, User.password_hash).order_by(User.id)).all(),
        db.session.execute(db.select(ApiToken.id, ApiToken.revoked_at).order_by(ApiToken.id)).all(),
        db.session.execute(db.select(Target.area_code, Target.year, Target.type, Target.quantity)).all(),
        db.session.scalar(db.select(db.func.count(AuditEvent.id))),
    )


NOISE = re.compile(r'(name="csrf_token" value=|nonce=|nonce-|"csrf_token":\s*)"?[\w.-]+')
FLASHES = re.compile(r'<p class="flash [^"]*" role="status">.*?</p>')  # left by an earlier row's redirect


def normalised(text: str, value: str) -> str:
    """The answer's text with the record's uuid or id, and per-response tokens, masked."""
    text = FLASHES.sub("", NOISE.sub(r"\1…", text))
    if len(value) == 36:
        return text.replace(value, "<record>")
    return re.sub(rf"(activities/|activities%2F){value}(?=\.json)", r"\1<record>", text)


def send(client, headers, row: Row, world: World, role: str, path: str):
    kwargs = row.body(world, role) if row.body else {}
    return client.open(path, method=row.method, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)


def run(client, headers, row: Row, world: World, role: str) -> list[str]:
    """Send the row's request as the role; return what differs from the policy (empty when all is as intended)."""
    path, want = row.path.format(**world.values), row.expected(role)
    before = state() if row.method != "GET" else None
    with send(client, headers, row, world, role, path) as response:
        return _compare(client, headers, row, world, role, response, path, want, before)


def _compare(client, headers, row, world, role, response, path, want, before) -> list[str]:
    anonymous = role in ("anon", *AS_ANON)
    writes = row.method != "GET"
    label = f"{role:>11} {row.method} {row.path}"
    if response.status_code != want:
        return [f"{label}: {response.status_code}, expected {want}"]
    problems = []
    try:
        if want == 302 and anonymous and row.check is not public_redirect:
            assert response.location.startswith("/login"), f"redirects to {response.location}"
        if want == 401:
            assert response.is_json and response.get_json()["error"] == "unauthorized", "not a JSON 401"
        if path.startswith("/api/") and want >= 400:
            assert response.is_json, "an API error that is not JSON"
        if row.check and (want < 300 or getattr(row.check, "every_status", False)):
            row.check(response, world, role)
        if writes and (want >= 400 or anonymous):
            assert state() == before, "a refused write changed the database"
        found = RECORDS.search(row.path)
        if want == 404 and found:
            twin_path = RECORDS.sub(lambda m: "{" + (m.group(1) or "") + "RANDOM}", row.path).format(**world.values)
            with send(client, headers, row, world, role, twin_path) as twin:
                twin_text = twin.get_data(as_text=True)
            value = str(world.values[found.group(0)[1:-1]])
            unknown = str(world.values["id_RANDOM" if found.group(1) else "RANDOM"])
            assert twin.status_code == 404, f"unknown answers {twin.status_code}"
            assert normalised(response.get_data(as_text=True), value) == normalised(twin_text, unknown), (
                "the 404 differs from an unknown record's"
            )
    except AssertionError as error:
        problems.append(f"{label}: {error}")
    return problems


# --- the tests ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_policy_says(app, world, role):
    client, headers = client_for(app, world, role)
    problems = [problem for row in ROWS for problem in run(client, headers, row, world, role)]
    assert not problems, "\n".join(problems)


def test_every_route_is_in_the_matrix(app):
    """A new route without a row fails here: add its row to ROWS, with what each role must get."""
    dummy = {key: "7d0c4c47-0000-4000-8000-000000000000" for key in ENTRIES}
    dummy |= {f"id_{key}": 1 for key in ENTRIES} | {"RANDOM": dummy["A1"], "id_RANDOM": 2, "Q": "2025-Q4"}
    dummy |= {"YEAR": 2025, "user_c": "c", "id_spare": 3, "id_a": 5, "token_spare": 4, "id_org": 6}
    dummy |= {"banner_A1": "A1A1A1", "banner_C1": "C1C1C1", "banner_RANDOM": "ZZZZZZ", "ins_A1": INSPECTION_A1}
    dummy |= {"sig_A1": "0"}
    adapter = app.url_map.bind("localhost")
    covered = set()
    for row in ROWS:
        rule, _args = adapter.match(row.path.format(**dummy).split("?")[0], method=row.method, return_rule=True)
        covered.add((rule.rule, row.method))
    routes = {(rule.rule, m) for rule in app.url_map.iter_rules() for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - covered == set(), "routes without a row in the access matrix"
    assert len(ROWS) * len(ROLES) > 1000


def test_the_list_rule_and_the_record_rule_agree(world):
    """scope.visible (lists, exports, coverage) and scope.can_view (one record) draw the same line."""
    for user in db.session.scalars(db.select(User)):
        listed = set(db.session.scalars(db.select(Activity.uuid).where(visible(user))))
        for activity in db.session.scalars(db.select(Activity)):
            assert can_view(user, activity) is (activity.uuid in listed), (user.username, activity.topic)
