"""An activity as the JSON API answers it (DESIGN §6)."""

from fieldkit.models import Activity


def to_dict(activity: Activity) -> dict:
    """Return the entry with what the server adds: commune, officer, status, flags and the photo receipt."""
    return {
        "uuid": activity.uuid,
        "type": activity.type,
        "occurred_at": activity.local_occurred_at.isoformat(),
        "lat": activity.lat,
        "lon": activity.lon,
        "accuracy_m": activity.accuracy_m,
        "location_source": activity.location_source,
        "declared_area_code": activity.declared_area_code,
        "topic": activity.topic,
        "notes": activity.notes,
        "cost_vnd": activity.cost_vnd,
        "funding_source": activity.funding_source,
        **(activity.details or {}),
        "area_code": activity.area_code,
        "area_name": activity.area.full_name if activity.area else None,
        "officer": activity.officer.username,
        "organization": activity.organization.code if activity.organization else None,  # the officer's body then
        "received_at": activity.received_at.isoformat() + "Z",
        "status": activity.status,
        "review_comment": activity.review_comment,
        "flags": list(activity.flags or []),
        "photos": [photo.receipt() for photo in activity.photos],
        "version": activity.version,  # sent back with an edit (PUT), so that an edit of an older one is refused
    }
