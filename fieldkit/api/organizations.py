"""GET /api/v1/organizations: the implementing bodies, whose codes the ``org`` filter takes."""

from flask import jsonify, request

from fieldkit.api import bp
from fieldkit.api.errors import form_error
from fieldkit.organizations import services
from fieldkit.vocabulary import ORG_KINDS
from forms.filters import OrganizationsForm


@bp.get("/organizations")
def list_organizations():
    """Every body (of one kind, holding the words of q, if asked): departments, mass organisations, press, then
    commune committees; the first ``limit`` of them when asked (a search as one types)."""
    form = OrganizationsForm(formdata=request.args)
    if not form.validate():
        raise form_error(form)
    bodies = services.found(form.kind.data, form.q.data)[: form.limit.data or None]
    return jsonify({"items": [services.as_dict(body) for body in bodies]})


_TEXT = {"type": "string"}
SCHEMA = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name_vi", "name_en", "kind", "area_code", "active"],
                "properties": {
                    "code": {**_TEXT, "description": "what the org filter takes; a commune committee: UBND-<code>"},
                    "name_vi": _TEXT,
                    "name_en": _TEXT,
                    "kind": {"type": "string", "enum": list(ORG_KINDS)},
                    "area_code": {"type": ["string", "null"], "description": "a commune committee's commune"},
                    "active": {"type": "boolean", "description": "false: no longer offered for new accounts"},
                },
            },
        }
    },
}
