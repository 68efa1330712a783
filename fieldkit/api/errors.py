"""Errors as JSON: {"error": code, "message": text, "fields": {...}}."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.photos.services import PhotoError, PhotoTooLarge


class ApiError(Exception):
    """An error the API answers with a status, a code, a message and per-field messages."""

    def __init__(self, status: int, code: str, message, fields: dict | None = None):
        super().__init__(str(message))
        self.status, self.code, self.message, self.fields = (
            status,
            code,
            str(message),
            {name: [str(m) for m in messages] for name, messages in (fields or {}).items()},
        )

    def response(self):
        body = {"error": self.code, "message": self.message, "fields": self.fields}
        return jsonify(body), self.status


def form_error(form) -> ApiError:
    """A 400 that names each bad field and says what is accepted."""
    fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    summary = "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
    return ApiError(400, "invalid", _("Invalid input — %(summary)s", summary=summary), fields)


def filter_error(form) -> ApiError:
    """A 400 for a bad query string, naming each filter by its URL name."""
    fields = form.public_errors()
    summary = "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
    return ApiError(400, "invalid", _("Invalid filter — %(summary)s", summary=summary), fields)


def too_large() -> ApiError:
    """A 413 that names the limit of what this request may send: a photo's, or a JSON body's."""
    if request.endpoint in ("api.put_photo", "api.put_inspection_photo"):
        mb = current_app.config["FIELDKIT_MAX_PHOTO_BYTES"] // 1_048_576
        message = _("The photo is larger than the limit of %(mb)d MB.", mb=mb)
        return ApiError(413, "too_large", message, {"photo": [message]})
    limit = current_app.config["FIELDKIT_MAX_JSON_BYTES"]
    return ApiError(413, "too_large", _("The body is larger than %(limit)d bytes.", limit=limit))


def init_app(bp) -> None:
    """Answer what the write surface and the photo pipeline refuse, the same way at every endpoint."""
    for exception, answer in REFUSALS.items():
        bp.register_error_handler(exception, lambda error, answer=answer: _refused(answer(error)))


def _refused(error: ApiError):
    db.session.rollback()
    return error.response()


def _invalid(error: services.Invalid) -> ApiError:
    summary = "; ".join(f"{name}: {messages[0]}" for name, messages in error.fields.items())
    return ApiError(400, "invalid", error.message or _("Invalid input — %(summary)s", summary=summary), error.fields)


def _edited(error: services.Edited) -> ApiError:
    message = _("This entry was changed after it was first sent (now version %(version)d).", version=error.version)
    return ApiError(409, "edited", message, {"uuid": [_("Changed since it was sent.")]})


def _conflict(_error) -> ApiError:
    message = _("This uuid is already stored with different content.")
    return ApiError(409, "conflict", message, {"uuid": [_("Already used for another entry.")]})


def _stale(error: services.Stale) -> ApiError:
    message = _(
        "The entry changed since you opened it (now version %(version)d). Open it again and redo your change.",
        version=error.version,
    )
    return ApiError(409, "stale", message, {"version": [message]})


PHOTO_ENDPOINTS = {"api.put_photo", "api.delete_photo", "api.put_inspection_photo"}


def _locked(_error) -> ApiError:
    """A verified entry: its evidence is refused as forbidden (as since the first release), the entry itself as a
    conflict that the phone shows beside it."""
    message = _("This entry is verified and can no longer be changed.")
    if request.endpoint in PHOTO_ENDPOINTS:
        return ApiError(403, "forbidden", message)
    return ApiError(409, "verified", message, {"status": [message]})


REFUSALS = {
    services.Invalid: _invalid,
    services.Edited: _edited,
    services.Conflict: _conflict,
    services.Stale: _stale,
    services.NotYours: lambda _error: ApiError(403, "forbidden", _("You may not do this.")),
    services.NotEditable: _locked,
    PhotoTooLarge: lambda error: ApiError(413, "too_large", str(error), {"photo": [str(error)]}),
    PhotoError: lambda error: ApiError(400, "invalid_photo", str(error), {"photo": [str(error)]}),
}
