"""The fieldkit commands under ``flask --app app``: users, tokens, demo."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from fieldkit.extensions import db
from fieldkit.models import ApiToken, Role, User
from fieldkit.models.signin_code import revoke_open
from fieldkit.models.token import hash_token

users = AppGroup("users", help="Manage user accounts.")
tokens = AppGroup("tokens", help="Manage API tokens for other programs.")
demo = AppGroup("demo", help="Demonstration data.")
coverage = AppGroup("coverage", help="The coverage rollup.")


def init_app(app) -> None:
    """Register the command groups."""
    from fieldkit.areas.commands import areas
    from fieldkit.backup import commands as backup_commands
    from fieldkit.exports.commands import export
    from fieldkit.funding.commands import allocations
    from fieldkit.organizations.commands import organizations
    from fieldkit.photos.commands import photos
    from fieldkit.reports.commands import report
    from fieldkit.targets.commands import targets

    for group in (users, tokens, demo, coverage, backup_commands.backup, backup_commands.restore):
        app.cli.add_command(group)
    app.cli.add_command(areas)
    app.cli.add_command(targets)
    app.cli.add_command(report)
    app.cli.add_command(export)
    app.cli.add_command(photos)
    app.cli.add_command(organizations)
    app.cli.add_command(allocations)


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--area", "area_code", help="Commune code that scopes this user.")
@click.option("--org", "org", help="Code of the user's body (default: the commune's People's Committee).")
@click.option("--name", "display_name", help="Display name (defaults to the username).")
def create_user(username: str, role: str, area_code: str | None, org: str | None, display_name: str | None) -> None:
    """Create a user with the checks of the admin page's form; the password is read from standard input."""
    from forms.admin import UserForm

    password = read_password(twice=False)
    fields = {"username": username, "display_name": display_name or username, "role": role, "org": org or ""}
    form = checked(UserForm, {**fields, "area_code": area_code or "", "password": password})
    user = User(
        username=form.username.data,
        display_name=form.display_name.data,
        role=role,
        area_code=form.area_code.data,
        organization=form.organization,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(
        f"created {role} {user.username}"
        + (f" for commune {user.area_code}" if user.area_code else "")
        + (f" in {form.organization.code}" if form.organization else "")
    )


@users.command("set-password")
@click.argument("username")
def set_password(username: str) -> None:
    """Set a new password, read twice from standard input; every session of the user ends."""
    from forms.admin import PasswordForm

    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    password = read_password(twice=True)
    checked(PasswordForm, {"password": password}, known_words=(user.username, user.display_name))
    user.set_password(password)
    revoke_open(user, None)
    db.session.commit()
    click.echo(f"new password set for {username}; their sessions and sign-in codes have ended")


def checked(form_class, data: dict, **attributes):
    """Validate data with a page's form, in the installation's language; refuse with its messages by field."""
    form = form_class(formdata=MultiDict(data), meta={"csrf": False})
    for name, value in attributes.items():
        setattr(form, name, value)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if form.validate():
            return form
        problems = [
            f"{form[name].label.text}: {' '.join(map(str, messages))}" for name, messages in form.errors.items()
        ]
    raise click.ClickException("\n".join(problems))


def read_password(twice: bool) -> str:
    """The password from the terminal (hidden) or, when piped, from the lines of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=twice)
    lines = sys.stdin.read().splitlines()
    if not lines or (twice and (len(lines) < 2 or lines[0] != lines[1])):
        raise click.ClickException("give the password twice, on two lines; the two must match")
    return lines[0]


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


@coverage.command("rebuild")
def rebuild_coverage() -> None:
    """Count every entry again into the coverage rollup (after an upgrade, a restore or a change of time zone)."""
    from fieldkit.activities import rollup

    rows = rollup.rebuild()
    db.session.commit()
    click.echo(f"coverage: rollup rebuilt, {rows} rows for {current_app.config['FIELDKIT_TIMEZONE']}")


@demo.command("load")
@click.option("--activities", default=2000, show_default=True, help="How many activities to make.")
@click.option("--seed", default=159, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the logins) when data is already there.")
@click.option("--country", is_flag=True, help="The whole country's 3,321 communes and an officer per commune.")
@click.option("--province", "provinces", multiple=True, help="With --country: only this province code (repeatable).")
def load_demo(activities: int, seed: int, if_empty: bool, country: bool, provinces: tuple[str, ...]) -> None:
    """Fill an empty database with Can Tho's communes (or the country's), illustrative statistics, users and
    activities."""
    from fieldkit import demo as demo_data
    from fieldkit.demo import people

    if if_empty and not demo_data.is_empty():
        click.echo("demo: the database already has data; keeping it.")
        from fieldkit.organizations import services as organizations

        added = organizations.seed()  # bodies added to the plan, or communes imported, since the last start
        db.session.commit()
        if added.bodies or added.committees:
            click.echo(f"organizations: {added.bodies} plan bodies and {added.committees} commune committees added")
        logins, more = people.stored(), 0
    else:
        try:
            summary = demo_data.load(activities, seed, country=country, provinces=set(provinces) or None)
        except demo_data.DemoError as error:
            raise click.ClickException(str(error)) from None
        click.echo(
            f"demo: {summary['areas']} communes (approximate boundaries), illustrative statistics, "
            f"{summary['activities']} activities, {summary['photos']} photos"
        )
        logins, more = summary["logins"], summary.get("more_officers", 0)
    click.echo("demo logins (username / password / role):")
    for username, password, role, area in logins:
        click.echo(f"  {username:<12} {password:<20} {role}{' — ' + area if area else ''}")
    if more:
        click.echo(f"  and {more} more officers, canbo<commune code>, with the officers' password")
