"""API tokens: list, create (the token is shown once), revoke after a confirmation."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.admin import bp, services
from fieldkit.extensions import db
from fieldkit.models import ApiToken, User
from forms.admin import ConfirmForm, TokenForm


@bp.get("/tokens")
def tokens():
    """Every token with its user, label, creation, last use and revocation."""
    return _page(_token_form())


@bp.post("/tokens")
def create_token():
    """Make a token and show it once; the page is not stored by the browser."""
    form = _token_form()
    if not form.validate_on_submit():
        return _page(form), 400
    token, secret = services.create_token(current_user, db.session.get(User, form.user.data), form.label.data or "")
    db.session.commit()
    response = _page(_token_form(), new=token, secret=secret)
    return response, 201, {"Cache-Control": "no-store"}


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke_token(token_id: int):
    """Ask, then revoke: the token is refused from the next request on."""
    token = db.session.get(ApiToken, token_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.revoke_token(current_user, token)
        db.session.commit()
        flash(_("Token “%(label)s” revoked.", label=token.label or token.id), "success")
        return redirect(url_for("admin.tokens"))
    return render_template("admin/token_revoke.html", token=token, form=form), 400 if form.errors else 200


def _token_form() -> TokenForm:
    form = TokenForm()
    users = db.session.scalars(db.select(User).where(User.active).order_by(User.username))
    form.user.choices = [(u.id, f"{u.username} — {u.display_name}") for u in users]
    return form


def _page(form: TokenForm, new: ApiToken | None = None, secret: str | None = None) -> str:
    return render_template(
        "admin/tokens.html", tokens=services.tokens(), form=form, confirm=ConfirmForm(), new=new, secret=secret
    )
