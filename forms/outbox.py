"""The upload of a file of entries saved on a phone (the outbox page's 'save unsent entries to a file')."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from forms.base import Form


class ImportForm(Form):
    """One .json file as the outbox page saves it."""

    file = FileField(_l("File of saved entries (.json)"), validators=[FileRequired(_l("Choose the file to upload."))])
