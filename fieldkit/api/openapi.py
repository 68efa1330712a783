"""/api/v1/openapi.json, with the activity schema read off the form class so the two cannot disagree."""

from flask import jsonify

from fieldkit.activity_types import TYPES
from fieldkit.api import banner_schema, bp
from fieldkit.api.coverage import SCHEMA as COVERAGE
from fieldkit.api.describe import ERROR, errors, field_schema, query_parameters
from fieldkit.api.exports import openapi_paths as export_paths
from fieldkit.api.organizations import SCHEMA as ORGANIZATIONS
from fieldkit.api.submissions import openapi_paths as report_paths
from fieldkit.models import ActivityStatus
from fieldkit.vocabulary import LOCATION_SOURCES, Flag
from forms.activity import COMMON_FIELDS, FIELD_NAMES, ActivityForm
from forms.filters import FiltersForm, OrganizationsForm
from forms.photo import PhotoHintsForm
from forms.point import PointForm

PHOTO = {
    "type": "object",
    "required": ["index", "sha256", "width", "height"],
    "properties": {
        "index": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "of the bytes as sent"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
}
STORED_PHOTO = {
    "type": "object",
    "required": ["photo", "photos"],
    "properties": {
        "photo": PHOTO,
        "photos": {"type": "array", "items": PHOTO, "description": "every photo the server holds for the entry"},
    },
}
NULLABLE_TEXT = {"type": ["string", "null"]}
ROLE_MODEL_IDS = {
    "type": "array",
    "items": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    "maxItems": 20,
    "description": "talk and media only: the role models (GET /role-models ids) the activity promoted",
}
AREAS = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "string"},
                    "geometry": {"type": "object", "description": "GeoJSON Polygon or MultiPolygon, [lon, lat]"},
                    "properties": {
                        "type": "object",
                        "required": ["code", "name", "kind"],
                        "properties": {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "kind": {"type": "string"},
                            "approximate": {"type": ["boolean", "null"]},
                            "year": {"type": ["integer", "null"]},
                            "households": {"type": ["integer", "null"]},
                            "poor_households": {"type": ["integer", "null"]},
                            "near_poor_households": {"type": ["integer", "null"]},
                            "poverty_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                            "multidimensional_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                            "illustrative": {"type": ["boolean", "null"]},
                        },
                    },
                },
            },
        },
    },
}
LOCATED = {
    "type": "object",
    "required": ["code", "name", "distance_m"],
    "properties": {
        "code": NULLABLE_TEXT,
        "name": NULLABLE_TEXT,
        "distance_m": {"type": ["number", "null"], "minimum": 0, "description": "0 inside; null: no commune near"},
    },
}
OUTLINES = {
    "type": "object",
    "required": ["version", "scope", "tolerance_m", "areas"],
    "description": "The user's commune and those around it (every commune for a user without one), simplified to "
    "about 2 m; rings are flat lists [lon, lat, lon, lat, …]. Revalidate with If-None-Match: 304 when unchanged.",
    "properties": {
        "version": {"type": "string"},
        "scope": NULLABLE_TEXT,
        "tolerance_m": {"type": "number", "minimum": 0},
        "areas": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "bbox", "label", "polygons"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
                    "label": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                    "polygons": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
                    },
                },
            },
        },
    },
}
EXAMPLE = {
    "uuid": "0b6f8a1e-5d0c-4c47-9a43-7f0b3c2d1e55",
    "type": "talk",
    "occurred_at": "2025-11-20T09:30:00+07:00",
    "lat": 10.0341,
    "lon": 105.788,
    "accuracy_m": 12.5,
    "location_source": "gps",
    "topic": "Tuyên truyền chính sách giảm nghèo",
    "format": "dialogue",
    "participants": 40,
    "poor_members": 5,
    "near_poor_members": 8,
    "women": 20,
}
SERVER_FIELDS = (
    "area_code",
    "area_name",
    "officer",
    "received_at",
    "status",
    "review_comment",
    "flags",
    "photos",
    "version",
)


