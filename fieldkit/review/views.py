"""The review pages: the supervisors' queue, and one entry with its evidence, flags, map and the decision."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fieldkit import choices
from fieldkit.activities import quality
from fieldkit.auth.scope import SUPERVISORS, require, visible_or_404
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.review import bp, bulk, history, services
from fieldkit.vocabulary import FLAG_LABELS
from forms.review import BulkForm, ReviewFiltersForm, ReviewForm

ACTIONS = {
    "create": _l("recorded"),
    "update": _l("changed by the officer"),
    "verify": _l("verified"),
    "return": _l("returned for fixing"),
    "withdraw": _l("withdrawn by the officer"),
    "remove_photo": _l("photo removed by the officer"),
}


bp.before_request(require(*SUPERVISORS))


@bp.context_processor
def helpers() -> dict:
    """Words and numbers for the review templates."""
    return {
        "flag_label": lambda flag: FLAG_LABELS.get(flag, flag),
        "photo_km": _photo_km,
    }


def _photo_km(activity: Activity, photo) -> str | None:
    """How far from the entry's point the photo was taken, in km, or None."""
    metres = quality.photo_distance_m(activity, photo)
    return None if metres is None else services.km(metres)


@bp.get("/review")
def queue():
    """Entries to review, newest first, filtered; status 'submitted' unless another is chosen; how many wait."""
    form, chosen = _chosen()
    offered = _offered()
    if chosen is None:
        return render_template("review/queue.html", form=form, page=None, **offered), 400
    try:
        page = services.queue(
            current_user, chosen, request.args.get("cursor"), current_app.config["FIELDKIT_PAGE_SIZE"]
        )
    except ValueError:
        abort(400)
    more = url_for("review.queue", **{**request.args.to_dict(), "cursor": page.next}) if page.next else None
    counts = services.counts(current_user, chosen)
    return render_template(
        "review/queue.html", form=form, page=page, more=more, counts=counts, bulk_form=BulkForm(), **offered
    )


@bp.post("/review/bulk")
def bulk_confirm():
    """Say how many entries a bulk verification would take, and which of those ticked it cannot, before doing it."""
    _form, chosen = _chosen()
    bulk_form = BulkForm()
    if chosen is None or not bulk_form.validate_on_submit():
        return _bulk_refused(bulk_form)
    if bulk_form.mode.data == "unflagged":
        plan = bulk.plan_unflagged(current_user, chosen)
    else:
        plan = bulk.plan_selected(current_user, [bulk.Pick(*pick) for pick in bulk_form.picks()])
    return render_template(
        "review/bulk_confirm.html", plan=plan, mode=bulk_form.mode.data, back=_back(), limit=bulk.LIMIT
    )


@bp.post("/review/bulk/verify")
def bulk_verify():
    """Verify the confirmed entries, one audit event each; report those skipped because they changed meanwhile."""
    bulk_form = BulkForm()
    if not bulk_form.validate_on_submit() or not bulk_form.entry.data:
        return _bulk_refused(bulk_form)
    picks = [bulk.Pick(*pick) for pick in bulk_form.picks()]
    outcome = bulk.verify_all(current_user, picks, unflagged=bulk_form.mode.data == "unflagged")
    db.session.commit()
    return render_template("review/bulk_done.html", outcome=outcome, back=_back())


def _chosen():
    """The queue's filters from the query string: (form, QueueFilters), or (form, None) when they are invalid."""
    form = ReviewFiltersForm(request.args)
    if not form.validate():
        return form, None
    return form, services.QueueFilters(form.filters(), form.flag.data or None, form.flagged_first.data)


def _offered() -> dict:
    """The communes and officers the filters offer, as the filters' search labels them."""
    return {"areas": choices.pairs("area", current_user), "officers": choices.pairs("officer", current_user)}


def _back() -> str:
    """The queue with the filters the bulk decision came from."""
    return url_for("review.queue", **{k: v for k, v in request.args.items() if k != "cursor"})


def _bulk_refused(bulk_form: BulkForm):
    """Back to the queue, saying what was wrong with the bulk request, naming the field."""
    for name, errors in bulk_form.errors.items():
        label = bulk_form[name].label.text if name in bulk_form else name
        flash(f"{label}: {errors[0]}", "error")
    if not bulk_form.errors:
        flash(_("Some filters are not valid; correct them and filter again."), "error")
    return redirect(_back(), code=303)


@bp.get("/review/<uuid>")
def entry(uuid: str):
    """One entry with its photos, its flags in words, its map, and the decision form."""
    activity = visible_or_404(current_user, uuid)
    return _page(activity, ReviewForm(version=activity.version))


@bp.post("/review/<uuid>")
def decide(uuid: str):
    """Verify the entry or return it to the officer; the comment is required to return it."""
    activity = visible_or_404(current_user, uuid)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(activity, form), 400
    decision = services.verify if form.decision.data == "verify" else services.return_to_officer
    try:
        decision(current_user, activity, form.comment.data or "", version=form.version.data)
    except services.ReviewError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("review.entry", uuid=uuid))
    db.session.commit()
    flash(_("Verified.") if form.decision.data == "verify" else _("Returned to the officer."), "success")
    return redirect(url_for("review.queue"))


def _page(activity: Activity, form: ReviewForm):
    data = services.map_data(activity)
    small_map = None
    if data["point"] or data["declared"] or data["located"]:
        from fieldkit.map_assets import map_assets, tile_server  # folium, imported where a map is drawn
        from maps.base import parts
        from maps.review import entry_map

        small_map = parts(entry_map(map_assets(own=False), tile_server(), **data))
    return render_template(
        "review/detail.html",
        activity=activity,
        form=form,
        findings=services.explain(current_user, activity),
        history=history.steps(services.history(activity)),
        small_map=small_map,
        actions=ACTIONS,
    )
