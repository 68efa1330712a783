"""Exports of the activity log: CSV, XLSX, GeoJSON, KML and a ZIP with the photos, streamed."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/export")

from fieldkit.exports import views  # noqa: E402,F401
