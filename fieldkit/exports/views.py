"""/export/activities.<fmt> and /export/photos.zip, with the same filters as the pages."""

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.auth.scope import require
from fieldkit.exports import bp, responses, services
from fieldkit.exports.forms import ExportForm


@bp.get("/activities.<fmt>")
@require()
def activities(fmt: str):
    """The activities the user may see, filtered, in the format asked for."""
    if fmt not in services.FORMATS:
        abort(404)
    form = _form()
    return responses.activities(fmt, _query(form), form.codes.data)


@bp.get("/photos.zip")
@require()
def photos():
    """The filtered log with its photos, as a ZIP."""
    form = _form()
    return responses.photos_zip(_query(form), form.codes.data)


def _form() -> ExportForm:
    form = ExportForm(request.args)
    if not form.validate():
        summary = "; ".join(f"{name}: {messages[0]}" for name, messages in form.public_errors().items())
        abort(400, description=_("Invalid filter — %(summary)s", summary=summary))
    return form


def _query(form: ExportForm):
    return services.query(current_user, form.filters(), form.flag_value())
