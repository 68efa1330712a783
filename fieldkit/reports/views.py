"""Thin views: choose a report, see it as a printable page, download it as XLSX."""

import io

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from fieldkit import periods
from fieldkit.areas.services import choices
from fieldkit.reports import bp, services, wording
from forms.report import ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/reports")
def choose():
    """Pick a period and a scope; a valid choice goes to the printable report."""
    day = periods.today(current_app.config["FIELDKIT_TIMEZONE"])
    form = ReportForm(request.args, day, choices(), current_user.area_code)
    if "period" in request.args and form.validate():
        return redirect(url_for("reports.printable", period=form.period.data, area=form.area.data or None))
    return render_template("reports/choose.html", form=form), 400 if form.errors else 200


@bp.get("/reports/<period>")
def printable(period: str):
    """The report as a page to read and print (A4 landscape)."""
    report = _build(period)
    return render_template("reports/print.html", report=report, head=wording.heading(report), w=wording)


@bp.get("/reports/<period>.xlsx")
def download(period: str):
    """The report as an XLSX workbook."""
    from fieldkit.reports.xlsx import workbook  # imported here rather than at start-up

    report = _build(period)
    name = f"bao-cao-{report.period.key}" + (f"-{report.scope.code}" if report.scope else "") + ".xlsx"
    return send_file(io.BytesIO(workbook(report)), mimetype=XLSX, as_attachment=True, download_name=name)


def _build(period: str) -> services.Report:
    try:
        everything = request.args.get("all") in ("1", "true")  # every commune and form row, zeros included
        return services.build(current_user, periods.parse(period), request.args.get("area") or None, everything)
    except periods.PeriodError as error:
        abort(400, description=str(error.message))
    except (services.ScopeError, LookupError):
        abort(404)  # unknown, or outside a commune supervisor's scope: the same answer, as on /coverage/<code>
