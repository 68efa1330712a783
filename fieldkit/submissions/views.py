"""Thin views: the units' states for a period, one unit's report (write, send, accept, return), the city's
consolidated report as a page and an XLSX workbook."""

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from fieldkit import periods
from fieldkit.extensions import db
from fieldkit.reports import wording as report_wording
from fieldkit.submissions import bp, consolidated, services, units, wording
from forms.submission import NarrativeForm, ReturnForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.context_processor
def helpers() -> dict:
    """Words for the templates."""
    return {"state_label": wording.state_label, "narrative_titles": wording.NARRATIVE, "w": report_wording}


@bp.get("/reports/submissions")
def index():
    """Every unit the user may read, with its state against the due date."""
    period = _period(request.args.get("period") or _last_quarter())
    reports = services.overview(current_user, period)
    state = request.args.get("state") or None  # the list narrowed to one state (the counts stay whole)
    counts = {name: sum(1 for r in reports if r.state == name) for name in wording.STATES}
    return render_template(
        "submissions/index.html",
        period=period,
        reports=[r for r in reports if state is None or r.state == state],
        counts={name: n for name, n in counts.items() if n},
        state=state,
        due=services.due_date(period),
        department=units.is_department(current_user),
    )


@bp.get("/reports/submissions/<period>/<code>")
def unit_report(period: str, code: str):
    """One unit's report: its numbers, its narrative, and what the user may do with it."""
    report = _open(period, code)
    return _page(report, NarrativeForm(data=report.submission.narrative() if report.submission else None), ReturnForm())


@bp.post("/reports/submissions/<period>/<code>")
def write(period: str, code: str):
    """Save the narrative; with ``send`` also submit the report."""
    chosen = _period(period)
    form = NarrativeForm()
    if not form.validate_on_submit():
        return _page(_open(period, code), form, ReturnForm()), 400
    sending = "send" in request.form
    try:
        services.save_narrative(current_user, chosen, code, form.narrative())
        if sending:
            services.submit(current_user, chosen, code)
    except services.WrongState as error:
        db.session.rollback()
        for name, messages in error.fields.items():
            form[name].errors = [*form[name].errors, *messages]
        return _page(_open(period, code), form, ReturnForm(), error.message), 409
    except services.NotFound:
        abort(404)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash(_("The report was sent to the Department.") if sending else _("The report was saved."), "success")
    return redirect(url_for("submissions.unit_report", period=chosen.key, code=code))


@bp.post("/reports/submissions/<period>/<code>/accept")
def accept(period: str, code: str):
    """The Department accepts the report."""
    return _review(
        period, code, lambda chosen: services.accept(current_user, chosen, code), _("The report was accepted.")
    )


@bp.post("/reports/submissions/<period>/<code>/return")
def send_back(period: str, code: str):
    """The Department returns the report with a comment."""
    form = ReturnForm()
    if not form.validate_on_submit():
        return _page(_open(period, code), NarrativeForm(), form), 400
    comment = form.comment.data
    return _review(
        period,
        code,
        lambda chosen: services.send_back(current_user, chosen, code, comment),
        _("The report was returned to the unit."),
    )


@bp.get("/reports/consolidated/<period>")
def city(period: str):
    """The city's report from the accepted reports: totals, each unit's narrative, who has not reported."""
    report = _consolidated(period)
    return render_template(
        "submissions/consolidated.html",
        report=report,
        period_line=wording.period_line(report),
        received_line=wording.received_line(report),
        notes=wording.notes(report),
    )


@bp.get("/reports/consolidated/<period>.xlsx")
def city_xlsx(period: str):
    """The city's consolidated report as an XLSX workbook."""
    report = _consolidated(period)
    from fieldkit.submissions import xlsx  # imported where a workbook is written

    name = f"bao-cao-tong-hop-{report.period.key}.xlsx"
    return send_file(io.BytesIO(xlsx.workbook(report)), mimetype=XLSX, as_attachment=True, download_name=name)


def _review(period: str, code: str, action, done: str):
    chosen = _period(period)
    try:
        action(chosen)
    except services.NotFound:
        abort(404)
    except services.NotAllowed:
        abort(403)
    except (services.WrongState, StaleDataError) as error:
        db.session.rollback()
        flash(str(getattr(error, "message", _("The report was changed meanwhile; look again."))), "error")
        return redirect(url_for("submissions.unit_report", period=chosen.key, code=code))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("submissions.unit_report", period=chosen.key, code=code))


def _consolidated(period: str) -> consolidated.CityReport:
    if current_user.area_code:
        abort(403)  # the city's report is the Department's
    return consolidated.build(current_user, _period(period))


def _open(period: str, code: str) -> services.UnitReport:
    try:
        return services.open_report(current_user, _period(period), code)
    except services.NotFound:
        abort(404)


def _page(report: services.UnitReport, form: NarrativeForm, review: ReturnForm, problem=None):
    return render_template(
        "submissions/report.html",
        report=report,
        form=form,
        review=review,
        problem=problem,
        writer=units.may_write(current_user, report.unit),
        department=units.is_department(current_user),
    )


def _period(text: str) -> periods.Period:
    try:
        return periods.parse(text)
    except periods.PeriodError as error:
        abort(400, description=str(error.message))


def _last_quarter() -> str:
    """The quarter whose reports are due now: the one before today's."""
    today = periods.today(current_app.config["FIELDKIT_TIMEZONE"])
    year, quarter = today.year, (today.month - 1) // 3
    return f"{year - 1}-Q4" if quarter == 0 else f"{year}-Q{quarter}"
