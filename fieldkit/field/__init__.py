"""The officer's pages: home, record an activity, my entries, one entry."""

from flask import Blueprint

bp = Blueprint("field", __name__)

from fieldkit.field import views  # noqa: E402,F401
