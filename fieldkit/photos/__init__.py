"""Photos as evidence: checked by content, kept or re-encoded without metadata, stored by hash, shown to viewers."""

from flask import Blueprint

bp = Blueprint("photos", __name__)

from fieldkit.photos import views  # noqa: E402,F401
