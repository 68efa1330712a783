"""Error answers: JSON for the API (and for clients that ask for JSON), a page for people."""

import logging

from flask import current_app, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from fieldkit.api.errors import ApiError
from fieldkit.extensions import db, login
from fieldkit.negotiate import wants_json
from fieldkit.photos.storage import StorageError

log = logging.getLogger(__name__)

# Faults that pass (database down or busy, disk full): the phone keeps its outbox and tries again after this.
RETRY_AFTER = {"Retry-After": "30"}


def init_app(app) -> None:
    """Register the handlers."""
    app.register_error_handler(ApiError, lambda error: _rollback() or error.response())
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for error in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(error, _database_down)
    app.register_error_handler(StorageError, _storage_down)
    app.register_error_handler(Exception, _unexpected)


def _rollback():
    try:
        db.session.rollback()
    except SQLAlchemyError as error:  # a connection lost mid-request may fail to roll back: let it go
        log.warning("rollback failed: %s", error)
        db.session.close()


def _answer(status: int, code: str, message: str, headers: dict | None = None):
    _rollback()
    if wants_json():
        body, status = ApiError(status, code, message).response()
    else:
        body = render_template("error.html", status=status, message=message)
    response = make_response(body, status)
    response.headers.update(headers or {})
    return response


def _csrf_error(error: CSRFError):
    return _answer(400, "csrf", _("The form expired or was sent from elsewhere. Reload the page and try again."))


def _http_error(error: HTTPException):
    messages = {
        404: _("Not found."),
        405: _("Method not allowed."),
        401: _("Log in, or send Authorization: Bearer <token>.")
        if request.path.startswith("/api/")
        else _("Please log in to continue."),
        403: _("You may not do this."),
        429: _("Too many failed attempts. Wait a few minutes, then try again."),
        413: _(
            "What you sent is larger than the limit of %(mb)d MB.",
            mb=(current_app.config["MAX_CONTENT_LENGTH"] or 0) // 1_048_576,
        ),
    }
    message = messages.get(error.code, error.description or error.name)
    retry = getattr(error, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry else None
    return _answer(error.code or 500, error.name.lower().replace(" ", "_"), message, headers)


def _database_down(error: SQLAlchemyError):
    log.error("database error: %s", error)
    # The page is drawn without the user: loading them (or refreshing their rolled-back row) needs the database.
    login._update_request_context_with_user()
    return _answer(
        ServiceUnavailable.code,
        "unavailable",
        _("The database is not answering. Nothing was lost on your phone; try again shortly."),
        RETRY_AFTER,
    )


def _storage_down(error: StorageError):
    log.error("cannot store an upload: %s", error)
    return _answer(
        507 if error.full else ServiceUnavailable.code,  # 507 Insufficient Storage: the disk is full
        "insufficient_storage" if error.full else "storage_unavailable",
        _("The server cannot store the photo right now. Nothing was lost on your phone; try again shortly."),
        RETRY_AFTER,
    )


def _unexpected(error: Exception):
    log.exception("unhandled error")
    _rollback()  # first: translating the message reads the user's locale, which a failed flush leaves unreadable
    return _answer(InternalServerError.code, "internal", _("Something went wrong on the server."))
