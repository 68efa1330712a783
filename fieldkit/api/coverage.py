"""GET /api/v1/coverage: the numbers of the /coverage page, as JSON (DESIGN §6)."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.activities import coverage as services
from fieldkit.activities.bodies import by_body
from fieldkit.activity_types import ActivityType
from fieldkit.api import bp
from fieldkit.api.errors import ApiError, filter_error
from fieldkit.coverage import period
from forms.filters import FiltersForm


@bp.get("/coverage")
def coverage():
    """Each commune in the caller's scope, and the totals, for the filters (default: the last 90 days)."""
    if not current_user.is_supervisor:
        raise ApiError(403, "forbidden", _("Coverage is for supervisors."))
    form = FiltersForm(request.args)
    if not form.validate():
        raise filter_error(form)
    filters, span = period.complete(form.filters(), period.today(current_app.config["FIELDKIT_TIMEZONE"]))
    result = services.compute(current_user, filters)
    return jsonify(
        {
            "period": {"from": span.start.isoformat(), "to": span.end.isoformat(), "default": span.default},
            "areas": [area.as_dict() for area in result.areas],
            "totals": result.totals.as_dict(),
            "bodies": [line.as_dict() for line in by_body(current_user, filters)],
        }
    )


_COUNTS = {"type": "object", "properties": {t.value: {"type": "integer"} for t in ActivityType}}
_FRACTION = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_NUMBERS = {
    "households": {"type": ["integer", "null"]},
    "poor_households": {"type": ["integer", "null"]},
    "near_poor_households": {"type": ["integer", "null"]},
    "poverty_rate": _FRACTION,
    "multidimensional_rate": _FRACTION,
    "activities": _COUNTS,
    "households_reached": {"type": "integer", "description": "poor + near-poor households reached"},
    "reach": {**_FRACTION, "description": "min(1, households_reached / (poor + near-poor households))"},
    "gap_score": {**_FRACTION, "description": "multidimensional_rate × (1 − reach)"},
    "last_activity": {"type": ["string", "null"], "format": "date-time"},
    "items": {"type": "integer", "description": "banners, leaflet copies, broadcast sessions, media items"},
    "people": {"type": "integer", "description": "talk participants and households given leaflets"},
    "poor_households_reached": {"type": "integer"},
    "near_poor_households_reached": {"type": "integer"},
    "illustrative": {"type": ["boolean", "null"], "description": "the statistics are illustrative, not official"},
}
SCHEMA = {
    "type": "object",
    "required": ["period", "areas", "totals", "bodies"],
    "properties": {
        "period": {
            "type": "object",
            "properties": {
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "default": {"type": "boolean", "description": "true when neither from nor to was given"},
            },
        },
        "areas": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"type": "string"},
                    "approximate": {"type": "boolean", "description": "the boundary is approximate"},
                    **_NUMBERS,
                },
            },
        },
        "bodies": {
            "type": "array",
            "description": "Per implementing body whose entries match (the body kept when each was recorded); "
            "code null: entries recorded without a body",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": ["string", "null"]},
                    "kind": {"type": ["string", "null"]},
                    "activities": _COUNTS,
                    "items": {"type": "integer"},
                    "people": {"type": "integer"},
                    "households_reached": {"type": "integer"},
                    "poor_households_reached": {"type": "integer"},
                    "near_poor_households_reached": {"type": "integer"},
                    "communes": {"type": "integer", "description": "communes where its entries lie"},
                    "spent_vnd": {"type": "integer", "description": "the cost its entries state, whole đồng"},
                    "last_activity": {"type": ["string", "null"], "format": "date-time"},
                },
            },
        },
        "totals": {
            "type": "object",
            "description": "Sums over the communes; statistics, reach and gap score over those with statistics",
            "properties": {
                **_NUMBERS,
                "communes": {"type": "integer"},
                "communes_without_activity": {"type": "integer"},
            },
        },
    },
}
