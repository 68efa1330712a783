"""Keep a transaction's photo files when it commits; remove them when it does not, unless a stored photo uses them.

Files are shared by content, and two requests with the same image can race: A writes the files, B finds them
there, A's transaction fails (the database briefly locked) while B's is still open, and B commits. Two rules keep
every 2xx receipt true:

- a transaction that ends without a commit removes only the files it wrote that no committed photo names, and
  looks again after removing: a photo committed in between gets its file written back;
- a transaction that commits checks afterwards that every file its photos rely on is there, and writes back any
  that a failing one removed meanwhile.

Whichever of A's removal and B's commit comes first, one of the two sees the other. A stray file costs only
space (the sweep takes it); a missing one loses evidence.
"""

import logging

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from fieldkit.extensions import db
from fieldkit.photos import names
from fieldkit.photos.storage.base import StorageError, Store

log = logging.getLogger(__name__)
WRITTEN = "fieldkit.photos.written"  # Session.info: (sha256, name, content) written in the open transaction
USED = "fieldkit.photos.used"  # Session.info: (sha256, name, content) the open transaction's photos rely on
STORE = "fieldkit.photos.store"


def init_app(app) -> None:
    """Listen to every session's transactions (once per process)."""
    for name, listener in (("after_commit", _keep_files), ("after_transaction_end", _settle_files)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def save(store: Store, sha256: str, named: list[tuple[str, bytes]]) -> None:
    """Write the names not stored yet and note them, and every name used, on the session's transaction."""
    info, written = db.session.info, []
    info[STORE] = store
    try:
        for name, content in named:
            if not store.exists(name):
                store.write(name, content)
                written.append((sha256, name, content))
    finally:
        info.setdefault(WRITTEN, []).extend(written)  # removed with the transaction's end, by the rule above
    info.setdefault(USED, []).extend((sha256, name, content) for name, content in named)


def _keep_files(session: Session) -> None:
    """The rows that name the files are stored: keep what was written, and put back what another removed."""
    if session.in_nested_transaction():
        return
    session.info.pop(WRITTEN, None)
    store = session.info.get(STORE)
    for _, name, content in session.info.pop(USED, []):
        if not store.exists(name):
            log.warning("photo file %s was removed by a failed upload of the same image; writing it back", name)
            store.write(name, content)


def _settle_files(session: Session, transaction) -> None:
    """Remove the files written in a transaction that ended without a commit, unless a stored photo names them."""
    if transaction.parent is not None:
        return
    session.info.pop(USED, None)
    written = session.info.pop(WRITTEN, None)
    if not written:
        return
    store = session.info[STORE]
    used = _used(session, written)
    unused = [entry for entry in written if entry[0] not in used]
    try:
        for _, name, _ in unused:
            store.remove(name)
        used_meanwhile = _used(session, unused) if unused else set()
        for sha, name, content in unused:
            if sha in used_meanwhile:
                store.write(name, content)
    except StorageError as error:
        log.warning("photo files of a failed upload left for the sweep: %s", error)


def _used(session: Session, entries) -> set[str]:
    """The sha256 among entries that a committed photo (of an entry or a role model) names; all of them when the
    database cannot say."""
    shas = {sha for sha, _, _ in entries}
    try:
        with session.get_bind().connect() as connection:
            return names.used(connection, shas)
    except SQLAlchemyError as error:
        log.warning("photo files kept: the database cannot say whether they are used: %s", error)
        return shas
