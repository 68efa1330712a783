"""Passwords that are not easy to guess: zxcvbn's estimate, with the words an attacker here would try first."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# Words zxcvbn's English lists lack but that anyone guessing a fieldkit password in Can Tho would try.
LOCAL_WORDS = ("fieldkit", "matkhau", "mật khẩu", "cantho", "cần thơ", "quantri", "canbo", "giamngheo", "vietnam")
MIN_SCORE = 2  # zxcvbn's 0 and 1: under a million guesses (common passwords, one word, keyboard runs)
CHECKED = 100  # characters estimated; the estimate is slow on long input and long ones are not the weak ones


class NotGuessable:
    """Refuse a password that zxcvbn scores below MIN_SCORE, given the form's username and name as known words."""

    message = _l(
        "This password is too easy to guess (a common password, a single word or a keyboard pattern). "
        "Choose a longer one, e.g. three or four words together."
    )

    def __call__(self, form, field) -> None:
        from zxcvbn import zxcvbn  # its word lists load at the first password checked, not at start-up

        known = [*LOCAL_WORDS, *getattr(form, "known_words", ())]
        known += [form[name].data for name in ("username", "display_name") if name in form and form[name].data]
        if field.data and zxcvbn(field.data[:CHECKED], user_inputs=known)["score"] < MIN_SCORE:
            raise ValidationError(self.message)
