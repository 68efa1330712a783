"""The officer's page form: the activity form plus photos from the camera or gallery."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms.validators import ValidationError

from fieldkit.activities.services import Invalid, check_photo_index
from fieldkit.photos import services as photos
from forms.activity import ActivityForm


class ActivityPageForm(ActivityForm):
    """Photos are checked by content here; nothing is stored until the whole form is valid."""

    photos = MultipleFileField(_l("Photos"))
    existing_photos = 0  # set by the edit view: new photos take the next free numbers
    prepared_photos: list = []

    def validate_photos(self, field):
        uploads = [f for f in field.data or [] if f and f.filename]
        if uploads:
            try:
                check_photo_index(self.existing_photos + len(uploads) - 1)
            except Invalid as error:
                raise ValidationError(error.fields["index"][0]) from None
        prepared = []
        for number, upload in enumerate(uploads, start=1):
            try:
                prepared.append(photos.prepare(upload.read()))
            except photos.PhotoError as error:
                raise ValidationError(
                    _l(
                        "Photo %(number)d (%(name)s): %(reason)s",
                        number=number,
                        name=upload.filename[:60],
                        reason=str(error),
                    )
                ) from None
        self.prepared_photos = prepared

    def new_photos(self) -> dict:
        """The checked uploads by the photo numbers they take: after the entry's existing photos."""
        return {self.existing_photos + i: photo for i, photo in enumerate(self.prepared_photos)}
