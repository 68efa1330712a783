"""Exports of the activity log: CSV, XLSX, GeoJSON, KML and a ZIP with the photos, streamed."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/export")

from fieldkit.exports import panel, views  # noqa: E402,F401

bp.record_once(panel.init_app)
