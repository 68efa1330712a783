"""Demo users: an administrator, two supervisors and six field officers, with fixed printed passwords."""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from fieldkit.demo.areas import DemoArea
from fieldkit.extensions import db
from fieldkit.models import Area, Organization, Role, User
from fieldkit.organizations.bodies import LEAD

# Fixed on purpose: `make run` prints them again on every start, and the demo is never a real installation.
ADMIN_PASSWORD = "demo-admin-2025"  # noqa: S105
SUPERVISOR_PASSWORD = "demo-giamsat-2025"  # noqa: S105
OFFICER_PASSWORD = "demo-canbo-2025"  # noqa: S105
OFFICER_NAMES = [
    "Thạch Thị Sa Ly",
    "Huỳnh Văn Phúc",
    "Nguyễn Thị Mỹ Duyên",
    "Lê Minh Tuấn",
    "Trần Thị Kim Ngân",
    "Phạm Văn Hùng",
]
PROVINCE_ORDER = ("soctrang", "haugiang", "cantho")  # the poorest first
OFFICERS_PER_PROVINCE = 2
# The officers' bodies, in OFFICER_NAMES order: None is their commune's People's Committee; the others are the
# mass organisations the plan names, whose workers also record in the communes.
OFFICER_BODIES = (None, "HLHPN", None, "HND", None, "DTN")
USERNAMES = ("admin", "giamsat", "giamsatxa", *(f"canbo{n}" for n in range(1, len(OFFICER_NAMES) + 1)))


@dataclass
class Login:
    """One demo user as created, before it has an id."""

    username: str
    password: str
    role: str
    display_name: str
    area: DemoArea | None
    org: str | None = None  # the body's code; None with an area: the commune's People's Committee


def plan(areas: list[DemoArea], rates: dict[str, float]) -> list[Login]:
    """Choose who the demo users are and which communes they cover."""
    officers = []
    for province in PROVINCE_ORDER:
        # The campaign puts its weight on high-poverty communes, so the demo officers work there.
        local = sorted((a for a in areas if a.old_province == province), key=lambda a: (-rates[a.code], a.code))
        officers += local[:OFFICERS_PER_PROVINCE]
    logins = [
        Login("admin", ADMIN_PASSWORD, Role.ADMIN, "Quản trị hệ thống", None, LEAD),
        Login(
            "giamsat", SUPERVISOR_PASSWORD, Role.SUPERVISOR, "Võ Thị Thu Hà (Sở Nông nghiệp và Môi trường)", None, LEAD
        ),
        Login(
            "giamsatxa",
            SUPERVISOR_PASSWORD,
            Role.SUPERVISOR,
            f"Đặng Văn Lợi (UBND {officers[0].kind.lower()} {officers[0].name})",
            officers[0],
        ),
    ]
    logins += [
        Login(f"canbo{n}", OFFICER_PASSWORD, Role.OFFICER, name, area, body)
        for n, (name, area, body) in enumerate(zip(OFFICER_NAMES, officers, OFFICER_BODIES, strict=True), start=1)
    ]
    return logins


def create(logins: list[Login]) -> dict[str, User]:
    """Add the users to the session and flush so they have ids; answer them by username."""
    users = {}
    bodies = {body.code: body for body in db.session.scalars(select(Organization))}
    for login in logins:
        code = login.org or (Organization.committee_code(login.area.code) if login.area else None)
        user = User(
            username=login.username,
            display_name=unicodedata.normalize("NFC", login.display_name),
            role=str(login.role),
            area_code=login.area.code if login.area else None,
            organization=bodies.get(code),
            active=True,
        )
        user.set_password(login.password)
        db.session.add(user)
        users[login.username] = user
    db.session.flush()
    return users


def summary(logins: list[Login]) -> list[tuple[str, str, str, str | None]]:
    """Return (username, password, role, area name or None for city-wide) for printing."""
    return [
        (
            login.username,
            login.password,
            str(login.role),
            f"{login.area.kind} {login.area.name}" if login.area else None,
        )
        for login in logins
    ]


PASSWORDS = {Role.ADMIN: ADMIN_PASSWORD, Role.SUPERVISOR: SUPERVISOR_PASSWORD, Role.OFFICER: OFFICER_PASSWORD}


def stored() -> list[tuple[str, str, str, str | None]]:
    """The demo users already in the database, as summary() gives them (for printing the logins again)."""
    users = db.session.scalars(select(User).where(User.username.in_(USERNAMES)).order_by(User.id))
    return [
        (user.username, PASSWORDS[Role(user.role)], user.role, user.area_code and _area_name(user.area_code))
        for user in users
    ]


def _area_name(code: str) -> str:
    area = db.session.get(Area, code)
    return area.full_name if area else code
