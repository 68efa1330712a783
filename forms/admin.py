"""Administrators' forms: targets (a CSV or one commune's row), API tokens, user accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from fieldkit.activity_types import TYPES
from fieldkit.extensions import db
from fieldkit.i18n import nfc
from fieldkit.models import Area, Role, User
from fieldkit.organizations import services as organizations
from fieldkit.targets.csvfile import MAX_QUANTITY
from fieldkit.vocabulary import ROLES
from forms.base import Form
from forms.fields import WholeNumberField, clean_text, options
from forms.password import NotGuessable

MIN_PASSWORD = 8


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""


class TargetsFileForm(Form):
    """A CSV or XLSX with columns code, year, type, quantity (or the template's headers)."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a CSV or XLSX file."))])


class TargetRowForm(Form):
    """One commune's targets for a year, one field per activity type; empty removes the target."""

    def quantities(self) -> dict[str, int | None]:
        """The entered quantities by activity type."""
        return {kind.value: self[kind.value].data for kind in TYPES}


for _kind, _info in TYPES.items():
    setattr(
        TargetRowForm,
        _kind.value,
        WholeNumberField(_info.label, validators=[Optional(), NumberRange(0, MAX_QUANTITY)]),
    )


class TokenForm(Form):
    """A new API token for a user; the view fills the user choices."""

    user = SelectField(_l("Acts as user"), coerce=int, validators=[DataRequired(_l("Choose a user."))])
    label = StringField(_l("Label"), validators=[Optional(), Length(max=120)], filters=[clean_text])

    def validate_user(self, field):
        user = db.session.get(User, field.data) if field.data else None
        if user is None or not user.active:
            raise ValidationError(_l("Choose an active user."))


class PasswordForm(Form):
    """A new password that the administrator passes on to the user."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD, max=200, message=_l("At least %(min)d characters.", min=MIN_PASSWORD)),
            NotGuessable(),
        ],
    )
    known_words: tuple[str, ...] = ()  # the account's own names, which the password should not be


class AccountForm(Form):
    """What an administrator sets on an account: name, role, commune scope."""

    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)], filters=[clean_text])
    role = SelectField(_l("Role"), choices=options((r.value, ROLES[r.value]) for r in Role))
    # "" (the whole city) must become None: Optional() stops the chain before validate_area_code can see it
    area_code = SelectField(
        _l("Commune"), validators=[Optional()], validate_choice=False, filters=[lambda value: value or None]
    )

    # The body the user works for (a code); empty means the chosen commune's People's Committee, if it has one.
    org = SelectField(
        _l("Implementing body"), validate_choice=False, filters=[lambda v: v.strip().upper() if v else None]
    )
    organization = None  # the body found for org, once validated

    def validate_area_code(self, field):
        field.data = field.data or None
        if field.data and db.session.get(Area, field.data) is None:
            raise ValidationError(_l("Unknown commune code %(code)s.", code=field.data[:20]))

    def validate_org(self, field):
        if not field.data:
            self.organization = organizations.committee_of(self.area_code.data) if not self.area_code.errors else None
            field.data = self.organization.code if self.organization else None
            return
        self.organization = organizations.by_code(field.data)
        if self.organization is None:
            raise ValidationError(
                _l("Unknown body code %(code)s; the codes are listed under Implementing bodies.", code=field.data[:20])
            )


class UserForm(AccountForm, PasswordForm):
    """A new account: username, name, role, commune scope, first password."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9._-]+$", message=_l("Lower-case letters, digits, dot, dash and underscore only.")),
        ],
        filters=[lambda value: nfc(value.strip().lower()) if isinstance(value, str) else value],
    )

    def validate_username(self, field):
        if db.session.scalar(db.select(User.id).filter_by(username=field.data)) is not None:
            raise ValidationError(_l("This username is taken."))


class UserEditForm(AccountForm):
    """An account changed: name, role, commune and interface language; an administrator keeps their own role."""

    locale = SelectField(
        _l("Interface language"),
        choices=options([("", _l("as the browser asks")), ("vi", "Tiếng Việt"), ("en", "English")]),
        validators=[Optional()],
        filters=[lambda value: value or None],
    )

    def __init__(self, *args, editing_self: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing_self = editing_self

    def validate_role(self, field):
        if self.editing_self and field.data != Role.ADMIN:
            raise ValidationError(_l("You cannot take the administrator role from yourself."))
