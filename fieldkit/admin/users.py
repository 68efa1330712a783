"""User accounts: list, create, edit, deactivate or reactivate, reset the password."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.admin import bp, services
from fieldkit.areas.services import choices
from fieldkit.extensions import db
from fieldkit.models import User
from fieldkit.organizations import services as organizations
from forms.admin import ConfirmForm, PasswordForm, UserEditForm, UserForm


@bp.get("/")
def index():
    """The administrator's start page."""
    return render_template("admin/index.html")


@bp.get("/users")
def users():
    """Every account with its role, commune and last login."""
    names = {area.code: area.full_name for area in choices()}
    return render_template("admin/users.html", users=services.users(), confirm=ConfirmForm(), names=names)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create an account; the administrator passes the first password on."""
    form = UserForm()
    form.area_code.choices, form.org.choices = _communes(), _bodies()
    if form.validate_on_submit():
        data = {name: form[name].data for name in ("username", "display_name", "role", "area_code", "password")}
        services.create_user(current_user, **data, organization=form.organization)
        db.session.commit()
        flash(_("Account %(username)s created.", username=form.username.data), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form), 400 if form.errors else 200


@bp.post("/users/<int:user_id>/active/<int:state>")
def set_active(user_id: int, state: int):
    """Deactivate (1 → 0) or reactivate (0 → 1) an account; administrators cannot lock themselves out."""
    user = _user(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit() or user.id == current_user.id:
        abort(400)
    services.set_active(current_user, user, bool(state))
    db.session.commit()
    flash(_("Account %(username)s updated.", username=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def reset_password(user_id: int):
    """Set a new password for an account."""
    user = _user(user_id)
    form = PasswordForm()
    form.known_words = (user.username, user.display_name)
    if form.validate_on_submit():
        services.reset_password(current_user, user, form.password.data)
        db.session.commit()
        flash(_("New password set for %(username)s.", username=user.username), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/password.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Change an account's name, role, commune and interface language."""
    user = _user(user_id)
    form = UserEditForm(obj=user, editing_self=user.id == current_user.id)
    form.area_code.choices, form.org.choices = _communes(), _bodies()
    if request.method == "GET" and user.organization:
        form.org.data = user.organization.code
    if form.validate_on_submit():
        values = {name: form[name].data for name in services.EDITABLE if name != "organization_id"}
        values["organization_id"] = form.organization.id if form.organization else None
        services.update_user(current_user, user, **values)
        db.session.commit()
        flash(_("Account %(username)s updated.", username=user.username), "success")
        return redirect(url_for("admin.users", _anchor=f"user-{user.id}"))
    return render_template("admin/user_edit.html", form=form, user=user), 400 if form.errors else 200


def _communes() -> list[tuple[str, str]]:
    """The commune choices of an account, by name: the whole city first."""
    return [("", _("— whole city —"))] + [(a.code, a.full_name) for a in choices()]


def _bodies() -> list[tuple[str, str]]:
    """The body choices of an account: empty (the commune's committee) first, then every body in use."""
    locale = str(get_locale())
    listed = [(o.code, f"{o.name(locale)} ({o.code})") for o in organizations.listed(active_only=True)]
    return [("", _("— the commune's People's Committee —")), *listed]


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)
