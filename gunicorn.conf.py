"""gunicorn's settings for fieldkit; `gunicorn app:app` run in this folder reads them (options on the command
line still win).

Threaded workers, so that a slow client (a phone on a weak link, or a slowloris trickling its headers in) holds
one thread, not a whole worker: with sync workers two such connections stopped every answer for 30 s. Timeouts
are bounded so that a stuck request or a shutdown cannot hang on. Behind nginx, which buffers whole requests
before passing them on, slow clients never reach gunicorn at all.
"""

import os

bind = os.environ.get("FIELDKIT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 8
timeout = 30  # a worker silent for longer is restarted
graceful_timeout = 10  # at a restart, requests in progress get this long to finish
keepalive = 5  # seconds an idle keep-alive connection is kept open
