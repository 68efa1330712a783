"""Remove what no stored photo (of an entry or a role model) names: files of replaced or withdrawn uploads, and
``.part`` files of a hard kill.

Only files older than a grace time go: a younger one may belong to an upload whose transaction is still open
(the file store also marks a file as just used when an upload finds it already there).
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from fieldkit.extensions import db
from fieldkit.photos import names, storage

BATCH = 500


@dataclass
class Swept:
    """What a sweep removed (or would remove), and what it left because it did not know it."""

    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def sweep(older_than_s: float, dry_run: bool = False) -> Swept:
    """Remove the orphans older than older_than_s seconds; with dry_run only list them."""
    store, swept = storage.store(), Swept()
    for candidates in _batches(_old_entries(store, time.time() - older_than_s, swept), BATCH):
        # Looked up just before removing, batch by batch, so an upload stored meanwhile keeps its files.
        with db.engine.connect() as connection:
            used = names.used(connection, {sha for sha, _ in candidates if sha})
        batch = [name for sha, name in candidates if sha is None or sha not in used]
        if not dry_run:
            for name in batch:
                store.remove(name)
        swept.removed.extend(batch)
    return swept


def _old_entries(store, cutoff: float, swept: Swept) -> Iterator[tuple[str | None, str]]:
    """Yield (sha256 or None for an unfinished file, name) of the files older than cutoff."""
    for name, modified in store.entries():
        if modified > cutoff:
            continue
        if name.endswith(".part"):
            yield None, name
        elif match := storage.NAME.match(name):
            yield match["sha"], name
        else:
            swept.unknown.append(name)


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
