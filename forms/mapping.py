"""The map's query strings: the shared filters, the colouring, and the box of a zoomed-in view."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from forms.fields import options
from forms.filters import FiltersForm
from maps.data import METRICS


class MapForm(FiltersForm):
    """/map: the filters and what colours the communes (poverty rate by default)."""

    metric = SelectField(_l("Colour by"), choices=options((m, m) for m in METRICS), validators=[Optional()])

    @property
    def colour(self) -> str:
        """The chosen metric, the poverty rate when none is."""
        return self.metric.data or METRICS[0]


class PointsForm(FiltersForm):
    """/map/points.json: the filters and the box (west,south,east,north in degrees) the map shows."""

    bbox = StringField(_l("Map box"))
    box: tuple[float, float, float, float] | None = None

    def validate_bbox(self, field):
        try:
            west, south, east, north = (float(value) for value in (field.data or "").split(","))
        except ValueError:
            raise ValidationError(_l("Give west,south,east,north in degrees.")) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValidationError(_l("Give west,south,east,north in degrees, west ≤ east and south ≤ north."))
        self.box = (west, south, east, north)
