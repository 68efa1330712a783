"""After a load run: does the database hold exactly what the clients were told it holds?"""

import os

from sqlalchemy import text

from bench.load_phone import Run
from bench.server import app_context


def check(env: dict, run: Run) -> list[str]:
    """Compare the stored activities and photos with what the clients sent and were answered; list what is wrong."""
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
    failures = []
    lost = run.acked - rows.keys()
    doubled = sorted(uuid for uuid, count in rows.items() if count > 1)
    strangers = rows.keys() - run.sent
    if lost:
        failures.append(f"{len(lost)} acknowledged activities are not stored, e.g. {sorted(lost)[:3]}")
    if doubled:
        failures.append(f"{len(doubled)} uuids are stored more than once, e.g. {doubled[:3]}")
    if strangers:
        failures.append(f"{len(strangers)} stored uuids were never sent, e.g. {sorted(strangers)[:3]}")
    if len(rows) != len(run.sent):
        failures.append(f"{len(rows)} activities stored for {len(run.sent)} distinct uuids sent")
    missing = [key for key in run.photos_acked if key not in photos]
    altered = [key for key, sha256 in run.photos_acked.items() if key in photos and photos[key][0] != sha256]
    no_file = [key for key, (_, path, _) in photos.items() if not os.path.exists(os.path.join(uploads, path))]
    no_time = [key for key, (_, _, taken) in photos.items() if taken is None]
    if missing:
        failures.append(f"{len(missing)} acknowledged photos are not stored, e.g. {missing[:3]}")
    if altered:
        failures.append(f"{len(altered)} photos are stored with another sha256 than the client's, e.g. {altered[:3]}")
    if no_file:
        failures.append(f"{len(no_file)} stored photos have no file, e.g. {no_file[:3]}")
    if no_time:
        failures.append(f"{len(no_time)} photos lost the time the phone sent with them, e.g. {no_time[:3]}")
    if len(photos) != len(run.photos_sent):
        failures.append(f"{len(photos)} photos stored for {len(run.photos_sent)} distinct photos sent")
    if run.wrong:
        failures.append(f"{len(run.wrong)} answers had the wrong status or receipt, e.g. {run.wrong[:3]}")
    if run.error_count:
        failures.append(f"{run.error_count} requests failed: {dict(run.errors)}")
    return failures
