"""GET /healthz: is the app up and does the database answer."""

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from fieldkit.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: database not answering: %s", error)
        db.session.rollback()
        return jsonify({"status": "error", "db": "unavailable"}), 503
    return jsonify({"status": "ok", "db": "ok"})
