"""/api/v1/openapi.json, with the activity schema read off the form class so the two cannot disagree."""

from flask import jsonify
from wtforms import IntegerField, SelectField
from wtforms.validators import Length, NumberRange

from fieldkit.activity_types import TYPES
from fieldkit.api import bp
from fieldkit.api.coverage import SCHEMA as COVERAGE
from fieldkit.api.exports import openapi_paths as export_paths
from forms.activity import FIELD_NAMES, ActivityForm
from forms.fields import FiniteFloatField, OffsetDateTimeField

ERROR = {
    "type": "object",
    "required": ["error", "message", "fields"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}
PHOTO = {
    "type": "object",
    "properties": {
        "index": {"type": "integer"},
        "sha256": {"type": "string"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
}


def field_schema(field) -> dict:
    """Describe one form field as a JSON Schema property."""
    if isinstance(field, IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, FiniteFloatField):
        schema = {"type": "number"}
    elif isinstance(field, OffsetDateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, SelectField):
        schema = {"type": "string", "enum": [choice.value for choice in field.choices if choice.value]}
    else:
        schema = {"type": "string"}
    for validator in field.validators:
        if isinstance(validator, NumberRange):
            schema.update(minimum=validator.min, maximum=validator.max)
        if isinstance(validator, Length) and validator.max > 0:
            schema["maxLength"] = validator.max
    schema["description"] = str(field.label.text)
    return schema


def activity_schemas() -> tuple[dict, dict]:
    """The schema of what a client sends, and of what the server answers."""
    form = ActivityForm(formdata=None, meta={"csrf": False})
    properties = {name: field_schema(form[name]) for name in FIELD_NAMES}
    properties["uuid"].update(format="uuid")
    request_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["uuid", "type", "occurred_at"],
        "properties": properties,
        "description": "Each type's own fields: "
        + "; ".join(f"{kind.value}: {', '.join(info.fields)}" for kind, info in TYPES.items()),
    }
    nullable = {name: {**schema, "type": [schema["type"], "null"]} for name, schema in properties.items()}
    response_schema = {
        "type": "object",
        "properties": {
            **nullable,
            "area_code": {"type": ["string", "null"]},
            "area_name": {"type": ["string", "null"]},
            "officer": {"type": "string"},
            "received_at": {"type": "string"},
            "status": {"type": "string"},
            "review_comment": {"type": "string"},
            "flags": {"type": "array", "items": {"type": "string"}},
            "photos": {"type": "array", "items": PHOTO},
        },
    }
    return request_schema, response_schema


def _json(schema_ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


def _answer(description: str, ref: str) -> dict:
    return {"description": description, "content": _json(ref)}


ERRORS = {
    str(code): _answer(text, "Error")
    for code, text in ((400, "Invalid input"), (401, "Not logged in"), (403, "Not allowed"), (404, "Not found"))
}


def document() -> dict:
    """Return the OpenAPI 3.1 document."""
    request_schema, response_schema = activity_schemas()
    uuid_param = {"name": "uuid", "in": "path", "required": True, "schema": {"type": "string"}}
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
                    "requestBody": {"required": True, "content": _json("ActivityIn")},
                    "responses": {
                        "201": _answer("Stored", "Activity"),
                        "200": _answer("Already stored with the same content", "Activity"),
                        "409": _answer("The uuid is stored with other content", "Error"),
                        "413": _answer("Body too large", "Error"),
                        **ERRORS,
                    },
                },
                "get": {
                    "summary": "Activities the caller may see, newest first",
                    "parameters": [
                        {"name": n, "in": "query", "schema": {"type": "string"}}
                        for n in ("from", "to", "type", "area", "officer", "status", "cursor", "limit")
                    ],
                    "responses": {
                        "200": {
                            "description": "A page",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "items": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Activity"},
                                            },
                                            "next": {"type": ["string", "null"]},
                                        },
                                    }
                                }
                            },
                        },
                        **ERRORS,
                    },
                },
            },
            "/activities/{uuid}": {
                "get": {
                    "summary": "One activity with its photo receipt",
                    "parameters": [uuid_param],
                    "responses": {"200": _answer("The activity", "Activity"), **ERRORS},
                }
            },
            "/activities/{uuid}/photos/{n}": {
                "put": {
                    "summary": "Store photo n (0–4); the body is the image itself",
                    "parameters": [
                        uuid_param,
                        {
                            "name": "n",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 0, "maximum": 4},
                        },
                        {"name": "taken_at", "in": "query", "schema": {"type": "string"}},
                        {"name": "photo_lat", "in": "query", "schema": {"type": "number"}},
                        {"name": "photo_lon", "in": "query", "schema": {"type": "number"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "responses": {
                        "201": {"description": "Stored"},
                        "200": {"description": "Already stored"},
                        "413": _answer("Photo too large", "Error"),
                        **ERRORS,
                    },
                }
            },
            "/areas": {
                "get": {
                    "summary": "Communes as a GeoJSON FeatureCollection",
                    "responses": {"200": {"description": "FeatureCollection"}},
                }
            },
            "/areas/locate": {
                "get": {
                    "summary": "The commune of a point",
                    "parameters": [
                        {"name": n, "in": "query", "required": True, "schema": {"type": "number"}}
                        for n in ("lat", "lon")
                    ],
                    "responses": {"200": {"description": "The commune"}, **ERRORS},
                }
            },
            "/coverage": {
                "get": {
                    "summary": "Per commune: activities, households reached, reach and gap score (DESIGN §5)",
                    "description": "Supervisors only; a commune supervisor gets their commune. Without from and to, "
                    "the last 90 days up to today (Asia/Ho_Chi_Minh dates).",
                    "parameters": [
                        {"name": n, "in": "query", "schema": {"type": "string", **({"format": "date"} if d else {})}}
                        for n, d in (
                            ("from", True),
                            ("to", True),
                            ("type", False),
                            ("area", False),
                            ("officer", False),
                            ("status", False),
                        )
                    ],
                    "responses": {"200": _answer("Coverage for the period", "Coverage"), **ERRORS},
                }
            },
            **export_paths(),
        },
    }


@bp.get("/openapi.json")
def openapi():
    """Serve the API description."""
    return jsonify(document())
