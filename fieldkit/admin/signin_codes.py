"""Sign-in QR codes: print one for an officer (shown once, as a QR code to scan), revoke one not yet used."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from fieldkit.admin import bp, services
from fieldkit.extensions import db
from fieldkit.models import SigninCode, User
from forms.admin import ConfirmForm


@bp.post("/users/<int:user_id>/signin-codes")
def create_signin_code(user_id: int):
    """Make a code for an active officer or supervisor and show it once, ready to print; the page is not stored."""
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not user.active or user.role not in services.SIGNIN_ROLES:
        flash(_("Sign-in codes are only for active officers and supervisors."), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    row, code = services.issue_signin_code(current_user, user, current_app.config["FIELDKIT_SIGNIN_CODE_HOURS"])
    db.session.commit()
    link = url_for("auth.signin", code=code, _external=True)
    import segno  # loads at the first code printed, not at start-up

    qr = segno.make(link, error="m")
    svg = Markup(qr.svg_inline(scale=6, border=4, omitsize=True))  # noqa: S704 — segno's own markup, no user text
    page = render_template("admin/signin_code.html", user=user, row=row, link=link, svg=svg)
    return page, 201, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.post("/signin-codes/<int:code_id>/revoke")
def revoke_signin_code(code_id: int):
    """Revoke a code: scanning it from now on shows that it was cancelled."""
    row = db.session.get(SigninCode, code_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_signin_code(current_user, row)
    db.session.commit()
    flash(_("Sign-in code revoked."), "success")
    return redirect(url_for("admin.edit_user", user_id=row.user_id, _anchor="signin-codes"))
