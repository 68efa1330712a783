"""Read a backup archive by hand and check it before anything live is touched.

Never ``extractall``: on Python 3.11 before 3.11.13 tarfile's ``filter="data"`` is beaten by a long chain of
symlinks (CVE-2025-4517). Only an allowlist of plain members is read, byte by byte, into paths built here from the
parts of the name that the allowlist matched; links, folders outside the list and devices are refused.
"""

import json
import re
import shutil
import sqlite3
import tarfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
DATABASES = ("database.sqlite", "database.pgdump")
TABLES = ("area", "user", "activity", "photo")  # the tables whose rows the manifest counts
UPLOAD = re.compile(r"uploads/([0-9a-f]{2})/(\1[0-9a-f]{62}(?:\.thumb)?\.(?:jpg|jpeg|png|webp))")
FOLDER = re.compile(r"uploads(?:/[0-9a-f]{2})?/?")
HOLDS = "manifest.json, database.sqlite or database.pgdump, and uploads/xx/<sha256>.jpg"


class ArchiveError(ValueError):
    """The archive is not a sound fieldkit backup; the message says what is wrong."""


@dataclass
class Unpacked:
    """What was read from an archive: the manifest, the database file, the photo files by relative path."""

    manifest: dict
    database: Path
    uploads: dict[str, Path] = field(default_factory=dict)


def unpack(source: str, work: Path) -> Unpacked:
    """Read the archive's allowed members into work; refuse anything else."""
    found: dict[str, Path] = {}
    uploads: dict[str, Path] = {}
    try:
        with tarfile.open(source, "r:gz") as archive:
            for member in archive:
                target = _target(member, work)
                if target is None:
                    continue
                if member.name in found or member.name in uploads:
                    raise ArchiveError(f"{member.name!r} is in the archive twice")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as data, open(target, "xb") as out:
                    shutil.copyfileobj(data, out)
                (uploads if member.name.startswith("uploads/") else found)[member.name] = target
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveError(f"it cannot be read as a .tar.gz ({error})") from None
    databases = [found[name] for name in DATABASES if name in found]
    if MANIFEST not in found:
        raise ArchiveError(f"it has no {MANIFEST}")
    if len(databases) != 1:
        raise ArchiveError(
            "it holds no database (database.sqlite or database.pgdump)" if not databases else "two databases"
        )
    return Unpacked(_manifest(found[MANIFEST]), databases[0], uploads)


def _target(member: tarfile.TarInfo, work: Path) -> Path | None:
    """The path this member is read into (None for a folder of the list), or a refusal."""
    upload = UPLOAD.fullmatch(member.name)
    if upload is None and member.name not in (MANIFEST, *DATABASES):
        if member.isdir() and FOLDER.fullmatch(member.name):
            return None
        raise ArchiveError(f"{member.name[:200]!r} is not part of a fieldkit backup, which holds only {HOLDS}")
    if not member.isreg():
        raise ArchiveError(f"{member.name!r} is not a plain file (a link, folder or device)")
    if upload:
        return work / "uploads" / upload.group(1) / upload.group(2)
    return work / member.name


def _manifest(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ArchiveError(f"its {MANIFEST} is not JSON ({error})") from None
    counts = manifest.get("counts") if isinstance(manifest, dict) else None
    if not isinstance(manifest.get("dialect"), str) or not isinstance(counts, dict):
        raise ArchiveError(f"its {MANIFEST} lacks the dialect or the row counts")
    if sorted(counts) != sorted(TABLES) or not all(isinstance(n, int) for n in counts.values()):
        raise ArchiveError(f"its {MANIFEST} should count the rows of {', '.join(TABLES)}")
    return manifest


def check_sqlite(path: Path, head: str, counts: dict) -> None:
    """Open the archive's SQLite database read-only: sound, at the schema revision head, with the manifest's rows."""
    name = path.name
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise ArchiveError(f"its {name} is damaged ({verdict[:200]})")
            revisions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
            count = 'SELECT count(*) FROM "{}"'.format  # the names are the constant TABLES, never the archive's
            found = {table: connection.execute(count(table)).fetchone()[0] for table in TABLES}
    except sqlite3.DatabaseError as error:
        raise ArchiveError(f"its {name} is not a sound fieldkit database ({error})") from None
    check_revision(revisions, head)
    check_counts(found, counts)


def check_revision(revisions: list[str], head: str) -> None:
    """Refuse a database at another schema revision than this code's."""
    if revisions != [head]:
        raise ArchiveError(
            f"its database is at schema revision {', '.join(revisions) or 'none'}, this fieldkit at {head}; "
            "restore it with the fieldkit version that made it, or upgrade that one first"
        )


def check_counts(found: dict, counts: dict) -> None:
    """Refuse a database whose rows differ from what the manifest says was backed up."""
    wrong = [
        f"{table}: {found[table]} rows, the manifest says {counts[table]}"
        for table in TABLES
        if found[table] != counts[table]
    ]
    if wrong:
        raise ArchiveError("its database does not match its manifest (" + "; ".join(wrong) + ")")
