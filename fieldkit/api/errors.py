"""Errors as JSON: {"error": code, "message": text, "fields": {...}}."""

from flask import jsonify
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
