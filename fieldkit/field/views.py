"""Thin views for the officer's pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.activities import queries, services
from fieldkit.activity_types import TYPES
from fieldkit.areas.services import choices
from fieldkit.auth.scope import can_edit, require, visible_or_404
from fieldkit.extensions import db
from fieldkit.field import bp
from fieldkit.models import Activity, ActivityStatus, Role
from forms.activity_page import ActivityPageForm
from forms.filters import ListForm


@bp.get("/")
@require()
def home():
    """The big button, entries sent back for fixing, and my recent entries."""
    recent = queries.page(current_user, queries.Filters(), None, 5).items
    returned = queries.page(current_user, queries.Filters(status=ActivityStatus.RETURNED), None, 6).items
    return render_template("field/home.html", recent=recent, returned=returned)


@bp.route("/activities/new", methods=["GET", "POST"])
@require(Role.OFFICER)
def new_activity():
    """Record an activity; the hidden uuid makes a double submit harmless."""
    form = ActivityPageForm(type=request.args.get("type", "talk"))
    if request.method == "GET":
        form.uuid.data = Activity.new_uuid()
        form.occurred_at.data = datetime.now(ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"]))
    if form.validate_on_submit():
        try:
            activity, _created = services.receive(current_user, form.payload(), form.new_photos())
        except services.Conflict:
            abort(409)
        db.session.commit()
        flash(_("Saved. The entry is on the server."), "success")
        return redirect(url_for("field.activity", uuid=activity.uuid))
    return _form_page(form)


@bp.route("/activities/<uuid>/edit", methods=["GET", "POST"])
@require()
def edit_activity(uuid: str):
    """Change an entry until a supervisor has verified it."""
    activity = visible_or_404(current_user, uuid)
    if not can_edit(current_user, activity):
        abort(403)
    form = ActivityPageForm(obj=_FormView(activity))
    form.existing_photos = len(activity.photos)
    if form.validate_on_submit():
        services.revise(current_user, activity, form.payload(), new_photos=form.new_photos())
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("field.activity", uuid=activity.uuid))
    return _form_page(form, activity)


@bp.get("/activities")
@require()
def activities():
    """My entries (or my scope's, for supervisors), newest first, in pages."""
    form = ListForm(request.args)
    if not form.validate():
        return render_template("field/list.html", page=None, form=form), 400
    size = current_app.config["FIELDKIT_PAGE_SIZE"]
    page = queries.page(current_user, form.filters(), form.cursor.data, size)
    return render_template("field/list.html", page=page, form=form)


@bp.get("/activities/<uuid>")
@require()
def activity(uuid: str):
    """One entry with its photos."""
    entry = visible_or_404(current_user, uuid)
    return render_template("field/detail.html", activity=entry, editable=can_edit(current_user, entry))


def _form_page(form, activity=None):
    areas = choices(current_user.area_code)
    return render_template(
        "field/form.html",
        form=form,
        activity=activity,
        areas=areas,
        types=TYPES,
        accuracy_goal=current_app.config["FIELDKIT_GPS_ACCURACY_M"],
    ), 400 if form.errors else 200


class _FormView:
    """An activity seen as form data, for pre-filling the edit form."""

    def __init__(self, activity: Activity):
        self.__dict__.update(activity.details or {})
        for key in (
            "uuid",
            "type",
            "lat",
            "lon",
            "accuracy_m",
            "location_source",
            "declared_area_code",
            "topic",
            "notes",
            "cost_vnd",
            "funding_source",
        ):
            setattr(self, key, getattr(activity, key))
        self.occurred_at = activity.local_occurred_at
