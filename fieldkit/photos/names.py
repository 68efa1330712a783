"""Which stored photos name a file: entries', banner inspections' and role models' photos share the one store."""

from sqlalchemy import select

from fieldkit.models import InspectionPhoto, Photo, RoleModel


def used(connection, shas: set[str]) -> set[str]:
    """The sha256 among ``shas`` that a stored photo names, an entry's, an inspection's or a role model's: they stay."""
    found: set[str] = set()
    for column in (Photo.sha256, InspectionPhoto.sha256, RoleModel.photo_sha256):
        rest = shas - found
        if not rest:
            break
        found |= set(connection.scalars(select(column).where(column.in_(rest))))
    return found
