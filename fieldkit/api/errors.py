"""Errors as JSON: {"error": code, "message": text, "fields": {...}}."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _


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
    if request.endpoint == "api.put_photo":
        mb = current_app.config["FIELDKIT_MAX_PHOTO_BYTES"] // 1_048_576
        message = _("The photo is larger than the limit of %(mb)d MB.", mb=mb)
        return ApiError(413, "too_large", message, {"photo": [message]})
    limit = current_app.config["FIELDKIT_MAX_JSON_BYTES"]
    return ApiError(413, "too_large", _("The body is larger than %(limit)d bytes.", limit=limit))
