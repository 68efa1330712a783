"""Sign in by a printed QR code: GET shows a confirmation (link-preview bots fetch links and must not spend a
single-use code), POST spends the code and signs the phone in as a login does."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from fieldkit.auth import bp, codes
from fieldkit.auth.session import sign_in
from fieldkit.extensions import db
from fieldkit.timeutil import utcnow
from forms.admin import ConfirmForm

REFUSED_STATUS = {"used": 410, "expired": 410, "revoked": 410, "inactive": 403, "unknown": 404}
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


@bp.get("/signin/<code>")
def signin(code: str):
    """Ask the person holding the phone to confirm, or say why the code no longer works."""
    row, state = codes.look_up(code)
    if state != "active":
        return _refused(row, state)
    page = render_template("auth/signin.html", row=row, form=ConfirmForm(), current=current_user)
    return page, 200, PRIVATE


@bp.post("/signin/<code>")
def signin_confirm(code: str):
    """Spend the code and sign in (a fresh session, as a password login starts)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/signin.html", row=None, form=form, current=current_user), 400, PRIVATE
    row, state = codes.redeem(code)
    if state != "active":
        db.session.commit()  # the audited refusal
        return _refused(row, state)
    sign_in(row.user)
    row.user.last_login_at = utcnow()
    db.session.commit()
    return redirect(url_for("field.home"))


def _refused(row, state: str):
    page = render_template("auth/signin_refused.html", row=row, state=state)
    return page, REFUSED_STATUS[state], PRIVATE
