"""The base form: WTForms' own messages go through our catalogue, so they are Vietnamese too; hostile text is
cleaned or refused here, once, for the pages and the JSON API alike."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from wtforms import PasswordField

from fieldkit.text import REFUSED, ZERO_WIDTH, refusal

__all__ = ["REFUSED", "ZERO_WIDTH", "Form", "clean_input"]  # the text rules, re-exported for the forms

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


def clean_input(form, formdata):
    """Copy form data without zero-width characters; note in ``form.refused`` each field with a refused one."""
    form.refused = {}
    if formdata is None:
        return None
    fields = {field.name: field for field in form}
    cleaned = MultiDict()
    for key, value in formdata.items(multi=True):
        field = fields.get(key)
        if isinstance(value, str) and not isinstance(field, PasswordField):
            value = value.translate(ZERO_WIDTH)
            message = refusal(value)
            if message is not None and field is not None:
                form.refused.setdefault(field.short_name, message)
            value = REFUSED.sub("", value)  # the field's own checks never see, nor store, what was refused
        cleaned.add(key, value)
    return cleaned


class Form(FlaskForm):
    """Every fieldkit form derives from this."""

    refused: dict = {}  # set per instance by clean_input

    class Meta:
        def get_translations(self, form):
            return _Translations()

        def wrap_formdata(self, form, formdata):
            try:
                formdata = super().wrap_formdata(form, formdata)
            except (RecursionError, TypeError, ValueError):  # a page posted JSON nested too deep, or not an object
                raise BadRequest(str(_l("Expected a JSON object."))) from None
            return clean_input(form, formdata)

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then add the refusals of clean_input to the fields they concern."""
        ok = super().validate(extra_validators)
        for name, message in self.refused.items():
            self[name].errors = [*self[name].errors, message]
        return ok and not self.refused
