"""Coverage against poverty: per-commune activity, reach and gap score, as a table, a page and JSON."""

from flask import Blueprint

bp = Blueprint("coverage", __name__)

from fieldkit.coverage import money, views  # noqa: E402,F401
