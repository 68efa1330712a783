"""Implementing bodies: list, create, edit (an administrator's; the plan's list is seeded)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.admin import bp
from fieldkit.areas.services import choices
from fieldkit.extensions import db
from fieldkit.models import Organization, User
from fieldkit.organizations import services
from fieldkit.vocabulary import ORG_KINDS
from forms.organization import NewOrganizationForm, OrganizationForm


@bp.get("/organizations")
def organizations():
    """Every body with its code, kind, commune and how many accounts belong to it."""
    members = dict(
        db.session.execute(db.select(User.organization_id, db.func.count()).group_by(User.organization_id)).all()
    )
    return render_template("admin/organizations.html", bodies=services.listed(), members=members, kinds=ORG_KINDS)


@bp.route("/organizations/new", methods=["GET", "POST"])
def new_organization():
    """Add a body that the seeded list lacks."""
    form = NewOrganizationForm()
    form.area_code.choices = _communes()
    if form.validate_on_submit():
        body = services.create(current_user, code=form.code.data, **form.values())
        db.session.commit()
        flash(_("Body %(code)s created.", code=body.code), "success")
        return redirect(url_for("admin.organizations"))
    return render_template("admin/organization_form.html", form=form, body=None), 400 if form.errors else 200


@bp.route("/organizations/<int:body_id>/edit", methods=["GET", "POST"])
def edit_organization(body_id: int):
    """Change a body's names, kind, commune, or take it out of use; its code and its entries stay."""
    body = db.session.get(Organization, body_id) or abort(404)
    form = OrganizationForm(obj=body)
    form.area_code.choices = _communes()
    if form.validate_on_submit():
        services.update(current_user, body, **form.values())
        db.session.commit()
        flash(_("Body %(code)s updated.", code=body.code), "success")
        return redirect(url_for("admin.organizations", _anchor=f"org-{body.id}"))
    return render_template("admin/organization_form.html", form=form, body=body), 400 if form.errors else 200


def _communes() -> list[tuple[str, str]]:
    return [("", "—")] + [(a.code, a.full_name) for a in choices()]
