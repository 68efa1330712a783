"""Photos as evidence: checked by content, re-encoded, stored by hash, served only to who may see them."""

from flask import Blueprint

bp = Blueprint("photos", __name__)

from fieldkit.photos import views  # noqa: E402,F401
