"""The schema's migrations (Flask-Migrate on Alembic), bound to the app only when something needs them.

Importing Alembic takes longer than starting the rest of fieldkit, and only ``flask db …``, backup, restore and the
tests' set-up use it; every other command, and every app server, starts without it.
"""

import os

from flask import Flask, current_app
from flask.cli import AppGroup

DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def bind(app: Flask) -> None:
    """Give the app Flask-Migrate and its ``db`` commands, once."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from fieldkit.extensions import db

    Migrate(app, db, directory=DIRECTORY, render_as_batch=True)


def upgrade() -> None:
    """Bring the current app's database to the newest revision."""
    bind(current_app._get_current_object())
    from flask_migrate import upgrade as alembic_upgrade

    alembic_upgrade(directory=DIRECTORY)


def head() -> str:
    """The revision the migrations end at."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(DIRECTORY).get_current_head()


class Commands(AppGroup):
    """``app.cli``, which lists ``db`` from the start but binds Flask-Migrate only when ``db`` is asked for."""

    def __init__(self, app: Flask):
        super().__init__(app.name)
        self._app = app

    def get_command(self, ctx, name):
        if name == "db":
            bind(self._app)
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), "db"})
