"""Photo files by name (``ab/<sha256>.jpg``): a folder (``file``, the default) or an S3 bucket behind one interface.

Content-addressed names are shared: entries with the same image use the same files. A file is written before the
receipt says so, and one written for a transaction that does not commit is removed unless a stored photo names it
(see settle.py). Orphans left by a hard kill or a replaced photo go with ``flask --app app photos sweep``.
"""

import logging
import re
from collections.abc import Iterable, Iterator

from flask import current_app

from fieldkit.photos.storage import settle
from fieldkit.photos.storage.base import StorageError, Store
from fieldkit.photos.storage.files import FileStore

__all__ = ["StorageError", "Store", "exists", "file_path", "files", "init_app", "put_all", "read", "save", "store"]
EXTENSION = "fieldkit.photo_store"
NAME = re.compile(r"^[0-9a-f]{2}/(?P<sha>[0-9a-f]{64})(?:\.thumb)?\.jpg$")  # what photos.services names files
log = logging.getLogger(__name__)


def init_app(app) -> None:
    """Check FIELDKIT_PHOTO_STORAGE at start-up and watch sessions for files to keep or remove."""
    app.extensions[EXTENSION] = _configured(app.config)
    settle.init_app(app)


def _configured(config) -> Store:
    from fieldkit.config import ConfigError

    setting = str(config.get("FIELDKIT_PHOTO_STORAGE") or "file")
    if setting == "file":
        return FileStore(config["FIELDKIT_UPLOADS"])
    if setting.startswith("s3://") and setting[5:].strip("/"):
        from fieldkit.photos.storage.s3 import S3Store

        bucket, _, prefix = setting[5:].partition("/")
        return S3Store(bucket, prefix, config.get("FIELDKIT_S3_ENDPOINT_URL"))
    raise ConfigError(f"FIELDKIT_PHOTO_STORAGE is {setting!r}; set it to file or to s3://BUCKET/PREFIX")


def store() -> Store:
    """The photo store of the current app."""
    return current_app.extensions[EXTENSION]


def save(sha256: str, named: Iterable[tuple[str, bytes]]) -> None:
    """Write each (name, content) that is not stored yet; kept only if the session's transaction commits."""
    settle.save(store(), sha256, list(named))


def exists(name: str) -> bool:
    """Tell whether a file is stored under name."""
    return store().exists(name)


def read(name: str) -> bytes:
    """The content stored under name; FileNotFoundError when there is none, StorageError when the store fails."""
    return store().read(name)


def file_path(name: str) -> str:
    """The path of a stored file in the uploads folder (the file store only)."""
    return FileStore(current_app.config["FIELDKIT_UPLOADS"]).path(name)


def files() -> Iterator[tuple[str, bytes]]:
    """Yield (name, content) of every stored file but unfinished ones, for a backup."""
    current = store()
    for name, _ in current.entries():
        if not name.endswith(".part"):
            yield name, current.read(name)


def put_all(named: Iterable[tuple[str, bytes]]) -> int:
    """Store every (name, content) as it is, for a restore; answer how many. Names no photo has are skipped."""
    current, count = store(), 0
    for name, content in named:
        if not NAME.match(name):
            log.warning("not a photo file, not restored: %r", name)
            continue
        current.write(name, content)
        count += 1
    return count
