"""The role models an entry promotes: a list of register ids, from checkboxes on the page or a JSON list."""

from flask_babel import lazy_gettext as _l
from wtforms import Field

from fieldkit.activity_types import ActivityType
from fieldkit.extensions import db
from fieldkit.models import RoleModel

PROMOTING = (ActivityType.TALK, ActivityType.MEDIA)  # the types that can name role models
MAX_MODELS = 20
MAX_ID = 2**31 - 1


class RoleModelIdsField(Field):
    """Whole numbers: one value per checkbox, or text such as "3,7"; the data is a sorted list without repeats."""

    def process_formdata(self, valuelist):
        self.data = []
        parts = [part.strip() for value in valuelist for part in str(value).split(",") if part.strip()]
        try:
            ids = sorted({int(part) for part in parts})
        except ValueError:
            raise ValueError(_l("Give the role models by their numbers, e.g. [3, 7].")) from None
        if any(not 1 <= i <= MAX_ID for i in ids):
            raise ValueError(_l("A role model's number is from 1 to %(max)d.", max=MAX_ID))
        self.data = ids

    def _value(self):
        return ",".join(str(i) for i in self.data or [])


def check(form, kind: ActivityType) -> bool:
    """Only talks and media entries name role models, and only active ones from the register."""
    field = form.role_model_ids
    ids = field.data or []
    if field.errors:
        return False
    if ids and kind not in PROMOTING:
        field.errors = [*field.errors, _l("Does not apply to this activity type.")]
        return False
    if len(ids) > MAX_MODELS:
        field.errors = [*field.errors, _l("At most %(count)d role models.", count=MAX_MODELS)]
        return False
    if ids:
        known = set(db.session.scalars(db.select(RoleModel.id).where(RoleModel.id.in_(ids), RoleModel.active)))
        unknown = [str(i) for i in ids if i not in known]
        if unknown:
            message = _l("Not in the register of role models: %(ids)s.", ids=", ".join(unknown[:5]))
            field.errors = [*field.errors, message]
            return False
    return True
