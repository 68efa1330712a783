"""The vocabulary's words as template helpers: roles, statuses, flags, field names and choices."""

from flask_babel import format_decimal, get_locale

from fieldkit.activity_types import CHOICES, info
from fieldkit.vocabulary import FLAG_EXPLANATIONS, FUNDING_SOURCES, ROLES, STATUSES
from forms.activity import ActivityForm
from forms.filters import body_choices


def field_label(name: str):
    """The form's label of a field."""
    return getattr(ActivityForm, name).args[0]


def choice_label(name: str, value):
    """A stored value as a person reads it."""
    if name in CHOICES:
        return CHOICES[name].get(value, value)
    if isinstance(value, int | float):
        return format_decimal(value)
    return value


def init_app(app) -> None:
    """Offer the helpers to every template."""
    app.jinja_env.globals["body_choices"] = body_choices  # a global: imported macros (filter partials) see it
    app.context_processor(
        lambda: {
            "get_locale": get_locale,
            "type_info": info,
            "field_label": field_label,
            "choice_label": choice_label,
            "role_label": lambda role: ROLES.get(role, role),
            "status_label": lambda s: STATUSES.get(s, s),
            "funding_label": lambda s: FUNDING_SOURCES.get(s, s),
            "flag_text": lambda flag: FLAG_EXPLANATIONS.get(flag, flag),
        }
    )
