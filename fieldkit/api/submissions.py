"""The units' reports over the API: every unit's state for a period, one unit's report, its narrative (PUT),
submit, and the Department's accept and return; the register of role models an entry can name.

Each view parses, makes one call to ``submissions.services``, commits and answers.
"""

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from fieldkit import periods
from fieldkit.api import bp
from fieldkit.api.activities import read_body
from fieldkit.api.describe import errors
from fieldkit.api.errors import ApiError, form_error
from fieldkit.auth.scope import SUPERVISORS, require
from fieldkit.extensions import db
from fieldkit.submissions import role_models, services
from forms import jsondata
from forms.submission import NARRATIVE_FIELDS, NarrativeForm, ReturnForm


@bp.get("/reports/<period>")
@require(*SUPERVISORS)
def list_reports(period: str):
    """Every unit the caller may read, with its state against the due date."""
    chosen = _period(period)
    found = services.overview(current_user, chosen)
    due = services.due_date(chosen).isoformat()
    return jsonify({"period": chosen.key, "due": due, "units": [r.as_dict(full=False) for r in found]})


@bp.get("/reports/<period>/<code>")
@require(*SUPERVISORS)
def get_report(period: str, code: str):
    """One unit's report: numbers (frozen once sent), narrative, state."""
    return _run(lambda chosen: services.open_report(current_user, chosen, code), period, commit=False)


@bp.put("/reports/<period>/<code>")
@require(*SUPERVISORS)
def put_narrative(period: str, code: str):
    """Write the narrative of a report not yet sent, or returned."""
    form = _form(NarrativeForm, NARRATIVE_FIELDS)
    return _run(lambda chosen: services.save_narrative(current_user, chosen, code, form.narrative()), period)


@bp.post("/reports/<period>/<code>/submit")
@require(*SUPERVISORS)
def submit_report(period: str, code: str):
    """Send the report to the Department: its numbers are frozen."""
    return _run(lambda chosen: services.submit(current_user, chosen, code), period)


@bp.post("/reports/<period>/<code>/accept")
@require(*SUPERVISORS)
def accept_report(period: str, code: str):
    """The Department accepts a sent report."""
    return _run(lambda chosen: services.accept(current_user, chosen, code), period)


@bp.post("/reports/<period>/<code>/return")
@require(*SUPERVISORS)
def return_report(period: str, code: str):
    """The Department returns a sent report with a comment."""
    form = _form(ReturnForm, ("comment",))
    return _run(lambda chosen: services.send_back(current_user, chosen, code, form.comment.data), period)


@bp.get("/role-models")
def list_role_models():
    """The role models that talks and media entries can name (role_model_ids)."""
    return jsonify({"items": [model.as_dict() for model in role_models.choices()]})


def _run(action, period: str, commit: bool = True):
    chosen = _period(period)
    try:
        report = action(chosen)
    except services.NotFound:
        raise ApiError(404, "not_found", _("No such reporting unit.")) from None
    except services.NotAllowed:
        raise ApiError(403, "forbidden", _("You may not do this.")) from None
    except services.WrongState as error:
        db.session.rollback()
        raise ApiError(409, "state", error.message, error.fields) from None
    except StaleDataError:
        db.session.rollback()
        raise ApiError(409, "stale", _("The report was changed meanwhile; look again.")) from None
    if commit:
        db.session.commit()
    return jsonify(report.as_dict())


def _form(form_class, names: tuple[str, ...]):
    try:
        form = form_class(formdata=jsondata.to_formdata(jsondata.parse(read_body()), names), meta={"csrf": False})
    except jsondata.JSONInputError as error:
        raise ApiError(400, "invalid", error.message, error.fields) from None
    if not form.validate():
        raise form_error(form)
    return form


def _period(text: str) -> periods.Period:
    try:
        return periods.parse(text)
    except periods.PeriodError as error:
        raise ApiError(400, "invalid", error.message, {"period": [error.message]}) from None


