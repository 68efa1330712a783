"""The activity log for other programs: GeoJSON, and every export format, with the page filters."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.api import bp
from fieldkit.api.describe import errors, query_parameters
from fieldkit.api.errors import ApiError, filter_error
from fieldkit.exports import responses, services
from fieldkit.exports.forms import ExportForm


@bp.get("/activities.geojson")
def activities_geojson():
    """The visible, filtered activities as a GeoJSON FeatureCollection (streamed)."""
    form = _form()
    return responses.activities("geojson", _query(form), form.codes.data, attachment=False)


@bp.get("/export/activities.<fmt>")
def export_activities(fmt: str):
    """The visible, filtered activities as a file in any export format."""
    if fmt not in services.FORMATS:
        raise ApiError(
            404, "not_found", _("No such format. Accepted: %(formats)s.", formats=", ".join(services.FORMATS))
        )
    form = _form()
    return responses.activities(fmt, _query(form), form.codes.data)


def _form() -> ExportForm:
    form = ExportForm(request.args)
    if not form.validate():
        raise filter_error(form)
    return form


def _query(form: ExportForm):
    return services.query(current_user, form.filters(), form.flag_value())


def _parameters() -> list[dict]:
    """The query parameters of both routes, as the form accepts them, and the language of the file."""
    lang = {"type": "string", "enum": ["vi", "en"], "description": "Language of the headers and coded values"}
    parameters = [p for p in query_parameters(ExportForm) if p["name"] != "codes"]
    codes = {
        "type": "string",
        "enum": ["1", "0"],
        "description": "1: machine codes (broadcast, verified, low_accuracy) under the English column names, for "
        "programs; otherwise column names and coded values are words in the language asked for",
    }
    return [
        *parameters,
        {"name": "lang", "in": "query", "schema": lang},
        {"name": "codes", "in": "query", "schema": codes},
    ]


def openapi_paths() -> dict:
    """The OpenAPI paths of the export routes (read by fieldkit.api.openapi)."""
    collection = {
        "type": "object",
        "required": ["type", "features", "fieldkit:missing_position"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": {"type": "object"}},
            "fieldkit:missing_position": {"type": "integer", "minimum": 0},
        },
    }
    geojson = {
        "description": "A FeatureCollection (RFC 7946, [lon, lat]); every property typed. Entries without a position "
        'are features with "geometry": null, counted in the foreign member fieldkit:missing_position. Streamed; no '
        "row limit.",
        "content": {"application/geo+json": {"schema": collection}},
    }
    files = {
        services.FORMATS[fmt].mimetype.split(";")[0]: {"schema": collection if fmt == "geojson" else {"type": "string"}}
        for fmt in services.FORMATS
    }
    return {
        "/activities.geojson": {
            "get": {
                "summary": "The activities the caller may see, filtered, as GeoJSON",
                "parameters": _parameters(),
                "responses": {"200": geojson, **errors(400)},
            }
        },
        "/export/activities.{fmt}": {
            "get": {
                "summary": "The activities the caller may see, filtered, as a file (streamed, no row limit)",
                "description": "csv: UTF-8 with BOM, text that starts with = + - @ tab or CR gets a leading '. "
                "xlsx: dates as dates, numbers as numbers, frozen header with filters, a new sheet every "
                "1,048,575 rows. geojson as /activities.geojson. kml: a placemark per entry (without a Point "
                "when it has no position), styled per type, every field in ExtendedData.",
                "parameters": [
                    {
                        "name": "fmt",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(services.FORMATS)},
                    },
                    *_parameters(),
                ],
                "responses": {
                    "200": {"description": "The file, as an attachment", "content": files},
                    **errors(400, 404),
                },
            }
        },
    }
