"""Which stored photos name a file: an entry's photos and a banner inspection's share the one photo store."""

from sqlalchemy import select

from fieldkit.models import InspectionPhoto, Photo


def used(connection, shas: set[str]) -> set[str]:
    """The sha256 among ``shas`` that a stored photo names, an entry's or an inspection's: their files stay."""
    if not shas:
        return set()
    found = set(connection.scalars(select(Photo.sha256).where(Photo.sha256.in_(shas))))
    rest = shas - found
    if rest:
        found |= set(connection.scalars(select(InspectionPhoto.sha256).where(InspectionPhoto.sha256.in_(rest))))
    return found
