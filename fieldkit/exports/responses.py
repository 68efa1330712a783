"""Streamed HTTP answers for exports, shared by the pages and the API."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, current_app, stream_with_context, url_for

from fieldkit.exports import photos, services
from fieldkit.exports.columns import COLUMNS
from fieldkit.exports.present import Presenter


def _today():
    return datetime.now(ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"])).date()


def _streamed(chunks, mimetype: str, download: str | None) -> Response:
    """A response that keeps the request (and its database session) only while the chunks are sent."""
    response = Response(stream_with_context(chunks), content_type=mimetype)
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let a proxy pass chunks on as they come
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def presenter(codes: bool) -> Presenter:
    """How this request's export shows its rows, with absolute links to the photo view of this server."""
    sample = url_for("photos.photo", uuid="-", index=0, _external=True)  # …/activities/-/photos/0.jpg
    return Presenter(COLUMNS, sample[: sample.rindex("/-/") + 1], codes)


def activities(fmt: str, select, codes: bool = False, attachment: bool = True) -> Response:
    """The activity log in a format, as a download (or inline for the API's GeoJSON)."""
    name = services.filename(fmt, _today()) if attachment else None
    return _streamed(services.stream(fmt, select, presenter(codes)), services.FORMATS[fmt].mimetype, name)


def photos_zip(select, codes: bool = False) -> Response:
    """The log and its photos as one ZIP."""
    name = f"fieldkit-photos-{_today().isoformat()}.zip"
    return _streamed(photos.stream(select, presenter(codes)), "application/zip", name)
