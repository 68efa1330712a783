"""The activity log with its photos, as one streamed ZIP: activities.csv, then photos/<uuid>/<n>.jpg."""

import logging
import time
import zipfile
from collections.abc import Iterator

from sqlalchemy import select

from fieldkit.exports import rows as source
from fieldkit.exports import to_csv
from fieldkit.exports.columns import COLUMNS
from fieldkit.exports.present import Presenter
from fieldkit.exports.zipstream import Sink, open_archive
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.photos import storage

log = logging.getLogger(__name__)


def photo_rows(query) -> Iterator[tuple[str, int, str]]:
    """Yield (uuid, index, stored path) of the photos of the query's activities, newest entry first."""
    ids = query.with_only_columns(Activity.id, maintain_column_froms=False).order_by(None).subquery()
    photos = (
        select(Activity.uuid, Photo.index, Photo.path)
        .join(Photo, Photo.activity_id == Activity.id)
        .where(Activity.id.in_(select(ids.c.id)))
        .order_by(Activity.id.desc(), Photo.index)
    )
    result = db.session.connection().execution_options(yield_per=source.BATCH).execute(photos)
    try:
        yield from result
    finally:
        result.close()


def stream(query, present: Presenter) -> Iterator[bytes]:
    """Yield the ZIP in chunks; the log is deflated, the JPEGs stored as they are."""
    sink = Sink()
    archive = open_archive(sink)
    with archive.open("activities.csv", "w") as member:
        for chunk in to_csv.write(COLUMNS, present.rows(source.rows(query)), present.headers()):
            member.write(chunk)
            yield sink.take()
    for uuid, index, path in photo_rows(query):
        try:
            data = storage.read(path)  # StorageError (the store down) ends the archive: never a quiet gap
        except FileNotFoundError as error:
            log.warning("export: photo %s of %s is missing: %s", index, uuid, error)
            continue
        info = zipfile.ZipInfo(f"photos/{uuid}/{index}.jpg", time.localtime()[:6])
        info.compress_type = zipfile.ZIP_STORED
        archive.writestr(info, data)
        yield sink.take()
    archive.close()
    yield sink.take()
