"""Configuration: defaults, then instance/config.py, then FIELDKIT_* environment, then test overrides."""

import json
import os

DEFAULT_SECRET_KEY = "dev-only-change-me"  # noqa: S105 — the known value that start-up refuses

DEFAULTS = {
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    "SQLALCHEMY_DATABASE_URI": None,  # filled in from the instance folder
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    "MAX_CONTENT_LENGTH": 60 * 1024 * 1024,  # a form post with five photos
    "FIELDKIT_MAX_JSON_BYTES": 64 * 1024,
    "FIELDKIT_MAX_PHOTO_BYTES": 12 * 1024 * 1024,
    # The phone sends at most 1,600 px (2.6 Mpx); 40 Mpx still takes a desktop upload of a camera's own file
    # (12–33 Mpx for phones' and most cameras' default output) and bounds a decode at 120 MB of RGB.
    "FIELDKIT_MAX_PHOTO_PIXELS": 40_000_000,
    "FIELDKIT_PHOTO_LONG_EDGE": 2048,
    "FIELDKIT_THUMB_LONG_EDGE": 320,
    "FIELDKIT_MAX_PHOTOS": 5,
    # Compressed answers (Flask-Compress) for what is text; photos and ZIPs are compressed already.
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/geo+json",
        "application/vnd.google-earth.kml+xml",
        "text/csv",
        "image/svg+xml",
    ],
    "FIELDKIT_OUTBOX_MAX_ENTRIES": 500,  # entries taken from one outbox file (each is stored and committed alone)
    "FIELDKIT_GPS_ACCURACY_M": 100,  # flag above this; the phone also watches until better than this
    "FIELDKIT_MAX_SPEED_KMH": 120,  # consecutive entries of one officer that imply more are flagged
    "FIELDKIT_AREA_TOLERANCE_M": 200,
    "FIELDKIT_SIGNIN_CODE_HOURS": 24,  # a printed sign-in QR code works once, until this many hours after printing
    "FIELDKIT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "FIELDKIT_PAGE_SIZE": 20,
    "FIELDKIT_REPORT_DUE_DAYS": 5,  # a unit's report is due this many days after its period ends
    "FIELDKIT_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",  # "none": no tiles, communes still show
    "FIELDKIT_TILE_ATTRIBUTION": "© OpenStreetMap contributors",  # plain text, shown on the map
    "FIELDKIT_CHOICES_LISTED_MAX": 300,  # more bodies (a country's commune committees): a search box, not a list
    "FIELDKIT_MAP_MAX_POINTS": 20_000,  # more matching activities: the map shows per-commune totals until zoomed in
    "FIELDKIT_UPLOADS": None,  # instance/uploads by default
    "FIELDKIT_PHOTO_STORAGE": "file",  # or s3://BUCKET/PREFIX (boto3; standard AWS credential variables)
    "FIELDKIT_S3_ENDPOINT_URL": None,  # an S3-compatible server (MinIO, SeaweedFS…); None: AWS itself
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "FIELDKIT_LANGUAGES": ["vi", "en"],
    "FIELDKIT_HTTPS": False,  # True when served over HTTPS: secure cookies, HSTS, https URLs
    "FIELDKIT_PROXIES": 0,  # reverse proxies in front (nginx: 1); their X-Forwarded-For/-Proto are then trusted
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # an officer may keep a form open all day in the field
    # Failed logins, counted in the database (every app server shares them): per account and address, per
    # account from anywhere (looser, so one address cannot lock the owner out), per address.
    "FIELDKIT_LOGIN_LIMIT_PAIR": "5 per minute; 20 per hour",
    "FIELDKIT_LOGIN_LIMIT_ACCOUNT": "30 per minute; 100 per hour",
    "FIELDKIT_LOGIN_LIMIT_ADDRESS": "30 per minute; 200 per hour",
    "FIELDKIT_BANNER_INSPECT_DAYS": 30,  # a standing banner not inspected for this long is due an inspection
    "FIELDKIT_BANNER_FAR_M": 250,  # an inspection recorded farther than this from its banner is flagged
    "FIELDKIT_BANNER_MAX_PER_ENTRY": 200,  # banners tracked for one entry (its quantity beyond stays a count)
}

# Kept under any SQLALCHEMY_ENGINE_OPTIONS given: test a pooled connection before use, so one the database server
# dropped (restart, failover, idle timeout) is replaced instead of failing the request.
ENGINE_OPTIONS = {"pool_pre_ping": True}


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work."""


def load(app, test_config=None) -> None:
    """Fill app.config in the documented order and check it."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _from_environment(app.config)
    else:
        app.config.from_mapping(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "fieldkit.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app.config["SQLALCHEMY_DATABASE_URI"] = _driver_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**ENGINE_OPTIONS, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    if not app.config["FIELDKIT_UPLOADS"]:
        app.config["FIELDKIT_UPLOADS"] = os.path.join(app.instance_path, "uploads")
    _check_secret(app)


def _from_environment(config) -> None:
    """Apply FIELDKIT_* variables (JSON values where they parse) and DATABASE_URL."""
    for name, raw in os.environ.items():
        if not name.startswith("FIELDKIT_") or name.startswith("FIELDKIT_TEST_"):
            continue
        key = name.removeprefix("FIELDKIT_")
        key = key if key in ("SECRET_KEY",) or key in config else name
        try:
            config[key] = json.loads(raw)
        except ValueError:
            config[key] = raw
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]


def _driver_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _check_secret(app) -> None:
    """Refuse to serve real users with a missing or well-known SECRET_KEY."""
    if app.debug or app.testing:
        return
    if app.config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY, "replace-me"):
        raise ConfigError(
            "SECRET_KEY is not set. Set FIELDKIT_SECRET_KEY in the environment, or SECRET_KEY in "
            f"{os.path.join(app.instance_path, 'config.py')}, to a long random value, e.g. the output of: "
            'python -c "import secrets; print(secrets.token_hex(32))"'
        )
