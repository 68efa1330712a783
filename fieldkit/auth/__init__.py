"""Logging in and out, sessions, API tokens, and who may see what."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from fieldkit.auth import signin, views  # noqa: E402,F401
