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


def _refuse_duplicates(pairs):
    document = dict(pairs)
    if len(document) < len(pairs):
        seen = set()
        twice = next(key for key, _value in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {twice[:40]!r} is given twice")
    return document


def parse(raw: bytes) -> object:
    """Parse strict JSON in UTF-8: no NaN or Infinity, no numbers too large for a float, no repeated keys."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JSONInputError(
            _l("The body is not UTF-8 (byte %(position)d); send JSON encoded in UTF-8.", position=error.start + 1)
        ) from None
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite_float, object_pairs_hook=_refuse_duplicates
        )
    except RecursionError:  # the C parser's guard against deep nesting, which no entry needs
        raise JSONInputError(_l("The body is nested too deeply; send one JSON object of plain values.")) from None
    except ValueError as error:
        raise JSONInputError(_l("The body is not valid JSON (%(detail)s).", detail=str(error)[:120])) from None


def to_formdata(document: object, allowed: tuple[str, ...], lists: tuple[str, ...] = ()) -> MultiDict:
    """Check the document is a flat object of known keys and return it as form data; the keys in ``lists`` take
    a list of whole numbers (each becomes one value, as checkboxes send them)."""
    if not isinstance(document, dict):
        raise JSONInputError(_l("Expected a JSON object."))
    errors = {}
    data = MultiDict()
    for key, value in document.items():
        if key not in allowed:
            errors[key] = [_l("Unknown field.")]
        elif key in lists and isinstance(value, list):
            if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
                errors[key] = [_l("Expected a list of whole numbers.")]
            else:
                data.setlist(key, [str(item) for item in value])
        elif isinstance(value, bool | list | dict):
            errors[key] = [_l("Expected a number or text.")]
        elif value is not None:
            data[key] = value if isinstance(value, str) else json.dumps(value)
    if errors:
        named = "; ".join(f"{key}: {messages[0]}" for key, messages in errors.items())
        raise JSONInputError(_l("Some fields are not accepted — %(fields)s", fields=named), errors)
    return data
