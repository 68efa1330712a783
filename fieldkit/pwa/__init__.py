"""The installable app for officers: manifest, service worker, offline page, the phone's outbox and its import."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from fieldkit.pwa import assets, views  # noqa: E402,F401

# The service worker's version comes from the static files as they are when the app starts (a deploy restarts it).
bp.record_once(lambda state: assets.scan(state.app))
# A global, not a context variable: macros imported without context (the filter partials) link files too.
bp.record_once(lambda state: state.app.jinja_env.globals.update(asset_url=assets.url))
bp.after_app_request(assets.cache_versioned)
