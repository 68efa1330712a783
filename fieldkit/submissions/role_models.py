"""The register of role models: supervisors add and edit them (a commune supervisor for their commune only);
talks and media entries name them; the reports count the ones promoted in the period."""

from fieldkit.extensions import db
from fieldkit.i18n import sort_key
from fieldkit.models import RoleModel, User
from fieldkit.models.audit import record as audit
from fieldkit.photos import storage
from fieldkit.photos.services import PreparedPhoto

ENTITY = "role_model"
FIELDS = ("name", "area_code", "description", "active")


class OutOfScope(PermissionError):
    """A commune supervisor keeps their own commune's register only."""


def in_scope(user: User) -> list[RoleModel]:
    """The models a supervisor keeps: their commune's, or every one for the city; by commune, then name."""
    query = db.select(RoleModel)
    if user.area_code:
        query = query.where(RoleModel.area_code == user.area_code)
    return sorted(db.session.scalars(query), key=lambda m: (sort_key(m.area.name), sort_key(m.name)))


def choices() -> list[RoleModel]:
    """The active models an entry can name, by name."""
    found = db.session.scalars(db.select(RoleModel).where(RoleModel.active.is_(True)))
    return sorted(found, key=lambda m: sort_key(m.name))


def find(user: User, model_id: int) -> RoleModel | None:
    """The model with this id if the user keeps it, else None (the same as one that does not exist)."""
    model = db.session.get(RoleModel, model_id)
    if model is None or (user.area_code and model.area_code != user.area_code):
        return None
    return model


def save(user: User, model: RoleModel | None, values: dict, photo: PreparedPhoto | None) -> RoleModel:
    """Add a model (model None) or change one; a new photo replaces the old. Flushes, never commits."""
    if user.area_code and values["area_code"] != user.area_code:
        raise OutOfScope(values["area_code"])
    before = None if model is None else _state(model)
    if model is None:
        model = RoleModel(created_by_id=user.id)
        db.session.add(model)
    for name in FIELDS:
        if name in values:
            setattr(model, name, values[name])
    if photo is not None:
        model.photo_sha256 = photo.sha256
        model.photo_path, model.thumb_path = _write(photo)
    db.session.flush()
    audit(user.id, "create" if before is None else "update", ENTITY, model.id, before, _state(model))
    return model


def _state(model: RoleModel) -> dict:
    return {**{name: getattr(model, name) for name in FIELDS}, "photo_sha256": model.photo_sha256}


def _write(photo: PreparedPhoto) -> tuple[str, str]:
    """Store the photo and its thumbnail under the names photo files have (``ab/<sha256>.jpg``)."""
    folder = photo.sha256[:2]
    names = (f"{folder}/{photo.sha256}.jpg", f"{folder}/{photo.sha256}.thumb.jpg")
    storage.save(photo.sha256, zip(names, (photo.processed.jpeg, photo.processed.thumb), strict=True))
    return names


def names(ids) -> list[str]:
    """The names of the models with these ids, in the order given (an id no longer known is left out)."""
    found = {m.id: m.name for m in db.session.scalars(db.select(RoleModel).where(RoleModel.id.in_(list(ids))))}
    return [found[i] for i in ids if i in found]
