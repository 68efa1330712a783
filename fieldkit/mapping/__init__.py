"""The supervisor's map: communes coloured by poverty with the campaign's activities on top."""

from flask import Blueprint

bp = Blueprint("mapping", __name__)

from fieldkit.mapping import assets, bundles, views  # noqa: E402,F401
