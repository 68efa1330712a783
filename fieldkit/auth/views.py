"""Log in and out."""

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from fieldkit.auth import bp, throttle
from fieldkit.auth.landing import landing
from fieldkit.auth.session import sign_in, sign_out
from fieldkit.extensions import db
from fieldkit.timeutil import utcnow
from forms.auth import LoginForm, login_name


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log the user in; failed attempts count against the limits (auth.throttle)."""
    if current_user.is_authenticated:
        return redirect(landing(current_user))
    form = LoginForm()
    name, address = login_name(request.form.get("username")), request.remote_addr or ""
    if request.method == "POST" and (wait := throttle.retry_after(name, address)):
        raise TooManyRequests(retry_after=wait)
    if form.validate_on_submit():
        sign_in(form.user)
        form.user.last_login_at = utcnow()
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")) or landing(form.user))
    if form.is_submitted():
        throttle.failed(name, address)
        db.session.commit()
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out and return to the login page."""
    sign_out()
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def language(code: str):
    """Remember the chosen language in a cookie and, for a logged-in user, in their settings (a POST with the
    CSRF token: a link or an image on another site cannot change a setting)."""
    if code not in current_app.config["FIELDKIT_LANGUAGES"]:
        abort(404)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response = redirect(_safe_next(request.args.get("next")) or url_for("field.home"))
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _safe_next(target: str | None) -> str | None:
    """Follow ?next= only to a path on this site (None for anything else)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return None
