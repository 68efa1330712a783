"""fieldkit: record poverty-reduction field activities and see their coverage."""

import logging
import os

from flask import Flask

from fieldkit import config, schema


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Create and configure the application (instance_path defaults to ./instance beside the package)."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.cli = schema.Commands(app)  # before anything adds a command to it
    config.load(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    logging.getLogger(__name__).debug("fieldkit created with %s", app.config["SQLALCHEMY_DATABASE_URI"])
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension singletons to this app."""
    from fieldkit import compression, i18n, labels, measures, models, security
    from fieldkit.activities import quality, rollup
    from fieldkit.auth import session
    from fieldkit.extensions import csrf, db
    from fieldkit.photos import storage

    db.init_app(app)
    models.init_app(app)
    quality.init_app(app)
    rollup.init_app(app)
    csrf.init_app(app)
    compression.init_app(app)
    session.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    measures.init_app(app)
    security.init_app(app)
    storage.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount each area of the product."""
    from fieldkit import (
        admin,
        api,
        auth,
        choices,
        coverage,
        exports,
        field,
        health,
        mapping,
        pwa,
        reports,
        review,
        submissions,
    )
    from fieldkit.banners import views as banners
    from fieldkit.photos import views as photos

    for package in (
        health,
        auth,
        field,
        photos,
        coverage,
        mapping,
        review,
        choices,
        reports,
        submissions,
        admin,
        exports,
        pwa,
        api,
        banners,
    ):
        app.register_blueprint(package.bp)


def register_errorhandlers(app: Flask) -> None:
    """Answer errors as JSON for the API and as pages for people."""
    from fieldkit import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the fieldkit commands to ``flask``."""
    from fieldkit import commands

    commands.init_app(app)
