"""Back up and restore: SQLite's online backup or pg_dump for the database, plus the uploads folder, in one tar.gz."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from fieldkit import schema
from fieldkit.backup import archive
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, Photo, User
from fieldkit.photos import storage
from fieldkit.timeutil import utcnow

MANIFEST = archive.MANIFEST


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why."""


@dataclass
class Summary:
    """What a backup holds or a restore brought back."""

    path: str
    dialect: str
    counts: dict
    files: int


def counts() -> dict:
    """Rows in the main tables, to compare a restore with its backup."""
    return {
        model.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Area, User, Activity, Photo)
    }


def backup(target: str) -> Summary:
    """Write a consistent copy of the database and the uploads to a .tar.gz at target."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / ("database.sqlite" if url.get_backend_name() == "sqlite" else "database.pgdump")
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(url.database, str(dump))
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), _libpq(url)])
        manifest = {"made_at": utcnow().isoformat() + "Z", "dialect": url.get_backend_name(), "counts": counts()}
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        files = 0
        with tarfile.open(target, "w:gz") as archive:
            archive.add(Path(work) / MANIFEST, MANIFEST)
            archive.add(dump, dump.name)
            for name, content in storage.files():  # the uploads folder or the bucket, whichever holds the photos
                member = tarfile.TarInfo("uploads/" + name)
                member.size, member.mtime = len(content), int(time.time())
                archive.addfile(member, io.BytesIO(content))
                files += 1
    return Summary(target, manifest["dialect"], manifest["counts"], files)


def restore(source: str) -> Summary:
    """Bring back a backup made by backup(): checked whole first, then the database replaced, the uploads added.

    The live database is copied aside first and put back if any step fails; the copy is removed on success.
    """
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = url.get_backend_name()
    with tempfile.TemporaryDirectory() as work:
        try:
            unpacked = archive.unpack(source, Path(work))
            if unpacked.manifest["dialect"] != dialect:
                raise archive.ArchiveError(f"it is of a {unpacked.manifest['dialect']} database; this one is {dialect}")
            if unpacked.database.name != ("database.sqlite" if dialect == "sqlite" else "database.pgdump"):
                raise archive.ArchiveError(f"its {unpacked.database.name} does not fit a {dialect} database")
            if dialect == "sqlite":
                archive.check_sqlite(unpacked.database, _head(), unpacked.manifest["counts"])
            else:
                _run(["pg_restore", "--list", str(unpacked.database)])  # a readable custom-format dump
        except archive.ArchiveError as error:
            raise BackupError(f"{source} is not a fieldkit backup that can be restored: {error}") from None
        db.session.remove()
        db.engine.dispose()
        keep = Path(url.database + ".before-restore") if dialect == "sqlite" else Path(work) / "before-restore.pgdump"
        _copy_database(url, None, keep)
        try:
            _copy_database(url, unpacked.database, None)
            if dialect != "sqlite":  # only now readable: the dump's revision and rows, inside the live database
                archive.check_revision([_live_revision()], _head())
                archive.check_counts(counts(), unpacked.manifest["counts"])
            files = _restore_uploads(unpacked.uploads)
        except (OSError, sqlite3.Error, SQLAlchemyError, BackupError, archive.ArchiveError) as error:
            db.session.remove()
            db.engine.dispose()
            _copy_database(url, keep, None)
            keep.unlink()
            raise BackupError(f"the restore failed, so the database was put back as it was: {error}") from None
        keep.unlink()
    return Summary(source, dialect, counts(), files)


def _copy_database(url, source: Path | None, target: Path | None) -> None:
    """Copy the live database (None) to a file, or a file over the live database."""
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(str(source or url.database), str(target or url.database))
    elif target is not None:
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq(url)])
    else:
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname"]
        _run([*restore, _libpq(url), str(source)])


def _head() -> str:
    """The schema revision this code's migrations end at."""
    return schema.head()


def _live_revision() -> str:
    return db.session.scalar(db.text("SELECT version_num FROM alembic_version"))


def _sqlite_copy(source: str, target: str) -> None:
    """Copy one SQLite database into another with the online backup API (consistent while others write)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _restore_uploads(staged: dict[str, Path]) -> int:
    """Put the archive's photo files back into the photo store, the uploads folder or the bucket (relative names
    checked by archive.unpack)."""
    return storage.put_all(
        (relative.removeprefix("uploads/"), path.read_bytes()) for relative, path in sorted(staged.items())
    )


def _libpq(url) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver part)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment)  # noqa: S603 — fixed argv
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
