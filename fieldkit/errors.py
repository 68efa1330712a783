"""Error answers: JSON for the API (and for clients that ask for JSON), a page for people."""

import logging

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from fieldkit.api.errors import ApiError
from fieldkit.extensions import db

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API paths and .json URLs always get JSON; elsewhere, clients that prefer JSON do."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def init_app(app) -> None:
    """Register the handlers."""
    app.register_error_handler(ApiError, lambda error: _rollback() or error.response())
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(Exception, _unexpected)


def _rollback():
    db.session.rollback()


def _answer(status: int, code: str, message: str):
    _rollback()
    if wants_json():
        return ApiError(status, code, message).response()
    return render_template("error.html", status=status, message=message), status


def _csrf_error(error: CSRFError):
    return _answer(400, "csrf", _("The form expired or was sent from elsewhere. Reload the page and try again."))


def _http_error(error: HTTPException):
    messages = {
        404: _("Not found."),
        405: _("Method not allowed."),
        401: _("Please log in to continue."),
        403: _("You may not do this."),
        429: _("Too many failed attempts. Wait a few minutes, then try again."),
        413: _(
            "What you sent is larger than the limit of %(mb)d MB.",
            mb=(current_app.config["MAX_CONTENT_LENGTH"] or 0) // 1_048_576,
        ),
    }
    message = messages.get(error.code, error.description or error.name)
    return _answer(error.code or 500, error.name.lower().replace(" ", "_"), message)


def _database_down(error: OperationalError):
    log.error("database error: %s", error)
    return _answer(
        ServiceUnavailable.code,
        "unavailable",
        _("The database is not answering. Nothing was lost on your phone; try again shortly."),
    )


def _unexpected(error: Exception):
    log.exception("unhandled error")
    return _answer(InternalServerError.code, "internal", _("Something went wrong on the server."))
