"""The forms of the reports' workflow: a unit's narrative, the Department's return comment, a role model."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from fieldkit.extensions import db
from fieldkit.models import Area
from forms.base import Form
from forms.fields import clean_text

NARRATIVE_MAX = 20_000
COMMENT_MAX = 2000
NARRATIVE_FIELDS = ("results", "difficulties", "proposals")


def _narrative(label):
    return TextAreaField(label, validators=[Optional(), Length(max=NARRATIVE_MAX)], filters=[clean_text])


class NarrativeForm(Form):
    """What the plan asks each unit to write: results, difficulties and obstacles, proposals."""

    results = _narrative(_l("Results"))
    difficulties = _narrative(_l("Difficulties and obstacles"))
    proposals = _narrative(_l("Proposals and recommendations"))

    def narrative(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in NARRATIVE_FIELDS}


class ReturnForm(Form):
    """The Department returns a report, saying what to change."""

    comment = TextAreaField(
        _l("Comment for the unit"),
        validators=[InputRequired(_l("Say what the unit should change.")), Length(max=COMMENT_MAX)],
        filters=[clean_text],
    )

    def validate_comment(self, field):
        if not field.data:
            raise ValidationError(_l("Say what the unit should change."))


class RoleModelForm(Form):
    """An exemplary household or model: its name, commune, description and an optional photo."""

    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Give the name.")), Length(max=200)], filters=[clean_text]
    )
    area_code = StringField(_l("Commune"), validators=[InputRequired(_l("Choose the commune."))], filters=[clean_text])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=NARRATIVE_MAX)], filters=[clean_text]
    )
    photo = FileField(_l("Photo"))

    def validate_area_code(self, field):
        if field.data and db.session.get(Area, field.data[:10]) is None:
            raise ValidationError(_l("Unknown commune code %(code)s.", code=field.data[:20]))
