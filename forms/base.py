"""The base form: WTForms' own messages go through our catalogue, so they are Vietnamese too; hostile text is
cleaned or refused here, once, for the pages and the JSON API alike."""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from wtforms import PasswordField

# Invisible characters some keyboards and copy-paste leave in text; they carry nothing Vietnamese needs: removed.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Refused: C0/C1 controls but tab and line breaks (NUL cannot even be stored by PostgreSQL), lone surrogates
# (not text; no database driver can encode them), and bidi embeddings, overrides and isolates, which make text
# show in another order than it is stored ("Trojan Source") in the review pages, exports and KML.
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

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
            found = REFUSED.search(value)
            if found and field is not None:
                form.refused.setdefault(
                    field.short_name,
                    _l(
                        "Contains an invisible control or text-direction character (U+%(code)s, character "
                        "%(position)d), which is not accepted; delete it and try again.",
                        code=f"{ord(found.group()):04X}",
                        position=found.start() + 1,
                    ),
                )
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