TEXT = {"type": "string"}
NULLABLE = {"type": ["string", "null"]}
STATES = ["not_started", "draft", "submitted", "late", "accepted", "returned"]
UNIT = {
    "type": "object",
    "required": ["code", "kind", "name"],
    "properties": {"code": TEXT, "kind": {"enum": ["area", "org"]}, "name": TEXT},
}
CHANGES = {
    "type": ["object", "null"],
    "description": "for a sent or accepted report: entries in its scope changed since it was sent (else null)",
    "properties": {k: {"type": "integer", "minimum": 0} for k in ("changed", "removed", "added")},
}
STATUS_PROPERTIES = {
    "period": TEXT,
    "unit": UNIT,
    "state": {"enum": STATES},
    "due": {"type": "string", "format": "date"},
    "submitted_at": NULLABLE,
    "submitted_by": NULLABLE,
    "reviewed_at": NULLABLE,
    "review_comment": TEXT,
    "submitted_late": {"type": "boolean"},
    "changed_since_submitted": CHANGES,
}
STATUS = {"type": "object", "required": list(STATUS_PROPERTIES), "properties": STATUS_PROPERTIES}
NARRATIVE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {name: {"type": "string", "maxLength": 20_000} for name in NARRATIVE_FIELDS},
}
LINE = {
    "type": "object",
    "required": ["label", "activities"],
    "properties": {
        "label": {"type": "string", "description": "an activity type, or empty for the sum row"},
        **{k: {"type": ["integer", "null"]} for k in ("activities", "items", "people", "poor", "near_poor")},
        "target": {"type": ["integer", "null"]},
        "year_to_date": {"type": "integer"},
    },
}
REPORT = {
    "type": "object",
    "required": [*STATUS_PROPERTIES, "narrative", "figures", "frozen"],
    "properties": {
        **STATUS_PROPERTIES,
        "narrative": {**NARRATIVE, "required": list(NARRATIVE_FIELDS)},
        "frozen": {"type": "boolean", "description": "true once sent: figures are the snapshot sent"},
        "figures": {
            "type": "object",
            "required": ["lines", "role_models"],
            "properties": {
                "lines": {"type": "array", "items": LINE, "description": "the sum row, then one per form"},
                "role_models": {"type": "integer", "minimum": 0},
                "role_model_ids": {"type": "array", "items": {"type": "integer"}},
            },
        },
    },
}


def openapi_paths() -> dict:
    """The OpenAPI paths of the reports' workflow (read by fieldkit.api.openapi)."""
    period = {"name": "period", "in": "path", "required": True, "schema": {"type": "string", "example": "2025-Q4"}}
    unit = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 20}}
    one = {"200": {"description": "The report", "content": {"application/json": {"schema": REPORT}}}}

    def action(summary: str, body: dict | None = None, refused=(400, 403, 404, 409)) -> dict:
        operation = {"summary": summary, "parameters": [period, unit], "responses": {**one, **errors(*refused)}}
        if body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        return operation

    comment = {
        "type": "object",
        "additionalProperties": False,
        "required": ["comment"],
        "properties": {"comment": {"type": "string", "minLength": 1, "maxLength": 2000}},
    }
    listing = {
        "type": "object",
        "required": ["period", "due", "units"],
        "properties": {
            "period": TEXT,
            "due": {"type": "string", "format": "date"},
            "units": {"type": "array", "items": STATUS},
        },
    }
    models = {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"type": "object"}}},
    }
    return {
        "/reports/{period}": {
            "get": {
                "summary": "Every reporting unit the caller may read, with its state (supervisors)",
                "description": "A period is a year (2025), a quarter (2025-Q4) or a month (2025-11). A report is late "
                "when it is not sent FIELDKIT_REPORT_DUE_DAYS (5) days after the period ends.",
                "parameters": [period],
                "responses": {
                    "200": {"description": "The units", "content": {"application/json": {"schema": listing}}},
                    **errors(400, 403),
                },
            }
        },
        "/reports/{period}/{code}": {
            "get": action("One unit's report: numbers, narrative, state", refused=(400, 403, 404)),
            "put": action("Write the narrative (the unit's own reporter; not once sent, unless returned)", NARRATIVE),
        },
        "/reports/{period}/{code}/submit": {
            "post": action("Send the report: its numbers are frozen (the unit's own reporter)"),
        },
        "/reports/{period}/{code}/accept": {
            "post": action("Accept a sent report (the Department: a city-wide supervisor)"),
        },
        "/reports/{period}/{code}/return": {
            "post": action("Return a sent report with a comment (the Department)", comment),
        },
        "/role-models": {
            "get": {
                "summary": "The register of role models that talks and media entries can name",
                "responses": {
                    "200": {"description": "The models", "content": {"application/json": {"schema": models}}},
                    **errors(),
                },
            }
        },
    }
