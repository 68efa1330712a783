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

from fieldkit.extensions import db
from fieldkit.models import Activity, Area, Photo, User
from fieldkit.photos import storage
from fieldkit.timeutil import utcnow

MANIFEST = "manifest.json"


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
    """Bring back a backup made by backup(): the database replaced, the uploads added back."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        try:
            archive.extractall(work, filter="data")  # refuses absolute paths, links out and ../ members
            manifest = json.loads((Path(work) / MANIFEST).read_text())
        except (tarfile.FilterError, FileNotFoundError, ValueError) as error:
            raise BackupError(f"{source} is not a fieldkit backup ({error})") from None
        if manifest["dialect"] != url.get_backend_name():
            raise BackupError(
                f"the backup is of a {manifest['dialect']} database; this one is {url.get_backend_name()}"
            )
        db.session.remove()
        db.engine.dispose()
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(str(Path(work) / "database.sqlite"), url.database)
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    _libpq(url),
                    str(Path(work) / "database.pgdump"),
                ]
            )
        files = _restore_uploads(Path(work) / "uploads")
    return Summary(source, manifest["dialect"], counts(), files)


def _sqlite_copy(source: str, target: str) -> None:
    """Copy one SQLite database into another with the online backup API (consistent while others write)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _restore_uploads(extracted: Path) -> int:
    """Put the extracted photo files back into the photo store (the uploads folder or the bucket)."""
    if not extracted.is_dir():
        return 0
    paths = sorted(path for path in extracted.rglob("*") if path.is_file())
    return storage.put_all((path.relative_to(extracted).as_posix(), path.read_bytes()) for path in paths)


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
