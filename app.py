"""WSGI entry point: ``flask --app app …`` and ``gunicorn app:app``.

FIELDKIT_INSTANCE_PATH (an absolute path) puts the instance folder (config.py, the SQLite file, uploads) elsewhere
than ./instance, e.g. one per app server started from one checkout.
"""

import os

from fieldkit import create_app

app = create_app(instance_path=os.environ.get("FIELDKIT_INSTANCE_PATH") or None)