def activity_schemas() -> tuple[dict, dict]:
    """The schema of what a client sends, and of what the server answers."""
    form = ActivityForm(formdata=None, meta={"csrf": False})
    properties = {name: field_schema(form[name]) for name in FIELD_NAMES}
    properties["uuid"].update(format="uuid")
    properties["location_source"]["description"] = (
        "gps: a GPS fix, with accuracy_m; map: placed on the form's map; typed: typed in; none: no position. "
        "map and typed positions keep no accuracy and are flagged manual_position."
    )
    properties["role_model_ids"] = ROLE_MODEL_IDS
    request_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["uuid", "type", "occurred_at"],
        "properties": properties,
        "description": "Each type's own fields: "
        + "; ".join(f"{kind.value}: {', '.join(info.fields)}" for kind, info in TYPES.items()),
    }
    nullable = {name: _nullable(schema) for name, schema in properties.items()}
    # Entries stored before "photo" was retired still answer it.
    nullable["location_source"] = {**nullable["location_source"], "enum": [*LOCATION_SOURCES, None]}
    response_schema = {
        "type": "object",
        "required": [*COMMON_FIELDS, *SERVER_FIELDS],
        "properties": {
            **nullable,
            "area_code": {"type": ["string", "null"]},
            "area_name": {"type": ["string", "null"]},
            "officer": {"type": "string"},
            "organization": {
                "type": ["string", "null"],
                "description": "the code of the officer's body when the entry was recorded (GET /organizations)",
            },
            "received_at": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": [s.value for s in ActivityStatus]},
            "review_comment": {"type": "string"},
            "flags": {"type": "array", "items": {"type": "string", "enum": [f.value for f in Flag]}},
            "photos": {"type": "array", "items": PHOTO},
            "version": {"type": "integer", "minimum": 1, "description": "send it back with an edit (PUT)"},
        },
    }
    return request_schema, response_schema


def _nullable(schema: dict) -> dict:
    enum = {"enum": [*schema["enum"], None]} if "enum" in schema else {}
    return {**schema, "type": [schema["type"], "null"], **enum}


def _json(schema) -> dict:
    schema = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"application/json": {"schema": schema}}


def _answer(description: str, schema) -> dict:
    return {"description": description, "content": _json(schema)}


