"""The activity form's rules as data, for the phone to check an entry before it saves anything.

Everything here is read off ActivityForm, the type table and the sums table, so the phone checks what the
server checks: nothing is listed twice. Messages are the server's own, in the request's language.
"""

from flask_babel import gettext
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired, Length, NumberRange

from fieldkit.activity_types import TYPES
from forms import activity
from forms import activity_sums as sums
from forms.fields import FiniteFloatField, OffsetDateTimeField, WholeNumberField

KINDS = ((WholeNumberField, "integer"), (FiniteFloatField, "number"), (OffsetDateTimeField, "datetime"))
NOT_A_NUMBER = {"integer": "Not a valid integer value.", "number": "Not a valid float value."}


def _unbound(name: str):
    return getattr(activity.ActivityForm, name)


def _validators(name: str) -> list:
    return list(_unbound(name).kwargs.get("validators") or ())


def _kind(name: str) -> str:
    field_class = _unbound(name).field_class
    if issubclass(field_class, HiddenField):
        return "hidden"
    if issubclass(field_class, SelectField):
        return "choice"
    return next((kind for cls, kind in KINDS if issubclass(field_class, cls)), "text")


def field_rule(name: str) -> dict:
    """One field's label, kind, range or length, and the messages the server gives when they are broken."""
    rule: dict = {"label": str(_unbound(name).args[0]), "kind": _kind(name), "messages": {}}
    messages = rule["messages"]
    if rule["kind"] in NOT_A_NUMBER:
        messages["number"] = gettext(NOT_A_NUMBER[rule["kind"]])
    for validator in _validators(name):
        if isinstance(validator, InputRequired):
            messages["required"] = str(validator.message)
        elif isinstance(validator, NumberRange):
            rule["min"], rule["max"] = validator.min, validator.max
            messages["range"] = gettext("Number must be between %(min)s and %(max)s.") % {
                "min": validator.min,
                "max": validator.max,
            }
        elif isinstance(validator, Length) and validator.max >= 0:
            rule["maxlength"] = validator.max
            messages["maxlength"] = gettext("Field cannot be longer than %(max)d characters.") % {"max": validator.max}
    return rule


def always_required() -> list[str]:
    """The fields every entry needs, whatever its type."""
    names = activity.FIELD_NAMES
    return [name for name in names if any(isinstance(v, InputRequired) for v in _validators(name))]


def rules() -> dict:
    """The whole rule set, as the form page carries it (JSON)."""
    fields = {name: field_rule(name) for name in activity.FIELD_NAMES}
    for name in fields:
        fields[name]["messages"].setdefault("required", str(activity.REQUIRED_FOR_TYPE))
    fields["link"]["messages"]["url"] = str(activity.NOT_A_LINK)
    return {
        "always": always_required(),
        "fields": fields,
        "types": {
            kind.value: {
                "fields": list(info.fields),
                "required": list(info.required),
                "needs_position": info.needs_position,
                "choices": {name: [value for value, _label in pairs] for name, pairs in info.choices.items()},
            }
            for kind, info in TYPES.items()
        },
        "urls": ["link"],
        "date": {
            "field": "occurred_at",
            "min": activity.EARLIEST.isoformat(),
            "future_slack_s": int(activity.FUTURE_SLACK.total_seconds()),
            "messages": {"min": str(activity.TOO_EARLY), "future": str(activity.IN_FUTURE)},
        },
        "position": {
            "pair": ["lat", "lon"],
            "commune": "declared_area_code",
            "messages": {"pair": str(activity.PAIRED), "commune": str(activity.NEEDS_COMMUNE)},
        },
        "sums": [
            {
                "type": rule.type.value,
                "parts": list(rule.parts),
                "limit": rule.limit,
                "at": rule.at,
                "message": str(rule.message),
            }
            for rule in sums.SUMS
        ],
        "labelled": gettext("%(label)s: %(message)s"),
        "summary": gettext("Please correct the fields marked below."),
    }
