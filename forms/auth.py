"""The login form."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from fieldkit.extensions import db
from fieldkit.i18n import nfc
from fieldkit.models import User
from forms.base import Form


class LoginForm(Form):
    """Username and password; validate() finds the user so the view stays one line."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)], filters=[nfc])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])

    user: User | None = None

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then the credentials, with one message for any mismatch."""
        if not super().validate(extra_validators):
            return False
        user = db.session.scalar(db.select(User).filter_by(username=self.username.data.strip()))
        if user is None or not user.active or not user.check_password(self.password.data):
            self.password.errors.append(_l("Wrong username or password."))
            return False
        self.user = user
        return True
