"""The login form."""

from functools import cache

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from fieldkit.extensions import db
from fieldkit.i18n import nfc
from fieldkit.models import User
from forms.base import REFUSED, ZERO_WIDTH, Form


def login_name(raw: str | None) -> str:
    """The username as the login reads it: invisible and refused characters dropped, NFC, stripped."""
    return nfc(REFUSED.sub("", (raw or "").translate(ZERO_WIDTH))).strip()


@cache
def _dummy_hash() -> str:
    """A hash to check a password against when there is no such user, so the answer takes as long."""
    return generate_password_hash("no such user", method="scrypt")


class LoginForm(Form):
    """Username and password; validate() finds the user so the view stays one line."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)], filters=[nfc])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])

    user: User | None = None

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then the credentials, with one message for any mismatch."""
        if not super().validate(extra_validators):
            return False
        user = db.session.scalar(db.select(User).filter_by(username=login_name(self.username.data)))
        if user is None:
            check_password_hash(_dummy_hash(), self.password.data)  # as slow as a wrong password for a real user
        if user is None or not user.check_password(self.password.data) or not user.active:
            self.password.errors.append(_l("Wrong username or password."))
            return False
        self.user = user
        return True
