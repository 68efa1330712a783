"""Turn a JSON body into form data, so the API is validated by the same form classes as the pages."""

import json
import math

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict


class JSONInputError(ValueError):
    """The body is not a JSON object of simple values; ``fields`` says which key is wrong."""

    def __init__(self, message, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def parse(raw: bytes) -> object:
    """Parse strict JSON: no NaN or Infinity, no numbers too large for a float, limited nesting."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise JSONInputError(_l("The body is not valid JSON (%(detail)s).", detail=str(error)[:120])) from None


def to_formdata(document: object, allowed: tuple[str, ...]) -> MultiDict:
    """Check the document is a flat object of known keys and return it as form data."""
    if not isinstance(document, dict):
        raise JSONInputError(_l("Expected a JSON object."))
    errors = {}
    data = MultiDict()
    for key, value in document.items():
        if key not in allowed:
            errors[key] = [_l("Unknown field.")]
        elif isinstance(value, bool | list | dict):
            errors[key] = [_l("Expected a number or text.")]
        elif value is not None:
            data[key] = value if isinstance(value, str) else json.dumps(value)
    if errors:
        named = "; ".join(f"{key}: {messages[0]}" for key, messages in errors.items())
        raise JSONInputError(_l("Some fields are not accepted — %(fields)s", fields=named), errors)
    return data
