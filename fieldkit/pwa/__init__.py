"""The installable app for officers: manifest, service worker, offline page, the phone's outbox and its import."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from fieldkit.pwa import assets, views  # noqa: E402,F401

# The service worker's version comes from the static files as they are when the app starts (a deploy restarts it).
bp.record_once(lambda state: assets.scan(state.app))
bp.app_context_processor(lambda: {"asset_url": assets.url})
bp.after_app_request(assets.cache_versioned)
