"""Factory fixtures: each returns a callable that makes a thing in the test database."""

import io
import re
import socket
import uuid as uuid_module
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import event

from fieldkit.extensions import db
from fieldkit.models import Area, AreaStat, User

PASSWORD = "correct-horse-9"
VN = timezone(timedelta(hours=7))

# Two square communes side by side with a 22 m sliver between them (lon 105.7200–105.7202), near Can Tho.
SQUARES = {
    "90001": ("An Thử", "Phường", (105.70, 10.00, 105.72, 10.02)),
    "90002": ("Bình Thử", "Xã", (105.7202, 10.00, 105.74, 10.02)),
}
INSIDE_A = (10.01, 105.71)  # (lat, lon)
INSIDE_B = (10.01, 105.73)


def square(box):
    west, south, east, north = box
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


@pytest.fixture
def areas(app):
    """Make the two test communes with statistics; return their codes."""
    for code, (name, kind, box) in SQUARES.items():
        db.session.add(
            Area(
                code=code,
                name=name,
                kind=kind,
                province_code="92",
                geometry=square(box),
                centroid_lat=(box[1] + box[3]) / 2,
                centroid_lon=(box[0] + box[2]) / 2,
                bbox=list(box),
            )
        )
        db.session.add(
            AreaStat(
                area_code=code, year=2025, households=1000, poor_households=20, near_poor_households=50, source="test"
            )
        )
    db.session.commit()
    return list(SQUARES)


@pytest.fixture
def make_user(app):
    """Return a callable that makes a user with the test password."""
    counter = iter(range(1, 10_000))

    def make(role="officer", area_code=None, username=None, active=True) -> User:
        user = User(
            username=username or f"{role}{next(counter)}",
            display_name="Nguyễn Văn Test",
            role=role,
            area_code=area_code,
            active=active,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """Return a callable that logs a user in through the login form."""

    def log_in(user, password=PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.text
        return response

    return log_in


@pytest.fixture
def officer(make_user, areas, login):
    """A logged-in officer scoped to commune A."""
    user = make_user("officer", areas[0])
    login(user)
    return user


def free_port() -> int:
    """A local port where nothing listens now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def sql_statements():
    """Collect the text of every SQL statement the block sends to the database."""
    statements = []
    note = lambda _conn, _cursor, statement, *_args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def talk(**overrides) -> dict:
    """A valid talk as the phone sends it."""
    body = {
        "uuid": str(uuid_module.uuid4()),
        "type": "talk",
        "occurred_at": (datetime.now(VN) - timedelta(hours=2)).isoformat(timespec="seconds"),
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "accuracy_m": 12.5,
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": "Tuyên truyền giảm nghèo",
        "notes": "",
        "format": "dialogue",
        "participants": 40,
        "poor_members": 5,
        "near_poor_members": 8,
        "women": 20,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def assets_from_elsewhere(page: str) -> list[str]:
    """The scripts, style sheets and images a page would load from another host (none may: no CDN)."""
    pattern = r'<(?:script|link|img)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"'
    return re.findall(pattern, page, flags=re.IGNORECASE)


def jpeg(width=640, height=480, exif: Image.Exif | None = None, colour=(180, 40, 40), fmt="JPEG") -> bytes:
    """Make an image file in memory."""
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), colour)
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


@pytest.fixture
def bodies(areas):
    """Seed the plan's bodies and the two test communes' committees; return them by code."""
    from fieldkit.models import Organization
    from fieldkit.organizations import services as organizations

    organizations.seed()
    db.session.commit()
    return {body.code: body for body in db.session.scalars(db.select(Organization))}
