"""What the phone read from a photo's EXIF before downscaling, sent as query parameters with the upload."""

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, Optional, ValidationError

from forms.base import Form
from forms.fields import FiniteFloatField, OffsetDateTimeField

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # no camera clock before; year 1 would not even convert to UTC
FUTURE_SLACK = timedelta(days=1)


class PhotoHintsForm(Form):
    """taken_at, photo_lat and photo_lon of PUT /api/v1/activities/<uuid>/photos/<n>."""

    class Meta:
        csrf = False

    taken_at = OffsetDateTimeField(_l("Photo time"), validators=[Optional()])
    photo_lat = FiniteFloatField(_l("Photo latitude"), validators=[Optional(), NumberRange(-90, 90)])
    photo_lon = FiniteFloatField(_l("Photo longitude"), validators=[Optional(), NumberRange(-180, 180)])

    def validate_taken_at(self, field):
        if field.data is not None and not EARLIEST <= field.data <= datetime.now(UTC) + FUTURE_SLACK:
            raise ValidationError(_l("Must be between 01/01/1990 and now, e.g. 2025-11-20T09:30:00+07:00."))

    def validate_photo_lon(self, field):
        if (field.data is None) != (self.photo_lat.data is None) and not self.photo_lat.errors:
            raise ValidationError(_l("Give photo_lat and photo_lon together, or neither."))
