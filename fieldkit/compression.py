"""Compressed answers (Flask-Compress), whatever sits in front: pages, JSON, scripts and text exports.

Flask-Compress wraps a streamed answer (a static file, an export) in a compressing generator and never closes what
it wrapped, so a file would stay open until the garbage collector finds it: the answer closes it when it ends.
"""

from flask import Flask, Response

from fieldkit.extensions import compress


def init_app(app: Flask) -> None:
    """Compress, then make sure a streamed answer's source is closed (after_request hooks run last-first)."""
    compress.init_app(app)
    app.after_request(_close_source_when_done)


def _close_source_when_done(response: Response) -> Response:
    source = response.response
    if response.is_streamed and hasattr(source, "close"):
        response.call_on_close(source.close)
    return response
