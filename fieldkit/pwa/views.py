"""Thin views: the manifest, the service worker, the offline page, the outbox page, its import, a fresh CSRF token."""

from flask import current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from fieldkit.activity_types import TYPES
from fieldkit.auth.scope import require
from fieldkit.extensions import db
from fieldkit.labels import field_label
from fieldkit.models import Role
from fieldkit.negotiate import wants_json
from fieldkit.pwa import assets, bp, kept, services
from forms.activity import FIELD_NAMES
from forms.outbox import ImportForm

STATUS_PATH = "/sw-status"  # answered by the service worker itself, never by the server
THEME = "#9c1c1c"
BACKGROUND = "#f6f7f8"


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: Vietnamese name, icons, standalone, theme colour."""
    icon = {"type": "image/png"}
    body = {
        "name": _("fieldkit – Field activities for poverty reduction"),
        "short_name": "fieldkit",
        "description": _("Record communication activities in the field, with or without a connection."),
        "lang": "vi",
        "start_url": url_for("field.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {**icon, "src": assets.url("icons/icon-192.png"), "sizes": "192x192", "purpose": "any"},
            {**icon, "src": assets.url("icons/icon-512.png"), "sizes": "512x512", "purpose": "any"},
            {**icon, "src": assets.url("icons/maskable-512.png"), "sizes": "512x512", "purpose": "maskable"},
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


OFFICER_PAGES = ("field.home", "field.new_activity", "field.activities", "pwa.outbox", "banners.inspect")


@bp.get("/sw.js")
def service_worker():
    """The service worker, with its version and precache list made from the static files' hashes."""
    found = assets.current()
    source = render_template(
        "pwa/sw.js",
        version=found.version,
        precache=[*assets.offline_urls(), url_for("pwa.offline"), url_for("pwa.manifest")],
        pages=[
            url_for(name)
            for name in ("field.home", "field.new_activity", "field.activities", "pwa.outbox", "banners.inspect")
        ],
        scripts=[
            assets.url(name)
            for name in ("js/outbox-store.js", "js/outbox-sync.js", "js/outbox-changes.js", "js/outbox-inspection.js")
        ],
        offline=url_for("pwa.offline"),
        entries=url_for("pwa.offline_pages"),
        status=STATUS_PATH,
    )
    response = make_response(source)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline-pages")
@require(Role.OFFICER)
def offline_pages():
    """The officer's entries the service worker keeps for use without a connection, with their stamps."""
    response = jsonify({"entries": kept.kept_entries(current_user)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/offline")
def offline():
    """What the phone shows for a page it has not kept while there is no connection."""
    return render_template("pwa/offline.html")


@bp.get("/outbox")
@require()
def outbox():
    """The entries waiting on this phone (read from the browser's storage by the page's script)."""
    types = {kind.value: {"label": str(i.label), "icon": i.icon, "colour": i.colour} for kind, i in TYPES.items()}
    labels = {name: str(field_label(name)) for name in FIELD_NAMES}
    return render_template("pwa/outbox.html", types_json=types, field_labels=labels, form=ImportForm())


@bp.get("/csrf-token")
def csrf_token():
    """A fresh CSRF token and who is logged in, for a phone whose cached page holds an old one."""
    user = current_user.username if current_user.is_authenticated else None
    response = jsonify({"csrf_token": generate_csrf(), "user": user})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/outbox/import", methods=["GET", "POST"])
@require(Role.OFFICER)
def import_file():
    """Take a file of saved entries from any device; each entry is stored once, by its uuid."""
    form, results = ImportForm(), None
    if form.validate_on_submit():
        try:
            entries = _capped(services.read_document(form.file.data.read()))
        except services.ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            results = [services.import_entry(current_user, entry) for entry in entries]
            db.session.commit()
    if request.method == "POST" and wants_json():
        return _json_answer(form, results)
    limit = (current_app.config["MAX_CONTENT_LENGTH"] or 0) // 1_048_576
    return render_template("pwa/import.html", form=form, results=results, limit_mb=limit), 400 if form.errors else 200


def _capped(entries: list) -> list:
    """Refuse a file with more entries than one request should store (each is checked, stored and committed)."""
    limit = current_app.config["FIELDKIT_OUTBOX_MAX_ENTRIES"]
    if len(entries) > limit:
        raise services.ImportFileError(
            _(
                "This file holds %(count)d entries; at most %(limit)d are taken from one file. Send the entries "
                "from the phone's outbox page while connected, or save and upload them in smaller files.",
                count=len(entries),
                limit=limit,
            )
        )
    return entries


def _json_answer(form, results):
    if results is not None:
        return jsonify({"results": [r.as_dict() for r in results], "counts": services.counts(results)})
    fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    return jsonify({"error": "invalid", "message": _("The file was not accepted."), "fields": fields}), 400
