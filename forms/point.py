"""A point given in the query string."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange

from forms.base import Form
from forms.fields import FiniteFloatField


class PointForm(Form):
    """A required lat/lon pair from the query string."""

    class Meta:
        csrf = False

    lat = FiniteFloatField(_l("Latitude"), validators=[InputRequired(), NumberRange(-90, 90)])
    lon = FiniteFloatField(_l("Longitude"), validators=[InputRequired(), NumberRange(-180, 180)])
