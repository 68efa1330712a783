"""The country demo (fieldkit/demo/country.py), on a sample of two provinces: its rows agree with each other."""

import shapely
from shapely.geometry import shape
from sqlalchemy import func, select
from vietnamadminunits.database import query

from fieldkit import demo
from fieldkit.demo.country import OFFICER_PREFIX
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, AreaStat, Role, User

PROVINCES = {"92", "96"}  # Cần Thơ and Cà Mau: 167 communes


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_country_demo_rows_are_consistent(app):
    summary = demo.load(400, seed=5, country=True, provinces=PROVINCES)
    codes = {
        r["wardCode"] for r in query("select wardCode, provinceCode from admin_units") if r["provinceCode"] in PROVINCES
    }
    areas = {area.code: area for area in db.session.scalars(select(Area))}
    assert set(areas) == codes and summary["areas"] == len(codes) == 167
    assert {area.province_code for area in areas.values()} == PROVINCES
    stats = list(db.session.scalars(select(AreaStat)))
    assert sorted(s.area_code for s in stats) == sorted(codes)
    assert all(0 <= s.poor_households + s.near_poor_households <= s.households and s.households > 0 for s in stats)
    assert any(s.poor_households for s in stats) and all(s.illustrative for s in stats)
    officers = {u.id: u for u in db.session.scalars(select(User).where(User.role == Role.OFFICER))}
    assert sorted(u.area_code for u in officers.values()) == sorted(codes)
    assert all(u.username == OFFICER_PREFIX + u.area_code and u.organization_id for u in officers.values())

    entries = list(db.session.scalars(select(Activity)))
    assert len(entries) == count(Activity) == summary["activities"] == 400
    tolerance = app.config["FIELDKIT_AREA_TOLERANCE_M"]
    placed = 0
    for entry in entries:
        officer = officers[entry.officer_id]
        assert entry.declared_area_code == officer.area_code  # officers declare their own commune
        assert entry.organization_id == officer.organization_id
        if entry.area_code is None:
            continue
        placed += 1
        polygon = shape(areas[entry.area_code].geometry)
        if entry.area_distance_m == 0:
            assert shapely.intersects_xy(polygon, entry.lon, entry.lat), entry.uuid
        else:
            assert 0 < entry.area_distance_m <= tolerance and not shapely.intersects_xy(polygon, entry.lon, entry.lat)
        assert ("area_mismatch" in entry.flags) == (entry.area_code != entry.declared_area_code)
    with_position = sum(e.lat is not None for e in entries)
    assert summary["without_position"] == len(entries) - with_position
    assert placed == with_position - summary["outside_areas"] and summary["outside_areas"] <= 0.02 * with_position


def test_country_demo_from_the_command_line(runner):
    unknown = runner.invoke(args=["demo", "load", "--country", "--province", "00"])
    assert unknown.exit_code != 0 and "province codes" in unknown.output
    result = runner.invoke(args=["demo", "load", "--country", "--province", "96", "--activities", "60"])
    assert result.exit_code == 0, result.output
    assert "64 communes" in result.output and "60 activities" in result.output
    assert "63 more officers" in result.output
