"""flask backup / restore: a consistent copy of the database and photos, brought back whole."""

import io
import json
import os
import sqlite3
import tarfile

import pytest

from fieldkit.backup import services
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from tests.conftest import PG_URL
from tests.factories import jpeg, talk


def test_backup_then_restore_brings_everything_back(app, client, officer, runner, tmp_path):
    for _ in range(3):
        body = talk()
        client.post("/api/v1/activities", json=body)
    client.put(f"/api/v1/activities/{body['uuid']}/photos/0", data=jpeg(), content_type="image/jpeg")
    before = services.counts()
    photo_path = services_path(app)
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    # Damage: delete an entry and the photo's files.
    db.session.execute(db.delete(Photo))
    db.session.execute(db.delete(Activity).where(Activity.uuid == body["uuid"]))
    db.session.commit()
    os.remove(photo_path)
    assert services.counts() != before
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert services.counts() == before
    assert os.path.exists(photo_path)
    assert client.get(f"/api/v1/activities/{body['uuid']}").json["photos"][0]["index"] == 0


def test_restore_refuses_an_archive_with_paths_outside(app, runner, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b'{"dialect": "sqlite", "counts": {}}'
        info = tarfile.TarInfo("../../escape.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code != 0 and "not a fieldkit backup" in result.output
    assert not (tmp_path.parent / "escape.txt").exists()


def services_path(app) -> str:
    photo = db.session.scalar(db.select(Photo))
    return os.path.join(app.config["FIELDKIT_UPLOADS"], photo.path)


# Hostile and broken archives: each is refused with a message, writes nothing outside, keeps the live database.

SHA = "ab" + "0" * 62


def build(path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> str:
    """Write a .tar.gz of the given members (data for regular files, None for the rest)."""
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return str(path)


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def link(name: str, target: str, kind=tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


DIALECT = "postgresql" if PG_URL else "sqlite"
sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="the archive carries a SQLite database to be checked")


def manifest(app_counts: dict) -> tuple[tarfile.TarInfo, bytes]:
    return regular("manifest.json", json.dumps({"dialect": DIALECT, "counts": app_counts}).encode())


def a_database(app, tmp_path) -> tuple[tarfile.TarInfo, bytes]:
    """The archive's database member: a sound copy on SQLite; on PostgreSQL never read (refused before)."""
    if PG_URL:
        return regular("database.pgdump", b"PGDMP")
    return regular("database.sqlite", good_database(app, tmp_path))


@pytest.fixture
def live(app, officer, client):
    """A live database with an entry in it; return its counts, to show a refused restore left it alone."""
    client.post("/api/v1/activities", json=talk())
    return services.counts()


def good_database(app, tmp_path) -> bytes:
    """The bytes of a sound copy of the live database."""
    copy = tmp_path / "copy.sqlite"
    services._sqlite_copy(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), str(copy))
    return copy.read_bytes()


def refused(runner, archive: str, *words: str) -> str:
    result = runner.invoke(args=["restore", archive, "--yes"])
    assert result.exit_code != 0, result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


def test_restore_refuses_a_symlink_chain_that_beats_the_data_filter(app, runner, live, tmp_path):
    """CVE-2025-4517: a long chain of symlinks makes tarfile's data filter think a link points inside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    name, steps, members, path = "d" * 247, "abcdefghijklmnop", [], ""
    for step in steps:
        folder = tarfile.TarInfo(os.path.join(path, name))
        folder.type = tarfile.DIRTYPE
        members += [(folder, None), link(os.path.join(path, step), name)]
        path = os.path.join(path, name)
    long_link = os.path.join(*steps, "l" * 254)
    members.append(link(long_link, os.path.join(*[".."] * len(steps))))
    members.append(link("escape", os.path.join(long_link, *[".."] * len(steps), *str(outside).strip("/").split("/"))))
    members.append(regular("escape/planted.txt", b"written outside"))
    archive = build(tmp_path / "chain.tar.gz", [manifest(live), a_database(app, tmp_path), *members])
    refused(runner, archive, "link")
    assert list(outside.iterdir()) == []
    assert services.counts() == live


@pytest.mark.parametrize(
    "member",
    [
        link("uploads/ab/" + SHA + ".jpg", "/etc/passwd"),
        link("uploads/ab/" + SHA + ".jpg", "manifest.json", tarfile.LNKTYPE),
        link("uploads/ab/" + SHA + ".jpg", "", tarfile.CHRTYPE),
        link("uploads/ab/" + SHA + ".jpg", "", tarfile.FIFOTYPE),
    ],
    ids=["symlink", "hard link", "device", "fifo"],
)
def test_restore_refuses_links_and_devices(app, runner, live, tmp_path, member):
    archive = build(tmp_path / "links.tar.gz", [manifest(live), a_database(app, tmp_path), member])
    refused(runner, archive, "uploads/ab/" + SHA + ".jpg", "not a plain file")
    assert services.counts() == live


@pytest.mark.parametrize(
    "name",
    [
        "../../escape.txt",
        "/tmp/escape.txt",
        "uploads/../../escape.txt",
        "uploads/ab/../../../escape.jpg",
        "uploads/ab/x.jpg",
        "instance/config.py",
    ],
)
def test_restore_refuses_names_outside_the_allowlist(app, runner, live, tmp_path, name):
    archive = build(
        tmp_path / "names.tar.gz",
        [manifest(live), a_database(app, tmp_path), regular(name, b"x")],
    )
    refused(runner, archive, "not part of a fieldkit backup")
    assert not (tmp_path.parent / "escape.txt").exists() and not (tmp_path / "escape.txt").exists()
    assert services.counts() == live


def test_restore_refuses_an_archive_without_a_database(app, runner, live, tmp_path):
    archive = build(tmp_path / "nodb.tar.gz", [manifest(live)])
    refused(runner, archive, "no database")
    assert services.counts() == live


@sqlite_only
def test_restore_refuses_a_database_that_is_not_one(app, runner, live, tmp_path):
    archive = build(
        tmp_path / "junk.tar.gz", [manifest(live), regular("database.sqlite", b"SQLite format 3\0" + b"junk" * 1000)]
    )
    refused(runner, archive, "database.sqlite")
    assert services.counts() == live


@sqlite_only
def test_restore_refuses_counts_that_differ_from_the_manifest(app, runner, live, tmp_path):
    archive = build(
        tmp_path / "counts.tar.gz",
        [
            manifest({**live, "activity": live["activity"] + 5}),
            regular("database.sqlite", good_database(app, tmp_path)),
        ],
    )
    refused(runner, archive, "activity", str(live["activity"] + 5))
    assert services.counts() == live


@sqlite_only
def test_restore_refuses_a_database_of_another_schema_revision(app, runner, live, tmp_path):
    copy = tmp_path / "old.sqlite"
    copy.write_bytes(good_database(app, tmp_path))
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.close()
    archive = build(tmp_path / "old.tar.gz", [manifest(live), regular("database.sqlite", copy.read_bytes())])
    refused(runner, archive, "0002")
    assert services.counts() == live


def test_a_restore_that_fails_midway_puts_the_live_database_back(app, runner, live, tmp_path, monkeypatch):
    before = live
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    db.session.execute(db.delete(Activity))
    db.session.commit()
    emptied = services.counts()

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "_restore_uploads", disk_full)
    refused(runner, str(archive), "No space left on device")
    assert services.counts() == emptied != before
    assert not list(tmp_path.glob("*.before-restore"))
