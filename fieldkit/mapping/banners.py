"""The banners of the map page: those the user sees that have a position, as marks in the reader's language."""

from flask_babel import gettext as _

from fieldkit.banners.queries import all_of
from fieldkit.labels import choice_label
from fieldkit.models import User
from fieldkit.vocabulary import BANNER_STATE_COLOURS, BANNER_STATES
from maps.banners import BannerMark, add_banners


def marks(user: User, area: str | None = None) -> list[BannerMark]:
    """One mark per located banner in the user's scope (and commune)."""
    return [
        BannerMark(
            b.code, b.state, b.lat, b.lon, f"{b.code} · {choice_label('kind', b.kind)} · {BANNER_STATES[b.state]}"
        )
        for b in all_of(user, area=area)
        if b.has_position
    ]


def add_layer(fmap, user: User, area: str | None = None) -> None:
    """Add the banners by state to the page's map (nothing when there are none)."""
    found = marks(user, area)
    if found:
        add_banners(fmap, found, _("Banners by state"), BANNER_STATE_COLOURS)
