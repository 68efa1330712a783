"""``flask --app app organizations seed`` and ``organizations list``."""

import click
from flask.cli import AppGroup

from fieldkit.extensions import db
from fieldkit.organizations import services

organizations = AppGroup("organizations", help="The bodies that carry the plan out.")


@organizations.command("seed")
def seed() -> None:
    """Add the plan's bodies and every stored commune's People's Committee; a second run adds nothing."""
    result = services.seed()
    db.session.commit()
    click.echo(f"organizations: {result.bodies} plan bodies and {result.committees} commune committees added")


@organizations.command("list")
def list_bodies() -> None:
    """Print every body: code, kind, Vietnamese name."""
    for body in services.listed():
        click.echo(f"{body.code:<12} {body.kind:<18} {body.name_vi}{'' if body.active else ' (not in use)'}")
