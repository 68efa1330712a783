"""The OpenAPI description of the banner routes (read by fieldkit.api.openapi), the inspection schema read off
its form class so that the two cannot disagree."""

from fieldkit.api.describe import errors, field_schema, query_parameters
from fieldkit.vocabulary import BANNER_STATES, INSPECTION_FLAGS
from forms.inspection import FIELD_NAMES, BannerListForm, InspectionForm
from forms.photo import PhotoHintsForm

UTC_TIME = {"type": ["string", "null"], "format": "date-time"}
NUMBER = {"type": ["number", "null"]}
STATES = {"type": "string", "enum": list(BANNER_STATES)}
PHOTO = {
    "type": "object",
    "required": ["index", "sha256", "width", "height"],
    "properties": {
        "index": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
}


def _inspection_schemas() -> tuple[dict, dict]:
    form = InspectionForm(formdata=None, meta={"csrf": False})
    properties = {name: field_schema(form[name]) for name in FIELD_NAMES}
    properties["uuid"].update(format="uuid")
    properties["state"] = {**STATES, "description": str(form.state.label.text)}
    request_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["uuid", "state", "observed_at"],
        "properties": properties,
    }
    answer = {
        "type": "object",
        "required": ["uuid", "banner", "state", "observed_at", "received_at", "flags", "photos", "inspector"],
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "banner": {"type": "string"},
            "state": STATES,
            "observed_at": {"type": "string", "format": "date-time", "description": "with the phone's offset"},
            "received_at": {"type": "string", "format": "date-time"},
            "lat": NUMBER,
            "lon": NUMBER,
            "accuracy_m": NUMBER,
            "location_source": {"type": "string"},
            "distance_m": {**NUMBER, "description": "metres from the banner's own position"},
            "note": {"type": "string"},
            "inspector": {"type": "string"},
            "flags": {"type": "array", "items": {"type": "string", "enum": list(INSPECTION_FLAGS)}},
            "photos": {"type": "array", "items": PHOTO},
        },
    }
    return request_schema, answer


BANNER = {
    "type": "object",
    "required": ["code", "activity_uuid", "state", "installed_at", "inspection_due", "removal_overdue"],
    "properties": {
        "code": {"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{6}$"},
        "activity_uuid": {"type": "string", "format": "uuid"},
        "ordinal": {"type": "integer", "minimum": 1},
        "kind": {"type": "string"},
        "message": {"type": "string"},
        "size_m2": NUMBER,
        "lat": NUMBER,
        "lon": NUMBER,
        "area_code": {"type": ["string", "null"]},
        "area_name": {"type": ["string", "null"]},
        "installed_at": {"type": "string", "format": "date-time"},
        "remove_by": {"type": ["string", "null"], "format": "date"},
        "state": STATES,
        "state_observed_at": UTC_TIME,
        "last_inspected_at": UTC_TIME,
        "inspections_count": {"type": "integer", "minimum": 0},
        "inspection_due": {"type": "boolean"},
        "removal_overdue": {"type": "boolean"},
        "inspections": {"type": "array", "items": {"$ref": "#/components/schemas/Inspection"}},
    },
}


def schemas() -> dict:
    """The components this part adds."""
    request_schema, answer = _inspection_schemas()
    return {"Banner": BANNER, "InspectionIn": request_schema, "Inspection": answer}


def openapi_paths() -> dict:
    """The OpenAPI paths of the banner routes."""
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    uuid = {"name": "uuid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    number = {"name": "n", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0, "maximum": 4}}
    ref = lambda name: {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}  # noqa: E731
    page = {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Banner"}},
            "next": {"type": ["string", "null"], "description": "pass back as ?cursor= for the following page"},
        },
    }
    stored_photo = {
        "type": "object",
        "required": ["photo", "photos"],
        "properties": {"photo": PHOTO, "photos": {"type": "array", "items": PHOTO}},
    }
    return {
        "/banners": {
            "get": {
                "summary": "Banners the caller may see (state, commune, due: inspection | removal), a page at a time",
                "description": "Due an inspection: not removed and neither inspected nor put up within "
                "FIELDKIT_BANNER_INSPECT_DAYS (30). Removal overdue: past its remove-by date and not removed.",
                "parameters": query_parameters(BannerListForm),
                "responses": {
                    "200": {"description": "A page", "content": {"application/json": {"schema": page}}},
                    **errors(400),
                },
            }
        },
        "/banners/{code}": {
            "get": {
                "summary": "One banner with its inspections, newest observation first",
                "description": "The code as printed on its label; lower case, dashes and O for 0 are read too.",
                "parameters": [code],
                "responses": {"200": {"description": "The banner", "content": ref("Banner")}, **errors(404)},
            }
        },
        "/banners/{code}/inspections": {
            "post": {
                "summary": "Record an inspection (append-only, idempotent on uuid)",
                "description": "Officers and supervisors who see the banner. The same uuid and content again "
                "answers 200; the uuid with other content 409. The banner's state is that of its latest inspection "
                "by observed_at: one that arrives late never overrides a newer one.",
                "parameters": [code],
                "requestBody": {"required": True, "content": ref("InspectionIn")},
                "responses": {
                    "201": {"description": "Stored", "content": ref("Inspection")},
                    "200": {"description": "Already stored with the same content", "content": ref("Inspection")},
                    **errors(400, 403, 404, 409, 413),
                },
            }
        },
        "/banners/{code}/inspections/{uuid}/photos/{n}": {
            "put": {
                "summary": "Store photo n (0–4) of an own inspection; the body is the image itself",
                "description": "As an entry's photo (same checks and storage). The same bytes again answer 200; "
                "other bytes at a number already used 409 (inspections are append-only).",
                "parameters": [code, uuid, number, *query_parameters(PhotoHintsForm)],
                "requestBody": {
                    "required": True,
                    "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": {
                    "201": {"description": "Stored", "content": {"application/json": {"schema": stored_photo}}},
                    "200": {"description": "Already stored", "content": {"application/json": {"schema": stored_photo}}},
                    **errors(400, 403, 404, 409, 413, 507),
                },
            }
        },
    }
