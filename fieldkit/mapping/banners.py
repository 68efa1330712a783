"""The banners of the map page: those the user sees that have a position, as marks in the reader's language."""

from flask_babel import gettext as _

from fieldkit.banners.queries import statement
from fieldkit.extensions import db
from fieldkit.labels import choice_label
from fieldkit.models import Banner, User
from fieldkit.vocabulary import BANNER_STATE_COLOURS, BANNER_STATES
from maps.banners import BannerMark, add_banners


def marks(user: User, area: str | None = None) -> list[BannerMark]:
    """One mark per located banner in the user's scope (and commune), oldest first; a label made once per kind and
    state (there may be thousands of banners)."""
    query = (
        statement(user, area=area)
        .with_only_columns(Banner.code, Banner.state, Banner.kind, Banner.lat, Banner.lon)
        .where(Banner.lat.is_not(None), Banner.lon.is_not(None))
        .order_by(Banner.installed_at, Banner.id)
    )
    labels = {}
    found = []
    for code, state, kind, lat, lon in db.session.execute(query):
        if (kind, state) not in labels:
            labels[kind, state] = f"{choice_label('kind', kind)} · {BANNER_STATES[state]}"
        found.append(BannerMark(code, state, lat, lon, f"{code} · {labels[kind, state]}"))
    return found


def add_layer(fmap, user: User, area: str | None = None) -> None:
    """Add the banners by state to the page's map (nothing when there are none)."""
    found = marks(user, area)
    if found:
        add_banners(fmap, found, _("Banners by state"), BANNER_STATE_COLOURS)
