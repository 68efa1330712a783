"""Implementing bodies: the seed, users in a body (CLI and admin page), and the body an entry keeps."""

import sqlalchemy as sa

from fieldkit.extensions import db
from fieldkit.models import Activity, AuditEvent, Organization, User
from fieldkit.organizations import services as organizations
from fieldkit.organizations.bodies import PLAN_BODIES
from tests.factories import talk

API = "/api/v1/activities"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_adds_the_plans_bodies_and_a_committee_per_commune_once(app, areas):
    first = organizations.seed()
    db.session.commit()
    assert (first.bodies, first.committees) == (len(PLAN_BODIES), 2)
    committee = organizations.by_code("ubnd-90002")
    assert committee.area_code == "90002" and committee.kind == "commune_committee"
    assert committee.name_vi == "Ủy ban nhân dân xã Bình Thử"
    assert committee.name_en == "People's Committee of Xã Bình Thử"
    lead = organizations.by_code("SNNMT")
    assert (lead.name_vi, lead.name_en, lead.kind) == (
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "department",
    )
    kinds = {code: organizations.by_code(code).kind for code in ("STC", "SVHTTDL", "BAOCT", "PTTHCT", "MTTQ", "HLHPN")}
    assert kinds == {
        "STC": "department",
        "SVHTTDL": "department",
        "BAOCT": "press",
        "PTTHCT": "press",
        "MTTQ": "mass_organisation",
        "HLHPN": "mass_organisation",
    }
    lead.name_en = "Renamed by an administrator"
    db.session.commit()
    again = organizations.seed()
    db.session.commit()
    assert (again.bodies, again.committees) == (0, 0)
    assert count(Organization) == len(PLAN_BODIES) + 2
    assert organizations.by_code("SNNMT").name_en == "Renamed by an administrator"  # kept, not re-seeded


def test_seed_command_is_idempotent(runner, areas):
    result = runner.invoke(args=["organizations", "seed"])
    assert result.exit_code == 0, result.output
    assert f"{len(PLAN_BODIES)} plan bodies and 2 commune committees added" in result.output
    assert "0 plan bodies and 0 commune committees added" in runner.invoke(args=["organizations", "seed"]).output
    listed = runner.invoke(args=["organizations", "list"]).output.splitlines()
    assert listed[0].startswith("SNNMT") or listed[0].split()[0] in {b.code for b in PLAN_BODIES}
    assert sum("UBND-9000" in line for line in listed) == 2


def test_users_create_with_org(app, runner, bodies):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    result = runner.invoke(
        args=["users", "create", "lan", "--role", "officer", "--area", "90001", "--org", "hlhpn"],
        input="mat-khau-dai\n",
    )
    assert result.exit_code == 0, result.output
    assert "in HLHPN" in result.output
    lan = db.session.scalar(sa.select(User).filter_by(username="lan"))
    assert lan.organization.code == "HLHPN"
    # without --org a commune's user belongs to its People's Committee; a city-wide one to none
    runner.invoke(args=["users", "create", "binh", "--role", "officer", "--area", "90002"], input="mat-khau-dai\n")
    runner.invoke(args=["users", "create", "city", "--role", "supervisor"], input="mat-khau-dai\n")
    binh, city = (db.session.scalar(sa.select(User).filter_by(username=name)) for name in ("binh", "city"))
    assert binh.organization.code == "UBND-90002" and city.organization is None


def test_users_create_refuses_an_unknown_org_by_its_label(app, runner, bodies):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    result = runner.invoke(args=["users", "create", "x", "--role", "officer", "--org", "NOPE"], input="mat-khau-dai\n")
    assert result.exit_code != 0
    assert "Implementing body: Unknown body code NOPE" in result.output
    app.config["BABEL_DEFAULT_LOCALE"] = "vi"
    result = runner.invoke(args=["users", "create", "x", "--role", "officer", "--org", "NOPE"], input="mat-khau-dai\n")
    assert "Cơ quan, đơn vị thực hiện: Không có mã cơ quan, đơn vị NOPE" in result.output
    assert count(User) == 0


def test_an_entry_keeps_the_body_its_officer_had_when_it_was_recorded(app, client, make_user, login, bodies):
    officer = make_user("officer", "90001", username="canbo")
    officer.organization = bodies["HLHPN"]
    db.session.commit()
    login(officer)
    body = talk()
    assert client.post(API, json=body).status_code == 201
    officer.organization = bodies["HND"]  # the officer moves to the Farmers' Association
    db.session.commit()
    assert client.put(f"{API}/{body['uuid']}", json={**body, "topic": "Sửa lại", "version": 1}).status_code == 200
    assert client.post(API, json=talk()).status_code == 201
    rows = db.session.execute(sa.select(Activity.topic, Organization.code).join(Activity.organization)).all()
    assert sorted(rows) == [("Sửa lại", "HLHPN"), ("Tuyên truyền giảm nghèo", "HND")]
    events = db.session.scalars(sa.select(AuditEvent).filter_by(entity_id=body["uuid"]).order_by(AuditEvent.id))
    history = [(e.action, (e.before or {}).get("organization_id"), e.after["organization_id"]) for e in events]
    hlhpn = bodies["HLHPN"].id
    assert history == [("create", None, hlhpn), ("update", hlhpn, hlhpn)]


