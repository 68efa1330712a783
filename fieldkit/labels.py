"""Words for stored codes (roles, statuses, flags, field names, choices), for templates."""

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from fieldkit.activities.quality import EXPLANATIONS
from fieldkit.activity_types import info
from forms.activity import BANNER_KINDS, MEDIA_CHANNELS, TALK_FORMATS, ActivityForm

ROLES = {"officer": _l("field officer"), "supervisor": _l("supervisor"), "admin": _l("administrator")}
STATUSES = {"submitted": _l("submitted"), "verified": _l("verified"), "returned": _l("returned for fixing")}
CHOICES = {"format": dict(TALK_FORMATS), "kind": dict(BANNER_KINDS), "channel": dict(MEDIA_CHANNELS)}
# The five forms of communication as Plan 159/KH-UBND names them, for reports (keys are the activity types).
REPORT_FORMS = {
    "talk": _l("Thematic talks and policy dialogues"),
    "banner": _l("Panels, banners and slogans"),
    "leaflet": _l("Leaflets and documents"),
    "broadcast": _l("Grassroots loudspeaker broadcasts"),
    "media": _l("Press and digital media products"),
}


def field_label(name: str):
    """The form's label of a field."""
    return getattr(ActivityForm, name).args[0]


def report_form(activity_type: str):
    """The plan's name of the form of communication an activity type stands for."""
    return REPORT_FORMS.get(activity_type, activity_type)


def choice_label(name: str, value):
    """A stored value as a person reads it."""
    if name in CHOICES:
        return CHOICES[name].get(value, value)
    if isinstance(value, int | float):
        return format_decimal(value)
    return value


def init_app(app) -> None:
    """Offer the helpers to every template."""
    app.context_processor(
        lambda: {
            "get_locale": get_locale,
            "type_info": info,
            "field_label": field_label,
            "choice_label": choice_label,
            "role_label": lambda role: ROLES.get(role, role),
            "status_label": lambda s: STATUSES.get(s, s),
            "flag_text": lambda flag: EXPLANATIONS.get(flag, flag),
        }
    )
