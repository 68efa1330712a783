"""Whether to answer JSON or a page: the one rule, for the guard and the error handlers alike."""

from flask import request


def wants_json() -> bool:
    """API paths and .json URLs always get JSON; elsewhere, clients that prefer JSON do."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
