"""Security headers on every response: a Content-Security-Policy with a nonce per page, and HTTPS behind a proxy.

The policy lets a page run only the app's own script files and the inline scripts that carry the page's nonce
(folium's map script); styles may be inline because the pages colour each activity type with a style attribute.
Images may also come from the configured tile server.
"""

import secrets
from urllib.parse import urlsplit

from flask import g
from werkzeug.middleware.proxy_fix import ProxyFix

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "geolocation=(self), camera=(self), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def init_app(app) -> None:
    """Add the headers that every page and API answer carries; trust the configured proxies' X-Forwarded-*."""
    proxies = int(app.config["FIELDKIT_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)
    if app.config["FIELDKIT_HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    images = tile_origin(app.config["FIELDKIT_TILE_URL"])
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", policy(g.get("csp_nonce"), images))
        if app.config["FIELDKIT_HTTPS"]:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def csp_nonce() -> str:
    """The nonce of this response's inline scripts, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def policy(nonce: str | None, tiles: str | None) -> str:
    """The Content-Security-Policy for one response."""
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    images = "'self' data: blob:" + (f" {tiles}" if tiles else "")
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )


def tile_origin(url: str | None) -> str | None:
    """The origin the map's tiles come from, as a CSP source ({s} subdomains become a wildcard); None for own."""
    if not url or url.strip().lower() == "none" or url.startswith("/"):
        return None
    parts = urlsplit(url.strip())
    host = parts.netloc
    if "{s}" in host:  # a.tile…, b.tile…: every subdomain of the rest
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"
