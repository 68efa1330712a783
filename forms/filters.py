"""The filters that lists, maps and exports share: from, to, type, area, officer, status, org."""

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from fieldkit.activities.queries import Filters, decode_cursor, decode_time_cursor
from fieldkit.activity_types import TYPES
from fieldkit.models import ActivityStatus
from fieldkit.organizations import services as organizations
from fieldkit.vocabulary import ORG_KINDS, STATUSES
from forms.base import Form
from forms.fields import options

# Dates outside these cannot be turned into times in every time zone (year 1, year 9999): refused, not a 500.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
MAX_PAGE = 500


# The filters under the names the URLs use (DESIGN §6): the one list, for reading them and for writing links.
URL_NAMES = {
    "date_from": "from",
    "date_to": "to",
    "type": "type",
    "area": "area",
    "officer": "officer",
    "status": "status",
    "org": "org",
}


def url_args(filters: Filters, **more) -> dict[str, str]:
    """The filters (and any ``more`` of a page's own) as a link's query string, leaving out the empty ones."""
    values = {URL_NAMES[name]: getattr(filters, name) for name in URL_NAMES} | more
    return {name: str(value) for name, value in values.items() if value}


class FiltersForm(Form):
    """Read from the query string; every field optional."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    type = SelectField(
        _l("Type"), choices=options(((t.value, i.label) for t, i in TYPES.items()), blank=True), validators=[Optional()]
    )
    area = StringField(_l("Commune"), validators=[Optional(), Length(max=10)])
    officer = StringField(_l("Officer"), validators=[Optional(), Length(max=64)])
    status = SelectField(
        _l("Status"),
        choices=options(((s.value, STATUSES[s.value]) for s in ActivityStatus), blank=True),
        validators=[Optional()],
    )

    # A body's code (GET /api/v1/organizations); the pages draw it as a choice of body_choices().
    org = StringField(
        _l("Implementing body"),
        validators=[Optional(), Length(max=20)],
        filters=[lambda value: value.strip().upper() if isinstance(value, str) else value],
    )

    def __init__(self, args, **kwargs):
        renamed = args.copy()
        for name, public in URL_NAMES.items():
            if public != name and public in renamed:
                renamed.setlist(name, renamed.poplist(public))
        super().__init__(formdata=renamed, **kwargs)

    def validate_org(self, field):
        if field.data and organizations.by_code(field.data) is None:
            raise ValidationError(
                _l("Unknown body code %(code)s; GET /api/v1/organizations lists them.", code=field.data[:20])
            )

    def validate_date_from(self, field):
        _in_range(field)

    def validate_date_to(self, field):
        _in_range(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Must not be before the start date."))

    def filters(self) -> Filters:
        """Return the validated filters as plain data."""
        return Filters(
            self.date_from.data,
            self.date_to.data,
            self.type.data or None,
            self.area.data or None,
            self.officer.data or None,
            self.status.data or None,
            self.org.data or None,
        )

    def public_errors(self) -> dict:
        """Errors keyed by the names the URL uses."""
        return {URL_NAMES.get(key, key): [str(m) for m in messages] for key, messages in self.errors.items()}


def body_choices() -> list[tuple[str, str]]:
    """Every body as (code, name in the interface language), in the order the pages list them."""
    locale = get_locale()
    return [(body.code, body.name(locale)) for body in organizations.listed()]


def _in_range(field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(
            _l("Give a date from %(first)s to %(last)s.", first=f"{FIRST_DAY:%d/%m/%Y}", last=f"{LAST_DAY:%d/%m/%Y}")
        )


class ListForm(FiltersForm):
    """A page of GET /api/v1/activities: the filters, how many per page, and the cursor of the previous page."""

    limit = IntegerField(_l("Per page"), validators=[Optional()])
    cursor = StringField(_l("Cursor"), validators=[Optional(), Length(max=200)])

    def validate_limit(self, field):
        if field.data is not None:
            field.data = max(1, min(field.data, MAX_PAGE))  # out of range is clamped, as documented

    def validate_cursor(self, field):
        if field.data:
            try:
                decode_cursor(field.data)
            except ValueError:
                raise ValidationError(_l("Not a cursor; pass back the 'next' value as it came.")) from None


class PageListForm(ListForm):
    """The entries page: the same filters, its list in the order the activities happened (a time cursor)."""

    def validate_cursor(self, field):
        if field.data:
            try:
                decode_time_cursor(field.data)
            except ValueError:
                raise ValidationError(_l("Not a cursor; pass back the 'next' value as it came.")) from None


class OrganizationsForm(Form):
    """GET /api/v1/organizations: optionally one kind of body, those whose code or names hold every word of q, at
    most limit of them."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of body"), choices=options(ORG_KINDS.items(), blank=True), validators=[Optional()])
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])  # words of a name or code, any marks
    limit = IntegerField(_l("At most"), validators=[Optional(), NumberRange(min=1, max=100)])
