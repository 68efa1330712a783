"""Exports of the activity log: one row source, a writer per format. Plain arguments in, chunks of bytes out."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from fieldkit.activities.queries import Filters
from fieldkit.activity_types import TYPES
from fieldkit.exports import rows as source
from fieldkit.exports import to_csv, to_geojson, to_kml, to_xlsx
from fieldkit.exports.columns import COLUMNS
from fieldkit.exports.present import Presenter
from fieldkit.models import User


@dataclass(frozen=True)
class Format:
    """A format's file extension and media type."""

    extension: str
    mimetype: str


FORMATS = {
    "csv": Format("csv", "text/csv; charset=utf-8"),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": Format("geojson", "application/geo+json"),
    "kml": Format("kml", "application/vnd.google-earth.kml+xml"),
}


def filename(fmt: str, today: date) -> str:
    """The download's name, dated."""
    return f"fieldkit-activities-{today.isoformat()}.{FORMATS[fmt].extension}"


def query(user: User, filters: Filters, flag: str | None = None):
    """The SELECT behind an export; build it while the request (and its user) is at hand."""
    return source.select_rows(user, filters, flag)


def stream(fmt: str, select, present: Presenter) -> Iterator[bytes]:
    """Yield the export of the query's rows in a format; the query runs as the chunks are taken."""
    rows = source.rows(select)
    if fmt == "csv":
        yield from to_csv.write(COLUMNS, present.rows(rows), present.headers())
    elif fmt == "geojson":
        yield from to_geojson.write(COLUMNS, present.rows(rows), present.headers())
    elif fmt == "xlsx":
        yield from to_xlsx.write(
            COLUMNS,
            present.rows(rows),
            present.headers(),
            offset_header=present.offset_header(),
            sheet_name=_("Activities"),
            date_format="yyyy-mm-dd hh:mm" if str(get_locale()) == "en" else "dd/mm/yyyy hh:mm",
        )
    elif fmt == "kml":
        total, missing = source.position_counts(select)
        yield from to_kml.write(
            COLUMNS,
            rows,
            present.headers(),
            title=_("fieldkit activities"),
            description=_(
                "%(total)d activities; %(missing)d have no position: they are listed as placemarks without a "
                "point, so they are in the list but not on the map.",
                total=total,
                missing=missing,
            ),
            types={kind.value: (str(info.label), info.colour) for kind, info in TYPES.items()},
            present=present,
        )
    else:
        raise ValueError(f"Expected one of {', '.join(FORMATS)}; got {fmt!r}")
