"""The words of the reports' workflow, once for pages, workbook and API messages."""

from flask_babel import lazy_gettext as _l

STATES = {
    "not_started": _l("not started"),
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "late": _l("late"),
    "accepted": _l("accepted"),
    "returned": _l("returned"),
}
NARRATIVE = {
    "results": _l("Results"),
    "difficulties": _l("Difficulties and obstacles"),
    "proposals": _l("Proposals and recommendations"),
}


def state_label(state: str) -> str:
    """The state in the reader's language."""
    return str(STATES.get(state, state))


def changes_text(changes: dict) -> str:
    """What changed under a frozen report, in words: "2 changed, 1 withdrawn or moved, 3 added"."""
    return str(
        _l(
            "%(changed)d changed, %(removed)d withdrawn or moved out, %(added)d added",
            changed=changes["changed"],
            removed=changes["removed"],
            added=changes["added"],
        )
    )
