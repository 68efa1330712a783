"""The administrator's form for an implementing body: its code (when it is created), names, kind and commune."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from fieldkit.extensions import db
from fieldkit.i18n import nfc
from fieldkit.models import Area, Organization
from fieldkit.vocabulary import ORG_KINDS
from forms.base import Form
from forms.fields import clean_text, options


class OrganizationForm(Form):
    """A body changed: names, kind, commune (a commune committee's), in use or not. Its code stays."""

    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=200)], filters=[clean_text])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)], filters=[clean_text])
    kind = SelectField(_l("Kind of body"), choices=options(ORG_KINDS.items()))
    area_code = SelectField(_l("Commune"), validate_choice=False, filters=[lambda value: value or None], validators=[])
    active = BooleanField(_l("In use (offered for accounts)"), default=True)

    def validate_area_code(self, field):
        if field.data and db.session.get(Area, field.data) is None:
            raise ValidationError(_l("Unknown commune code %(code)s.", code=field.data[:20]))
        if self.kind.data == "commune_committee" and not field.data:
            raise ValidationError(_l("A commune People's Committee needs its commune."))
        if self.kind.data != "commune_committee" and field.data:
            raise ValidationError(_l("Only a commune People's Committee has a commune."))

    def values(self) -> dict:
        """The validated fields, as the service takes them."""
        return {name: self[name].data for name in ("name_vi", "name_en", "kind", "area_code", "active")}


class NewOrganizationForm(OrganizationForm):
    """A new body: the fields above and its code, which the filters, exports and allocation files use."""

    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=20),
            Regexp(r"^[A-Z0-9-]+$", message=_l("Capital letters without accents, digits and dashes only.")),
        ],
        filters=[lambda value: nfc(value.strip().upper()) if isinstance(value, str) else value],
    )

    def validate_code(self, field):
        if db.session.scalar(db.select(Organization.id).filter_by(code=field.data)) is not None:
            raise ValidationError(_l("This code is taken."))
