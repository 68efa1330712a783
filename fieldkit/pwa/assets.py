"""Content hashes of the static files the phone keeps offline, computed once when the app starts.

Each file is linked as /static/<file>?v=<hash>, so the service worker may serve it from its cache for ever; the
service worker's version is derived from these hashes, so a deploy that changes any of them installs a new one.
"""

import hashlib
import os
from dataclasses import dataclass, field

from flask import Flask, current_app, request, url_for

# Everything the officer pages load, kept by the service worker when it installs.
OFFLINE_FILES = (
    "css/app.css",
    "css/outbox.css",
    "css/form-map.css",
    "js/exif.js",
    "js/outbox-store.js",
    "js/outbox-sync.js",
    "js/outbox-changes.js",
    "js/outbox-photos.js",
    "js/outbox.js",
    "js/outbox-page.js",
    "js/place-offline.js",
    "js/form-map.js",
    "js/activity-form.js",
    "js/outbox-form.js",
    "js/layout.js",
    "js/logout-guard.js",
    "js/form-rules.js",
    "js/drafts.js",
    "js/photo-picker.js",
    "js/outbox-edits.js",
    "js/outbox-inspection.js",
    "js/qr-scan.js",
    "js/inspection-form.js",
    "css/banners.css",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-512.png",
)
# Versioned like the offline files, but kept only when a page first loads them: jsQR (60 KB compressed, the label
# decoder for browsers without BarcodeDetector) would take the first visit past its 150 KB; the body search of
# the supervisors' filters.
KEPT_ON_USE = ("js/jsqr/jsQR.js", "js/choice-search.js")
# Templates whose change must also reach phones that already installed the service worker.
VERSIONED_TEMPLATES = ("pwa/sw.js", "pwa/offline.html")
EXTENSION = "fieldkit.pwa"
YEAR = 365 * 24 * 3600


@dataclass
class Assets:
    """The hashes of the offline files and the version they make."""

    hashes: dict[str, str] = field(default_factory=dict)
    version: str = ""


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def scan(app: Flask) -> Assets:
    """Hash the offline files and the service worker's templates; store and return the result."""
    found = Assets()
    combined = hashlib.sha256()
    for name in OFFLINE_FILES + KEPT_ON_USE:
        path = os.path.join(app.static_folder, name)
        found.hashes[name] = _digest(path) if os.path.exists(path) else "missing"
        combined.update(f"{name}={found.hashes[name]}\n".encode())
    for name in VERSIONED_TEMPLATES:
        source = app.jinja_loader.get_source(app.jinja_env, name)[0]
        combined.update(f"{name}={hashlib.sha256(source.encode()).hexdigest()}\n".encode())
    found.version = combined.hexdigest()[:12]
    app.extensions[EXTENSION] = found
    return found


def current() -> Assets:
    """Return this app's scanned assets."""
    return current_app.extensions[EXTENSION]


def url(filename: str) -> str:
    """The URL of a static file with its content hash, for the files the phone keeps offline."""
    digest = current().hashes.get(filename)
    return url_for("static", filename=filename, v=digest) if digest else url_for("static", filename=filename)


def offline_urls() -> list[str]:
    """The versioned URLs of every offline file, for the service worker's precache."""
    return [url(name) for name in OFFLINE_FILES]


def cache_versioned(response):
    """Let browsers keep a static file asked for by its current hash for a year; other copies are revalidated."""
    if request.endpoint == "static" and response.status_code == 200:
        name = (request.view_args or {}).get("filename")
        if request.args.get("v") and request.args["v"] == current().hashes.get(name):
            keep_for_a_year(response)
    return response


def keep_for_a_year(response) -> None:
    """Let browsers keep what was asked for by its content hash for a year, without asking again."""
    response.cache_control.no_cache = None
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
