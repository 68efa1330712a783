"""Choices too many to list on a page (a country's 3,336 bodies, 3,324 officers, 3,321 communes), found as one
types: ``GET /choices/<name>?q=words`` answers the first matches within the viewer's scope, as [value, label] in
the interface language. The filter partial (templates/_choice.html) lists a choice up to
FIELDKIT_CHOICES_LISTED_MAX and, beyond, draws a search box that asks here (js/choice-search.js)."""

from collections.abc import Callable, Iterator

from flask import Blueprint, abort, jsonify, request
from flask_babel import get_locale
from flask_login import current_user

from fieldkit.activities.access import officer_choices
from fieldkit.auth.scope import require
from fieldkit.i18n import folded, holds
from fieldkit.models import Role, User
from fieldkit.organizations import services as organizations
from fieldkit.review.services import areas_in_scope

bp = Blueprint("choices", __name__)
SHOWN = 20  # matches answered: a phone's screen of suggestions
WORDS_MAX = 100  # characters of the search that are read

Found = Iterator[tuple[str, str, str]]  # (value, label, the text searched)


def _bodies(_user: User) -> Found:
    locale = get_locale()
    for body in organizations.listed():
        yield body.code, body.name(locale), organizations.searched(body)


def _officers(user: User) -> Found:
    for username, name in officer_choices(user):
        yield username, f"{name} ({username})", f"{username} {name}"


def _communes(user: User) -> Found:
    for area in areas_in_scope(user):
        yield area.code, area.full_name, f"{area.code} {area.full_name}"


SOURCES: dict[str, Callable[[User], Found]] = {"org": _bodies, "officer": _officers, "area": _communes}


def pairs(name: str, user: User) -> list[tuple[str, str]]:
    """Every choice of ``name`` in the user's scope, as (value, label): what a page lists below the threshold."""
    return [(value, label) for value, label, _text in SOURCES[name](user)]


@bp.get("/choices/<name>")
@require(Role.SUPERVISOR, Role.ADMIN)
def search(name: str):
    """The first choices of ``name`` whose value or label hold every word of q (without case or tone marks)."""
    source = SOURCES.get(name) or abort(404)
    words = folded(request.args.get("q", "")[:WORDS_MAX]).split()
    found = []
    if words:
        for value, label, text in source(current_user):
            if holds(text, words):
                found.append([value, label])
                if len(found) == SHOWN:
                    break
    return jsonify({"items": found})
