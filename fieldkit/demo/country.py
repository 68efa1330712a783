"""The whole country as demo data: the 3,321 communes of vietnamadminunits with approximate boundaries,
illustrative poverty statistics, an officer per commune and as many activities as asked (10^6 for the
benchmarks), written in batches through SQLAlchemy Core so that a million entries load in minutes.

The communes are drawn as the Can Tho demo draws its own (Voronoi cells of the commune centres, clipped to discs
of each commune's land area), on one plane for the whole country. The load runs in the caller's transaction.
"""

import random
import statistics as stats_module
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from vietnamadminunits.database import query
from werkzeug.security import generate_password_hash

from fieldkit.demo import activities as demo_activities
from fieldkit.demo import people, stats
from fieldkit.demo.areas import DemoArea, shaped
from fieldkit.demo.positions import Positions, area_index
from fieldkit.extensions import db
from fieldkit.models import Area, AreaStat, Organization, Role, User
from fieldkit.organizations import services as organizations
from fieldkit.organizations.bodies import LEAD

COUNTRY_SQL = "select * from admin_units order by wardCode"
BATCH = 20_000  # activities made, placed and inserted at a time: a million rows never sit in memory at once
OFFICER_PREFIX = "canbo"

# Illustrative poor and near-poor household rates by band of provinces (codes after the July 2025 merger): the
# northern mountains and the Central Highlands are poorest, the big cities and the deltas' industrial provinces
# least poor. Bands and rates are rough assumptions for demonstration, not official figures.
HIGH = {"04", "08", "11", "12", "14", "15", "20", "52", "66"}
LOW = {"01", "22", "24", "31", "48", "75", "79"}
BAND_RATES = {"high": (0.12, 0.08), "middle": (0.025, 0.04), "low": (0.003, 0.008)}
DENSITY = {"Phường": 900, "Xã": 120, "Đặc khu": 100}  # households per km²
MIN_HOUSEHOLDS = 600
SOURCE = (
    "Illustrative: poor/near-poor rates by band of provinces (mountains and Central Highlands 12%/8%, others "
    "2.5%/4%, large cities 0.3%/0.8%) with random per-commune variation — not official"
)


@dataclass
class CountryArea(DemoArea):
    """A commune of the whole country; its band says how poor its province is."""

    band: str = "middle"

    @property
    def old_province(self) -> str:
        """The Can Tho demo's texts key some shares by old province: the poorest band talks like Sóc Trăng
        (a large ethnic minority), the others like old Cần Thơ."""
        return "soctrang" if self.band == "high" else "cantho"


def communes(provinces: set[str] | None = None) -> list[CountryArea]:
    """Every commune (or those of these province codes) with an approximate polygon and its neighbours."""
    records = [r for r in query(COUNTRY_SQL) if not provinces or r["provinceCode"] in provinces]
    if not records:
        raise ValueError(f"Expected province codes of vietnamadminunits, got {sorted(provinces or ())!r}")
    known = [float(r["wardAreaKm2"]) for r in records if r["wardAreaKm2"]]
    typical = stats_module.median(known) if known else 20.0  # a few communes have no land area listed
    areas = [
        CountryArea(
            r["wardCode"],
            unicodedata.normalize("NFC", r["wardShort"]),
            unicodedata.normalize("NFC", r["wardType"]),
            float(r["wardAreaKm2"] or typical),
            float(r["wardLat"]),
            float(r["wardLon"]),
            province_code=r["provinceCode"],
            band="high" if r["provinceCode"] in HIGH else "low" if r["provinceCode"] in LOW else "middle",
        )
        for r in records
    ]
    return shaped(areas)


def statistics(areas: list[CountryArea], year: int, rng: random.Random) -> list[dict]:
    """One illustrative AreaStat row per commune for the year."""
    rows = []
    for area in areas:
        households = max(
            MIN_HOUSEHOLDS, round(area.area_km2 * DENSITY.get(area.kind, 120) * rng.lognormvariate(0, 0.4))
        )
        poor_rate, near_rate = BAND_RATES[area.band]
        poor = min(households, round(households * poor_rate * rng.lognormvariate(0, 0.6)))
        near_poor = min(households - poor, round(households * near_rate * rng.lognormvariate(0, 0.5)))
        rows.append(stats.row(area.code, year, households, poor, near_poor, SOURCE))
    return rows


