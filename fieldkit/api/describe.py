"""OpenAPI pieces read off the form classes, and the error answers, shared by the API's route descriptions."""

from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, Length, NumberRange

from forms.fields import FiniteFloatField, OffsetDateTimeField

ERROR = {
    "type": "object",
    "required": ["error", "message", "fields"],
    "additionalProperties": False,
    "properties": {
        "error": {"type": "string", "description": "A code: invalid, bad_content_type, too_large, unauthorized, …"},
        "message": {"type": "string", "description": "What went wrong, in the caller's language"},
        "fields": {
            "type": "object",
            "description": "Per field sent: what is wrong with it and what is accepted",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
ERROR_STATUSES = {
    400: "Invalid input: `fields` names each refused field and says what is accepted",
    401: "Not logged in, or the bearer token is unknown, revoked or its user deactivated",
    403: "Not allowed to this user",
    404: "Not found, or not visible to this user",
    409: "The uuid is already stored with other content",
    413: "The body is over the limit the message names (by default 64 KiB for JSON, 12 MiB for a photo)",
    500: "Unexpected server error",
    503: "The database or the photo storage is not answering; try again after Retry-After seconds",
    507: "The photo storage is full; try again later",
}
ALWAYS = (401, 500, 503)  # every operation behind the login may answer these


def errors(*codes: int) -> dict:
    """The OpenAPI responses of these error statuses (and those of ALWAYS), each with the error body."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {str(code): {"description": ERROR_STATUSES[code], "content": content} for code in sorted({*codes, *ALWAYS})}


def field_schema(field) -> dict:
    """Describe one form field as a JSON Schema property."""
    if isinstance(field, IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, FiniteFloatField):
        schema = {"type": "number"}
    elif isinstance(field, OffsetDateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, DateField):
        schema = {"type": "string", "format": "date"}
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


def query_parameters(form_class) -> list[dict]:
    """The query parameters a filter form reads, under the names the URL uses."""
    form = form_class(MultiDict(), meta={"csrf": False})
    public = {"date_from": "from", "date_to": "to"}
    return [
        {
            "name": public.get(field.name, field.name),
            "in": "query",
            "required": any(isinstance(v, InputRequired) for v in field.validators),
            "schema": field_schema(field),
        }
        for field in form
    ]
