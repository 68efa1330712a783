"""The plan's targets: the year's table (commune × activity type), one commune's row, a CSV upload."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.activity_types import TYPES
from fieldkit.admin import bp
from fieldkit.areas.services import choices
from fieldkit.extensions import db
from fieldkit.models import Area
from fieldkit.periods import today
from fieldkit.targets import csvfile, services, template
from forms.admin import TargetRowForm, TargetsFileForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/targets")
def targets():
    """Every commune's targets for a year (this year by default)."""
    year = request.args.get("year", type=int) or today(current_app.config["FIELDKIT_TIMEZONE"]).year
    if not csvfile.FIRST_YEAR <= year <= csvfile.LAST_YEAR:
        abort(404)
    return _page(year, TargetsFileForm())


@bp.get("/targets/template-<int:year>.<fmt>")
def targets_template(year: int, fmt: str):
    """Every commune × type for the year with its target, as CSV or XLSX, to fill in and upload again."""
    if fmt not in ("csv", "xlsx") or not csvfile.FIRST_YEAR <= year <= csvfile.LAST_YEAR:
        abort(404)
    if fmt == "csv":
        body, mimetype = template.to_csv(year), "text/csv; charset=utf-8"
    else:
        body, mimetype = template.to_xlsx(year, _("Targets %(year)d", year=year)), XLSX
    name = f"chi-tieu-{year}.{fmt}"
    return Response(body, content_type=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/targets/upload")
def upload_targets():
    """Import a CSV: every row is checked, and nothing is written when one is bad."""
    form = TargetsFileForm()
    year = request.args.get("year", type=int) or today(current_app.config["FIELDKIT_TIMEZONE"]).year
    if not form.validate_on_submit():
        return _page(year, form), 400
    try:
        result = services.import_csv(form.file.data.read(), current_user.id)
    except services.TargetFileError as error:
        return _page(year, form, errors=error.errors), 400
    db.session.commit()
    flash(
        _(
            "Imported %(rows)d rows: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.",
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("admin.targets", year=year))


@bp.route("/targets/<code>/<int:year>", methods=["GET", "POST"])
def edit_targets(code: str, year: int):
    """Change one commune's targets for a year; an empty field removes that type's target."""
    area = db.session.get(Area, code) or abort(404)
    if not csvfile.FIRST_YEAR <= year <= csvfile.LAST_YEAR:
        abort(404)
    form = TargetRowForm(data=services.for_year(year, [code]).get(code, {}))
    if form.validate_on_submit():
        services.set_targets(code, year, form.quantities(), current_user.id)
        db.session.commit()
        flash(_("Targets of %(commune)s for %(year)d saved.", commune=area.full_name, year=year), "success")
        return redirect(url_for("admin.targets", year=year, _anchor=f"area-{code}"))
    return render_template("admin/target_form.html", form=form, area=area, year=year, types=TYPES), (
        400 if form.errors else 200
    )


def _page(year: int, form: TargetsFileForm, errors=None):
    return render_template(
        "admin/targets.html",
        year=year,
        areas=choices(),
        targets=services.for_year(year),
        types=TYPES,
        form=form,
        errors=errors or [],
        columns=csvfile.COLUMNS,
    )