def fill(count: int, seed: int, today: date, provinces: set[str] | None = None) -> dict:
    """Add the country's communes, statistics, users and `count` activities and flush; the caller commits."""
    streams = {part: random.Random(f"fieldkit-country:{seed}:{part}") for part in ("stats", "activities")}
    areas = communes(provinces)
    db.session.execute(insert(Area), [area.row() for area in areas])
    stat_rows = statistics(areas, today.year, streams["stats"])
    db.session.execute(insert(AreaStat), stat_rows)
    organizations.seed()  # the plan's bodies and a People's Committee per commune
    logins, officers = _users(areas, stat_rows)
    rates = {
        r["area_code"]: (r["poor_households"] / r["households"], r["near_poor_households"] / r["households"])
        for r in stat_rows
    }
    bodies = dict(db.session.execute(select(User.id, User.organization_id).where(User.role == Role.OFFICER)).all())
    rng = streams["activities"]
    positions, weights, index = Positions(areas, rng), demo_activities.busy(officers, rng), area_index(areas)
    made = without_position = outside = 0
    while made < count:
        rows = demo_activities.generate(
            min(BATCH, count - made), officers, areas, rates, today, rng, positions, weights, index
        )
        for row in rows:
            row["organization_id"] = bodies[row["officer_id"]]  # the officer's body, as receive() keeps it
        demo_activities.insert_rows(rows)
        made += len(rows)
        without_position += sum(row["lat"] is None for row in rows)
        outside += sum(row["lat"] is not None and row["area_code"] is None for row in rows)
    return {
        "areas": len(areas),
        "stats": len(stat_rows),
        "year": today.year,
        "users": len(officers) + 3,
        "activities": made,
        "photos": 0,
        "without_position": without_position,
        "outside_areas": outside,
        "today": today.isoformat(),
        "seed": seed,
        "logins": people.summary(logins),
        "more_officers": len(officers) - 1,  # canbo<code> for every other commune, with the same password
    }


def _users(areas: list[CountryArea], stat_rows: list[dict]) -> tuple[list[people.Login], list[tuple[int, CountryArea]]]:
    """An administrator, a nationwide and a commune supervisor, and an officer per commune (canbo<code>), written
    in one insert with one password hash (hashing 3,321 passwords would take minutes); answer the logins to
    print and the officers as (user id, commune)."""
    rates = {r["area_code"]: (r["poor_households"] + r["near_poor_households"]) / r["households"] for r in stat_rows}
    poorest = max(areas, key=lambda a: (rates[a.code], a.code))
    bodies = dict(db.session.execute(select(Organization.code, Organization.id)).all())
    committee = lambda area: bodies[Organization.committee_code(area.code)]  # noqa: E731
    hashes = {
        password: generate_password_hash(password, method="scrypt")
        for password in (people.ADMIN_PASSWORD, people.SUPERVISOR_PASSWORD, people.OFFICER_PASSWORD)
    }
    logins = [
        people.Login("admin", people.ADMIN_PASSWORD, Role.ADMIN, "Quản trị hệ thống", None, LEAD),
        people.Login("giamsat", people.SUPERVISOR_PASSWORD, Role.SUPERVISOR, "Giám sát toàn quốc", None, LEAD),
        people.Login(
            "giamsatxa",
            people.SUPERVISOR_PASSWORD,
            Role.SUPERVISOR,
            f"Giám sát {poorest.kind.lower()} {poorest.name}",
            poorest,
        ),
    ]
    officers = [
        people.Login(
            f"{OFFICER_PREFIX}{area.code}",
            people.OFFICER_PASSWORD,
            Role.OFFICER,
            f"Cán bộ {area.kind.lower()} {area.name}",
            area,
        )
        for area in areas
    ]
    rows = [
        {
            "username": login.username,
            "display_name": unicodedata.normalize("NFC", login.display_name),
            "password_hash": hashes[login.password],
            "role": str(login.role),
            "area_code": login.area.code if login.area else None,
            "organization_id": bodies[login.org] if login.org else committee(login.area),
            "active": True,
        }
        for login in logins + officers
    ]
    db.session.execute(insert(User), rows)
    ids = dict(db.session.execute(select(User.username, User.id)).all())
    return logins + officers[:1], [(ids[login.username], login.area) for login in officers]
