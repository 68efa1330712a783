"""Thin views of the role models' register: the list, a form to add or edit one, its photo."""

import io

from flask import abort, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.areas.services import choices as area_choices
from fieldkit.extensions import db
from fieldkit.photos import services as photos
from fieldkit.photos import storage
from fieldkit.submissions import bp, role_models
from forms.submission import RoleModelForm


@bp.get("/role-models")
def role_model_list():
    """The models the supervisor keeps."""
    return render_template("submissions/role_models.html", models=role_models.in_scope(current_user))


@bp.route("/role-models/new", methods=["GET", "POST"], defaults={"model_id": None})
@bp.route("/role-models/<int:model_id>", methods=["GET", "POST"])
def role_model_form(model_id: int | None):
    """Add a model, or change one (name, commune, description, photo, whether entries can still name it)."""
    model = None if model_id is None else role_models.find(current_user, model_id)
    if model_id is not None and model is None:
        abort(404)
    form = RoleModelForm(obj=model, area_code=None if model else current_user.area_code)
    if request.method == "POST" and _valid(form):
        values = {"name": form.name.data, "area_code": form.area_code.data, "description": form.description.data or ""}
        values["active"] = model is None or "active" in request.form
        try:
            role_models.save(current_user, model, values, form.prepared_photo)
        except role_models.OutOfScope:
            db.session.rollback()
            form.area_code.errors = [_("You keep the register of your own commune only.")]
        else:
            db.session.commit()
            flash(_("The role model was saved."), "success")
            return redirect(url_for("submissions.role_model_list"))
    status = 400 if form.errors else 200
    page = render_template("submissions/role_model_form.html", form=form, model=model, areas=area_choices())
    return page, status


def _valid(form: RoleModelForm) -> bool:
    """Check the fields, then the photo by its content."""
    form.prepared_photo = None
    ok = form.validate_on_submit()
    upload = form.photo.data
    if ok and upload and getattr(upload, "filename", ""):
        try:
            form.prepared_photo = photos.prepare(upload.read())
        except photos.PhotoError as error:
            form.photo.errors = [str(error)]
            return False
    return ok


@bp.get("/role-models/<int:model_id>/photo.jpg", defaults={"thumb": False})
@bp.get("/role-models/<int:model_id>/photo.thumb.jpg", defaults={"thumb": True})
def role_model_photo(model_id: int, thumb: bool):
    """The model's photo or its thumbnail."""
    model = role_models.find(current_user, model_id)
    if model is None or model.photo_sha256 is None:
        abort(404)
    try:
        content = storage.read(model.thumb_path if thumb else model.photo_path)
    except FileNotFoundError:
        abort(404)
    response = make_response(send_file(io.BytesIO(content), mimetype="image/jpeg", max_age=0))
    response.headers["Cache-Control"] = "private, no-cache"
    return response
