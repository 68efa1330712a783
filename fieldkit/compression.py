"""Compressed answers, whatever sits in front: pages, JSON and text exports by Flask-Compress as they are made;
the static files (the app's own, the vendored map libraries, the map's bundles) compressed once per encoding.

A static file is the same bytes for every visitor, so it is compressed at the smallest setting once per process
and kept: Flask-Compress would compress it again on each first visit (Leaflet's 147 KB cost 8 ms of zstd per
request, and came to 45 KB where Brotli's best makes 37 KB for a phone on a weak link).

Flask-Compress wraps a streamed answer (an export) in a compressing generator and never closes what it wrapped, so a
file would stay open until the garbage collector finds it: the answer closes it when it ends.
"""

import gzip
import threading

import brotli
from flask import Flask, Response, current_app, request

from fieldkit.extensions import compress

FILES = {"static", "mapping.vendor", "mapping.bundle"}  # endpoints that answer a file's bytes
KEPT = 512  # compressed files kept per process (every static file of the app is well under this)
_kept: dict[tuple[str, str, str], bytes] = {}
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Compress, then make sure a streamed answer's source is closed (after_request hooks run last-first, so the
    static files are compressed before Flask-Compress sees them and leaves them alone)."""
    compress.init_app(app)
    app.after_request(_close_source_when_done)
    app.after_request(_compress_file_once)


def _close_source_when_done(response: Response) -> Response:
    source = response.response
    if response.is_streamed and hasattr(source, "close"):
        response.call_on_close(source.close)
    return response


def _compress_file_once(response: Response) -> Response:
    """A static file's answer, Brotli or gzip, from what this process compressed before."""
    if request.endpoint not in FILES or response.status_code != 200 or "Content-Encoding" in response.headers:
        return response
    encoding = _accepted()
    etag, weak = response.get_etag()
    if encoding is None or weak or not etag or response.mimetype not in current_app.config["COMPRESS_MIMETYPES"]:
        return response
    key = (request.path, etag, encoding)
    body = _kept.get(key)
    response.direct_passthrough = False
    if body is None:
        body = _compressed(response.get_data(), encoding)
        with _lock:
            if len(_kept) < KEPT:
                _kept[key] = body
    response.close()  # the file, when the body came from what was kept
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{etag}:{encoding}")  # a client's If-None-Match names the encoded bytes it holds
    return response.make_conditional(request)


def _accepted() -> str | None:
    """Brotli when the client takes it (every current browser), else gzip, else nothing."""
    for encoding in ("br", "gzip"):
        if request.accept_encodings[encoding]:
            return encoding
    return None


def _compressed(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)
