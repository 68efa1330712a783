"""Files under uploads/: written atomically and durably, and removed again when their transaction does not commit.

A failed request (disk full, I/O error, the database gone, a crash before the commit) leaves neither a
half-written file nor a whole one that no row names, so the phone's resend starts from a clean state.
"""

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from fieldkit.extensions import db
from fieldkit.models import Photo

log = logging.getLogger(__name__)
NEW_FILES = "fieldkit.photos.new_files"  # Session.info key: (sha256, path) of files written in the open transaction


class StorageError(RuntimeError):
    """The uploads folder cannot take a file now (disk full, I/O error); nothing was kept, the upload may be resent."""

    def __init__(self, error: OSError):
        super().__init__(f"{error.strerror or error} ({errno.errorcode.get(error.errno or 0, error.errno)})")
        self.full = error.errno in (errno.ENOSPC, errno.EDQUOT)


def file_path(relative: str) -> str:
    """Return the absolute path of a stored file."""
    return os.path.join(current_app.config["FIELDKIT_UPLOADS"], relative)


def save(sha256: str, files: Iterable[tuple[str, bytes]]) -> None:
    """Write each (relative path, content) that is not there yet; kept only if the session's transaction commits."""
    written = []
    try:
        for relative, content in files:
            target = file_path(relative)
            if os.path.exists(target):
                continue
            folder = os.path.dirname(target)
            new_folder = not os.path.isdir(folder)
            os.makedirs(folder, exist_ok=True)
            _write_atomically(target, content)
            written.append(target)
            _sync_folder(folder)  # the rename itself must survive a power cut, or the receipt would lie
            if new_folder:
                _sync_folder(os.path.dirname(folder))
    except OSError as error:
        _remove(written)
        raise StorageError(error) from error
    except BaseException:
        _remove(written)
        raise
    db.session.info.setdefault(NEW_FILES, []).extend((sha256, path) for path in written)


def _write_atomically(target: str, content: bytes) -> None:
    """Write to a temporary file beside the target, make it durable, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".part")
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _sync_folder(folder: str) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _remove(paths: Iterable[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            log.warning("could not remove %s: %s", path, error)


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    """The rows that name the new files are stored: keep the files."""
    if not session.in_nested_transaction():
        session.info.pop(NEW_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _settle_files(session: Session, transaction) -> None:
    """Remove the files written in a transaction that ended without a commit (rolled back or closed)."""
    if transaction.parent is None and session.info.get(NEW_FILES):
        _remove(_unused(session, session.info.pop(NEW_FILES)))


def _unused(session: Session, written: list[tuple[str, str]]) -> list[str]:
    """The written files that no stored photo names; none when the database cannot say.

    Another request may have stored the same image meanwhile and rely on these files: a stray file costs
    only space (a resend reuses it), a missing one loses evidence.
    """
    try:
        with session.get_bind().connect() as connection:
            used = set(connection.scalars(select(Photo.sha256).where(Photo.sha256.in_({sha for sha, _ in written}))))
    except SQLAlchemyError as error:
        log.warning("uploads kept: the database cannot say whether they are used: %s", error)
        return []
    return [path for sha, path in written if sha not in used]
