"""After a load run: does the database hold exactly what the clients were told it holds?"""

import hashlib
import os

from sqlalchemy import text

from bench.load_phone import Run
from bench.server import app_context


def check(env: dict, run: Run, bare: str | None = None) -> list[str]:
    """Compare the stored activities and photos with what the clients sent and were answered; list what is wrong.
    ``bare``: the photos went to the bare endpoint, which kept them as files in this folder, not in the database."""
    from fieldkit.extensions import db

    with app_context(env) as app:
        rows = dict(db.session.execute(text("SELECT uuid, COUNT(*) FROM activity GROUP BY uuid")).all())
        query = (
            'SELECT a.uuid, p."index", p.sha256, p.path, p.taken_at FROM photo p JOIN activity a ON a.id = activity_id'
        )
        photos = {
            (uuid, index): (sha256, path, taken) for uuid, index, sha256, path, taken in db.session.execute(text(query))
        }
        uploads = app.config["FIELDKIT_UPLOADS"]
    if bare is not None:  # the photos are the bare endpoint's files, not rows
        photos = dict(_bare(bare, name) for name in os.listdir(bare) if name.endswith(".jpg"))
    missing = [key for key in run.photos_acked if key not in photos]
    altered = [key for key, sha256 in run.photos_acked.items() if key in photos and photos[key][0] != sha256]
    found = {  # what is wrong: the cases, each listed by a few examples
        "acknowledged activities are not stored": run.acked - rows.keys(),
        "uuids are stored more than once": [uuid for uuid, count in rows.items() if count > 1],
        "stored uuids were never sent": rows.keys() - run.sent,
        "acknowledged photos are not stored": missing,
        "photos are stored with another sha256 than the client's": altered,
        "stored photos have no file": [key for key, (_, path, _) in photos.items() if not _exists(uploads, path)],
        "photos lost the time the phone sent with them": [key for key, (_, _, taken) in photos.items() if not taken],
        "answers had the wrong status or receipt": run.wrong,
    }
    failures = [f"{len(cases)} {what}, e.g. {sorted(cases, key=str)[:3]}" for what, cases in found.items() if cases]
    if len(rows) != len(run.sent):
        failures.append(f"{len(rows)} activities stored for {len(run.sent)} distinct uuids sent")
    if len(photos) != len(run.photos_sent):
        failures.append(f"{len(photos)} photos stored for {len(run.photos_sent)} distinct photos sent")
    if run.error_count:
        failures.append(f"{run.error_count} requests failed: {dict(run.errors)}")
    return failures


def _exists(uploads: str, path: str) -> bool:
    return os.path.exists(os.path.join(uploads, path))


def _bare(folder: str, name: str) -> tuple[tuple[str, int], tuple[str, str, str]]:
    """A file of the bare endpoint (uuid-index.jpg) as the checks read a stored photo: key, (sha256, path, time)."""
    uuid, index = name.removesuffix(".jpg").rsplit("-", 1)
    path = os.path.join(folder, name)
    with open(path, "rb") as handle:
        return (uuid, int(index)), (hashlib.sha256(handle.read()).hexdigest(), path, "not kept")
