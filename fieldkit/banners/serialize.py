"""A banner and its inspections as the JSON API answers them (DESIGN §6)."""

from fieldkit.banners.due import inspection_due, removal_overdue
from fieldkit.models import Banner, BannerInspection
from fieldkit.timeutil import at_offset


def _utc(moment) -> str | None:
    return moment.isoformat() + "Z" if moment is not None else None


def banner_dict(banner: Banner, inspections: list[BannerInspection] | None = None) -> dict:
    """The banner, what is due, and (when given) its inspections, newest first."""
    answer = {
        "code": banner.code,
        "activity_uuid": banner.activity_uuid,
        "ordinal": banner.ordinal,
        "kind": banner.kind,
        "message": banner.message,
        "size_m2": banner.size_m2,
        "lat": banner.lat,
        "lon": banner.lon,
        "area_code": banner.area_code,
        "area_name": banner.area.full_name if banner.area else None,
        "installed_at": _utc(banner.installed_at),
        "remove_by": banner.remove_by.isoformat() if banner.remove_by else None,
        "state": banner.state,
        "state_observed_at": _utc(banner.state_observed_at),
        "last_inspected_at": _utc(banner.last_inspected_at),
        "inspections_count": banner.inspections_count,
        "inspection_due": inspection_due(banner),
        "removal_overdue": removal_overdue(banner),
    }
    if inspections is not None:
        answer["inspections"] = [inspection_dict(banner, row) for row in inspections]
    return answer


def inspection_dict(banner: Banner, inspection: BannerInspection) -> dict:
    """One inspection with the photos the server holds (its receipt)."""
    return {
        "uuid": inspection.uuid,
        "banner": banner.code,
        "state": inspection.state,
        "observed_at": at_offset(inspection.observed_at, inspection.utc_offset_min).isoformat(),
        "received_at": _utc(inspection.received_at),
        "lat": inspection.lat,
        "lon": inspection.lon,
        "accuracy_m": inspection.accuracy_m,
        "location_source": inspection.location_source,
        "distance_m": round(inspection.distance_m, 1) if inspection.distance_m is not None else None,
        "note": inspection.note,
        "inspector": inspection.inspector.username,
        "flags": list(inspection.flags or []),
        "photos": [photo.receipt() for photo in inspection.photos],
    }
