"""The base form: WTForms' own messages go through our catalogue, so they are Vietnamese too."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# WTForms' built-in messages, marked here so that extraction puts them in our catalogue.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid integer value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid choice."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
)


class _Translations:
    """WTForms asks a translations object; answer from Flask-Babel's current locale."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return gettext(plural) if n != 1 else gettext(singular)


class Form(FlaskForm):
    """Every fieldkit form derives from this."""

    class Meta:
        def get_translations(self, form):
            return _Translations()
