"""Supervisors review entries: the queue of flagged and new entries, verify or return with a comment."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from fieldkit.review import views  # noqa: E402,F401
