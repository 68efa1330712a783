"""The supervisor's forms: the decision on an entry with its comment, and the review queue's filters."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from fieldkit.models import Activity, ActivityStatus
from fieldkit.vocabulary import FLAG_LABELS, STATUSES, Flag
from forms.base import Form
from forms.fields import WholeNumberField, clean_text, options
from forms.filters import FiltersForm

COMMENT_MAX = 2000
DECISIONS = [("verify", _l("Verify")), ("return", _l("Return to the officer"))]
BULK_MAX = 500  # entries per bulk decision: a confirmation a person can still take in
BULK_MODES = [("selected", _l("The ticked entries")), ("unflagged", _l("Every unflagged entry of the filter"))]


def _with_all(label, pairs) -> list[SelectChoice]:
    """Choices led by an empty one that means "all"."""
    return [SelectChoice("", label), *options(pairs)]


class ReviewForm(Form):
    """Verify an entry, or return it to its officer with a comment that says what to fix."""

    decision = SelectField(
        _l("Decision"), choices=options(DECISIONS), validators=[InputRequired(_l("Choose verify or return."))]
    )
    comment = TextAreaField(_l("Comment for the officer"), validators=[Length(max=COMMENT_MAX)], filters=[clean_text])
    version = WholeNumberField(widget=HiddenInput(), validators=[Optional()])  # the version the supervisor looked at

    def validate_comment(self, field):
        if self.decision.data == "return" and not field.data:
            raise ValidationError(_l("Required when returning an entry: say what the officer should fix."))


class ReviewFiltersForm(FiltersForm):
    """The queue's filters: those of every list, plus a flag and flagged-first; status is 'submitted' unless chosen.
    The page offers its communes and officers as choices (fieldkit/choices.py for a country's thousands)."""

    status = SelectField(
        _l("Status"),
        choices=_with_all(_l("all statuses"), ((s.value, STATUSES[s.value]) for s in ActivityStatus)),
        default=ActivityStatus.SUBMITTED.value,
        validators=[Optional()],
    )
    flag = SelectField(
        _l("Flag"), choices=_with_all(_l("any"), ((f.value, FLAG_LABELS[f]) for f in Flag)), validators=[Optional()]
    )
    flagged_first = BooleanField(_l("Flagged entries first"))


class BulkForm(Form):
    """A bulk verification: the ticked entries, each as "uuid:version" (the version the supervisor was shown), or
    every unflagged entry of the queue's filters (then the entries come with the confirmation)."""

    mode = SelectField(
        _l("Verify"), choices=options(BULK_MODES), validators=[InputRequired(_l("Choose what to verify."))]
    )
    entry = SelectMultipleField(_l("Entries"), choices=[], validate_choice=False)

    def validate_entry(self, field):
        if self.mode.data == "selected" and not field.data:
            raise ValidationError(_l("Tick at least one entry to verify."))
        if len(field.data) > BULK_MAX:
            raise ValidationError(_l("At most %(count)d entries at a time.", count=BULK_MAX))
        for text in field.data:
            if _pick(text) is None:
                raise ValidationError(_l("Not an entry of the list: %(value)s.", value=repr(text[:50])))

    def picks(self) -> list[tuple[str, int]]:
        """The (uuid, version) pairs, in the order given, each once."""
        return list(dict.fromkeys(_pick(text) for text in self.entry.data or ()))


def _pick(text: str) -> tuple[str, int] | None:
    uuid, _sep, version = (text or "").partition(":")
    stored = Activity.stored_uuid(uuid)
    if stored is None or not version.isdigit() or len(version) > 9:
        return None
    return stored, int(version)
