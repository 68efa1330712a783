"""The fieldkit commands under ``flask --app app``: users, tokens, demo."""

import sys

import click
from flask.cli import AppGroup

from fieldkit.extensions import db
from fieldkit.models import ApiToken, Area, Role, User
from fieldkit.models.token import hash_token

users = AppGroup("users", help="Manage user accounts.")
tokens = AppGroup("tokens", help="Manage API tokens for other programs.")
demo = AppGroup("demo", help="Demonstration data.")


def init_app(app) -> None:
    """Register the command groups."""
    from fieldkit.areas.commands import areas
    from fieldkit.backup import commands as backup_commands
    from fieldkit.exports.commands import export
    from fieldkit.photos.commands import photos
    from fieldkit.reports.commands import report
    from fieldkit.targets.commands import targets

    for group in (users, tokens, demo, backup_commands.backup, backup_commands.restore):
        app.cli.add_command(group)
    app.cli.add_command(areas)
    app.cli.add_command(targets)
    app.cli.add_command(report)
    app.cli.add_command(export)
    app.cli.add_command(photos)


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--area", "area_code", help="Commune code that scopes this user.")
@click.option("--name", "display_name", help="Display name (defaults to the username).")
def create_user(username: str, role: str, area_code: str | None, display_name: str | None) -> None:
    """Create a user; the password is read from standard input."""
    if db.session.scalar(db.select(User).filter_by(username=username)):
        raise click.ClickException(f"user {username!r} already exists")
    if area_code and db.session.get(Area, area_code) is None:
        raise click.ClickException(f"unknown commune code {area_code!r}")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=sys.stdin.isatty())
    if len(password) < 8:
        raise click.ClickException("the password must have at least 8 characters")
    user = User(username=username, display_name=display_name or username, role=role, area_code=area_code)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {username}" + (f" for commune {area_code}" if area_code else ""))


@tokens.command("create")
@click.option("--user", "username", required=True)
@click.option("--label", default="")
def create_token(username: str, label: str) -> None:
    """Create an API token; it is printed once, as the last line."""
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    token = ApiToken.generate()
    db.session.add(ApiToken(user_id=user.id, label=label, token_hash=hash_token(token)))
    db.session.commit()
    click.echo(f"token for {username} (store it now; it is not shown again):")
    click.echo(token)


@demo.command("load")
@click.option("--activities", default=2000, show_default=True, help="How many activities to make.")
@click.option("--seed", default=159, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the logins) when data is already there.")
def load_demo(activities: int, seed: int, if_empty: bool) -> None:
    """Fill an empty database with Can Tho's communes, illustrative statistics, users and activities."""
    from fieldkit import demo as demo_data
    from fieldkit.demo import people

    if if_empty and not demo_data.is_empty():
        click.echo("demo: the database already has data; keeping it.")
        logins = people.stored()
    else:
        try:
            summary = demo_data.load(activities=activities, seed=seed)
        except demo_data.DemoError as error:
            raise click.ClickException(str(error)) from None
        click.echo(
            f"demo: {summary['areas']} communes (approximate boundaries), illustrative statistics, "
            f"{summary['activities']} activities, {summary['photos']} photos"
        )
        logins = summary["logins"]
    click.echo("demo logins (username / password / role):")
    for username, password, role, area in logins:
        click.echo(f"  {username:<12} {password:<20} {role}{' — ' + area if area else ''}")