def document() -> dict:
    """Return the OpenAPI 3.1 document."""
    request_schema, response_schema = activity_schemas()
    uuid_param = {"name": "uuid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    photo_number = {
        "name": "n",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0, "maximum": 4},
    }
    edit_schema = {
        **request_schema,
        "required": ["type", "occurred_at"],
        "properties": {**request_schema["properties"], "version": {"type": "integer", "minimum": 1}},
    }
    page = {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Activity"}},
            "next": {"type": ["string", "null"], "description": "pass back as ?cursor= for the following page"},
        },
    }
    paging = [
        {"name": "cursor", "in": "query", "schema": {"type": "string", "description": "the 'next' of a page"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "fieldkit API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": {
                "ActivityIn": request_schema,
                "Activity": response_schema,
                "Error": ERROR,
                "Coverage": COVERAGE,
                "Organizations": ORGANIZATIONS,
                **banner_schema.schemas(),
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/activities": {
                "post": {
                    "summary": "Record an activity (idempotent on uuid)",
                    "description": "Field officers only. The body is one JSON object in UTF-8 of at most "
                    "FIELDKIT_MAX_JSON_BYTES (64 KiB). Text is stored in NFC without zero-width characters; "
                    "control characters and bidi overrides or isolates are refused (400, naming the field).",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ActivityIn"), "example": EXAMPLE}},
                    },
                    "responses": {
                        "201": _answer("Stored", "Activity"),
                        "200": _answer("Already stored with the same content", "Activity"),
                        **errors(400, 403, 409, 413),
                    },
                },
                "get": {
                    "summary": "Activities the caller may see, newest first",
                    "parameters": [*query_parameters(FiltersForm), *paging],
                    "responses": {"200": _answer("A page", page), **errors(400)},
                },
            },
            "/activities/{uuid}": {
                "get": {
                    "summary": "One activity with its photo receipt",
                    "parameters": [uuid_param],
                    "responses": {"200": _answer("The activity", "Activity"), **errors(404)},
                },
                "put": {
                    "summary": "Edit an own entry that is not verified yet",
                    "description": "Field officers only: the POST body plus the `version` of the last answer. "
                    "A stale version (`stale`) or a verified entry (`verified`) answers 409; the content as stored "
                    "answers 200 whatever the version (a resent edit). The answer carries version + 1. After an "
                    "edit, a replay of the original POST answers 409 `edited`.",
                    "parameters": [uuid_param],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": edit_schema}}},
                    "responses": {"200": _answer("Stored", "Activity"), **errors(400, 403, 404, 409, 413)},
                },
                "delete": {
                    "summary": "Withdraw an own entry that is not verified yet (again: 204 too)",
                    "description": "Field officers only. The entry leaves every list, map, coverage, export and "
                    "report; it is kept, with the withdrawal in its history. A verified entry answers 409.",
                    "parameters": [uuid_param],
                    "responses": {"204": {"description": "Withdrawn"}, **errors(403, 404, 409)},
                },
            },
            "/activities/{uuid}/photos/{n}": {
                "put": {
                    "summary": "Store photo n (0–4); the body is the image itself",
                    "description": "JPEG, PNG or WebP of at most FIELDKIT_MAX_PHOTO_BYTES (12 MiB), with its image/* "
                    "content type; the query gives what the phone read from the photo's EXIF.",
                    "parameters": [
                        uuid_param,
                        photo_number,
                        *query_parameters(PhotoHintsForm),
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "responses": {
                        "201": _answer("Stored", STORED_PHOTO),
                        "200": _answer("Already stored", STORED_PHOTO),
                        **errors(400, 403, 404, 413, 507),
                    },
                },
                "delete": {
                    "summary": "Remove photo n of an own entry that is not verified yet (again: 204 too)",
                    "description": "Field officers only. The photo's files stay while any entry uses them. A "
                    "verified entry keeps its photos: 403.",
                    "parameters": [uuid_param, photo_number],
                    "responses": {"204": {"description": "Removed, or there was none"}, **errors(400, 403, 404)},
                },
            },
            "/areas": {
                "get": {
                    "summary": "Communes as a GeoJSON FeatureCollection",
                    "responses": {"200": _answer("FeatureCollection", AREAS), **errors()},
                }
            },
            "/areas/outlines": {
                "get": {
                    "summary": "Commune outlines for the phone's small map and for placing a point offline",
                    "responses": {
                        "200": _answer("The outlines", OUTLINES),
                        "304": {"description": "Unchanged since the version given in If-None-Match"},
                        **errors(),
                    },
                }
            },
            "/areas/locate": {
                "get": {
                    "summary": "The commune of a point",
                    "parameters": query_parameters(PointForm),
                    "responses": {"200": _answer("The commune", LOCATED), **errors(400)},
                }
            },
            "/coverage": {
                "get": {
                    "summary": "Per commune: activities, households reached, reach and gap score (DESIGN §5)",
                    "description": "Supervisors only; a commune supervisor gets their commune. Without from and to, "
                    "the last 90 days up to today (Asia/Ho_Chi_Minh dates).",
                    "parameters": query_parameters(FiltersForm),
                    "responses": {"200": _answer("Coverage for the period", "Coverage"), **errors(400, 403)},
                }
            },
            "/organizations": {
                "get": {
                    "summary": "The implementing bodies: departments, mass organisations, press, commune committees",
                    "description": "Their codes are what the `org` filter of every list, map, coverage and export "
                    "takes. `kind` narrows the list to one kind; `q` to the bodies whose code or names hold each of "
                    "its words (without case or tone marks: `hoa binh` finds Hòa Bình); `limit` takes the first so "
                    "many (1–100).",
                    "parameters": query_parameters(OrganizationsForm),
                    "responses": {"200": _answer("The bodies", "Organizations"), **errors(400)},
                }
            },
            **export_paths(),
            **report_paths(),
            **banner_schema.openapi_paths(),
        },
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


@bp.get("/openapi.json")
def openapi():
    """Serve the API description."""
    return jsonify(document())
