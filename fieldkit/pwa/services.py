"""Import a file of entries saved on a phone: each entry through the same checks and services as the API.

An entry is stored once per uuid: a file uploaded twice, or an entry the phone has sent meanwhile, is answered
'already stored'. An entry recorded on the phone by another officer is refused, never stored under the uploader.
"""

import base64
import binascii
import hashlib
from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from fieldkit.activities import services as activities
from fieldkit.extensions import db
from fieldkit.models import User
from fieldkit.photos import services as photos
from forms import jsondata
from forms.activity import from_json
from forms.photo import PhotoHintsForm

FORMAT = "fieldkit-outbox"
STORED, ALREADY_STORED, REJECTED = "stored", "already_stored", "rejected"


class ImportFileError(ValueError):
    """The upload is not a file of saved entries; the message says why."""


class Rejected(Exception):
    """One entry cannot be stored; the message says why."""


@dataclass
class ImportResult:
    """What became of one entry of the file."""

    uuid: str
    status: str
    reason: str = ""
    topic: str = ""
    photos_added: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def read_document(raw: bytes) -> list:
    """Return the entries of an outbox file, or raise ImportFileError."""
    try:
        document = jsondata.parse(raw)
    except jsondata.JSONInputError:
        raise ImportFileError(_("This is not a file of saved entries (it is not JSON).")) from None
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("entries"), list)
    ):
        raise ImportFileError(_("This is not a file of saved entries from fieldkit's outbox page."))
    if document.get("version") != 1:
        raise ImportFileError(_("This file comes from a newer version of fieldkit; update the app and try again."))
    return document["entries"]


def import_entry(officer: User, entry: object) -> ImportResult:
    """Store one entry of the file with its photos, or say why not, in a savepoint of its own: a refused entry
    leaves nothing behind and takes back nothing of the others. Flushes, never commits."""
    activity_data = entry.get("activity") if isinstance(entry, dict) else None
    uuid = str(activity_data.get("uuid") or "") if isinstance(activity_data, dict) else ""
    topic = str(activity_data.get("topic") or "")[:200] if isinstance(activity_data, dict) else ""
    try:
        with db.session.begin_nested():
            if not isinstance(activity_data, dict):
                raise Rejected(_("The entry has no activity in it."))
            _check_owner(officer, entry.get("officer"))
            payload = _validated(activity_data)
            prepared = _prepared_photos(entry.get("photos") or [])
            activity, created = activities.receive(officer, payload)
            added = sum(_add_photo(officer, activity, index, photo) for index, photo in sorted(prepared.items()))
    except activities.Conflict:
        return ImportResult(uuid, REJECTED, _("This uuid is already stored with different content."), topic)
    except activities.Invalid as error:
        return ImportResult(uuid, REJECTED, str(error), topic)
    except Rejected as error:
        return ImportResult(uuid, REJECTED, str(error), topic)
    return ImportResult(activity.uuid, STORED if created else ALREADY_STORED, "", topic, added)


def _add_photo(officer: User, activity, index: int, photo) -> bool:
    """Add a photo the entry lacks; a verified entry keeps the photos it has."""
    try:
        return activities.add_photo(officer, activity, index, photo)[1]
    except activities.NotEditable:
        return False


def counts(results: list[ImportResult]) -> dict[str, int]:
    """How many entries were stored, already stored and rejected."""
    return {status: sum(r.status == status for r in results) for status in (STORED, ALREADY_STORED, REJECTED)}


def _check_owner(officer: User, owner: object) -> None:
    if not owner:
        raise Rejected(_("The entry does not say which officer recorded it, so it is not stored."))
    if owner != officer.username:
        raise Rejected(
            _(
                "Recorded on the phone by %(owner)s, not by you; log in as %(owner)s to upload it.",
                owner=str(owner)[:64],
            )
        )


def _validated(data: dict) -> dict:
    try:
        form = from_json(data)
    except jsondata.JSONInputError as error:
        raise Rejected(str(error.message)) from None
    return form.payload()


def _prepared_photos(items: object) -> dict[int, photos.PreparedPhoto]:
    """Decode, check against the stated sha256, and prepare each photo by its index."""
    if not isinstance(items, list):
        raise Rejected(_("The entry's photos are not a list."))
    prepared = {}
    for item in items:
        index = item.get("index") if isinstance(item, dict) else None
        if not isinstance(index, int) or isinstance(index, bool) or index in prepared:
            raise Rejected(_("A photo has no valid number."))
        try:
            activities.check_photo_index(index)
        except activities.Invalid as error:
            raise Rejected(str(error)) from None
        try:
            data = base64.b64decode(item.get("data") or "", validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise Rejected(_("Photo %(number)d is damaged in the file.", number=index + 1)) from None
        if hashlib.sha256(data).hexdigest() != item.get("sha256"):
            raise Rejected(_("Photo %(number)d is damaged in the file.", number=index + 1))
        hints = PhotoHintsForm(formdata=_hints(item))
        if not hints.validate():
            raise Rejected(_("Photo %(number)d: its time or position is not valid.", number=index + 1))
        try:
            prepared[index] = photos.prepare(data, hints.taken_at.data, hints.photo_lat.data, hints.photo_lon.data)
        except photos.PhotoError as error:
            raise Rejected(_("Photo %(number)d: %(reason)s", number=index + 1, reason=str(error))) from None
    return prepared


def _hints(item: dict) -> MultiDict:
    names = ("taken_at", "photo_lat", "photo_lon")
    return MultiDict({name: str(item[name]) for name in names if item.get(name) not in (None, "")})
