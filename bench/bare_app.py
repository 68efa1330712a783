"""The app as gunicorn serves it, plus a bare photo endpoint for the load benchmark's "bare-photos" scenario.

PUT /bench/bare/<uuid>/<index> only writes the bytes as durably as the photo store does (a temporary file, fsync,
linked into place, the folder synced) and answers the sha256 the phone checks: the floor that a photo PUT is
compared with. No login, no database; the folder is FIELDKIT_BENCH_BARE.

    gunicorn bench.bare_app:app
"""

import hashlib
import os
import tempfile

from flask import request

from app import app
from fieldkit.extensions import csrf

FOLDER = os.environ.get("FIELDKIT_BENCH_BARE") or tempfile.mkdtemp(prefix="fieldkit-bare-")


@csrf.exempt
@app.put("/bench/bare/<uuid>/<int:index>")
def bare_photo(uuid: str, index: int):
    """Store the body under uuid-index; 201 the first time, 200 when it is there already (the phone sent it again)."""
    data = request.get_data()
    target = os.path.join(FOLDER, f"{uuid}-{index}.jpg")
    handle, temporary = tempfile.mkstemp(dir=FOLDER, suffix=".part")
    try:
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    try:
        os.link(temporary, target)  # atomic: of two sends at once, one links it
        created = True
    except FileExistsError:
        created = False
    finally:
        os.unlink(temporary)
    folder = os.open(FOLDER, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return {"photo": {"index": index, "sha256": hashlib.sha256(data).hexdigest()}}, 201 if created else 200