def test_an_officer_without_a_body_records_entries_without_one(client, officer, bodies):
    assert client.post(API, json=talk()).status_code == 201
    assert db.session.scalar(sa.select(Activity.organization_id)) is None


def test_admin_creates_and_edits_an_account_in_a_body(client, make_user, login, bodies):
    login(make_user("admin", username="quantri"))
    data = {
        "username": "lan",
        "display_name": "Lan",
        "role": "officer",
        "area_code": "90001",
        "password": "mat-khau-dai",
    }
    assert client.post("/admin/users/new", data={**data, "org": "MTTQ"}).status_code == 302
    lan = db.session.scalar(sa.select(User).filter_by(username="lan"))
    assert lan.organization.code == "MTTQ"
    page = client.get("/admin/users?lang=en").text
    assert "Viet Nam Fatherland Front Committee of Can Tho City" in page
    form = client.get(f"/admin/users/{lan.id}/edit").text
    assert '<option selected value="MTTQ">' in form
    edit = {"display_name": "Lan", "role": "officer", "area_code": "90002", "locale": "", "org": ""}
    assert client.post(f"/admin/users/{lan.id}/edit", data=edit).status_code == 302
    db.session.refresh(lan)
    assert lan.organization.code == "UBND-90002"  # empty: the commune's committee
    bad = client.post(f"/admin/users/{lan.id}/edit?lang=en", data={**edit, "org": "XYZ"})
    assert bad.status_code == 400 and "Unknown body code XYZ" in bad.text


def test_demo_users_belong_to_bodies(runner):
    assert runner.invoke(args=["demo", "load", "--activities", "60"]).exit_code == 0
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    assert users["giamsat"].organization.code == "SNNMT"
    assert users["canbo1"].organization.code == f"UBND-{users['canbo1'].area_code}"
    assert users["canbo2"].organization.code == "HLHPN"
    assert all(user.organization is not None for user in users.values())
    unmatched = sa.select(sa.func.count()).select_from(Activity).join(User, User.id == Activity.officer_id)
    assert db.session.scalar(unmatched.where(Activity.organization_id != User.organization_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Activity.organization_id.is_(None))) == 0


def test_the_migration_puts_stored_users_and_entries_in_their_communes_committee(tmp_path):
    """0005 on a database with data (SQLite, in place): committees, users by commune, entries by officer; and back."""
    import os

    from flask_migrate import downgrade, upgrade

    from fieldkit import create_app, schema
    from tests.conftest import base_config

    migrations = os.path.join(os.path.dirname(__file__), "..", "migrations")
    app = create_app(base_config(f"sqlite:///{tmp_path / 'old.sqlite'}", str(tmp_path / "uploads")))
    schema.bind(app)
    with app.app_context():
        upgrade(directory=migrations, revision="0004_session_nonce")
        run = lambda sql: db.session.execute(sa.text(sql))  # noqa: E731
        run(
            "INSERT INTO area (code, name, kind, province_code, geometry, centroid_lat, centroid_lon, bbox, "
            "approximate, updated_at) VALUES ('31150', 'An Bình', 'Phường', '92', '{}', 0, 0, '[]', 0, '2026-01-01')"
        )
        run(
            "INSERT INTO user (username, display_name, password_hash, role, area_code, active, created_at, "
            "session_nonce) VALUES ('a', 'A', 'x', 'officer', '31150', 1, '2026-01-01', 'n'), "
            "('b', 'B', 'x', 'supervisor', NULL, 1, '2026-01-01', 'm')"
        )
        run(
            "INSERT INTO activity (uuid, type, occurred_at, utc_offset_min, received_at, updated_at, officer_id, "
            "location_source, topic, notes, details, people_reached, poor_reached, near_poor_reached, items, "
            "status, review_comment, flags, content_hash, version) SELECT 'u' || id, 'talk', '2026-01-01', 0, "
            "'2026-01-01', '2026-01-01', id, 'none', '', '', '{}', 0, 0, 0, 0, 'submitted', '', '[]', 'h' || id, 1 "
            "FROM user ORDER BY id"
        )
        db.session.commit()
        upgrade(directory=migrations)
        assert run("SELECT code, name_vi, kind, area_code FROM organization").all() == [
            ("UBND-31150", "Ủy ban nhân dân phường An Bình", "commune_committee", "31150")
        ]
        assert run("SELECT username, organization_id FROM user ORDER BY id").all() == [("a", 1), ("b", None)]
        assert run("SELECT uuid, organization_id FROM activity ORDER BY id").all() == [("u1", 1), ("u2", None)]
        db.session.commit()
        downgrade(directory=migrations, revision="0004_session_nonce")
        assert run("SELECT count(*) FROM activity").scalar() == 2
        db.session.remove()
        db.engine.dispose()
