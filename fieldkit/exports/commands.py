"""flask --app app export --format csv|xlsx|geojson|kml --out FILE [filters]."""

import click
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from fieldkit.exports import services
from fieldkit.exports.columns import COLUMNS
from fieldkit.exports.forms import ExportForm
from fieldkit.exports.present import Presenter
from fieldkit.extensions import db
from fieldkit.models import Role, User


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(services.FORMATS)), required=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="The file to write.")
@click.option("--from", "from", help="First day, YYYY-MM-DD.")
@click.option("--to", "to", help="Last day, YYYY-MM-DD.")
@click.option("--type", "type", help="Activity type.")
@click.option("--area", help="Commune code.")
@click.option("--officer", help="Officer's username.")
@click.option("--status", help="submitted, verified or returned.")
@click.option("--org", help="An implementing body's code.")
@click.option("--flag", help="A quality flag name, or 'any'.")
@click.option("--user", "username", help="Export what this user may see (default: everything).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Words' language.")
@click.option("--codes", is_flag=True, help="Machine codes and the columns' names, for programs.")
@click.option(
    "--base-url", default="http://127.0.0.1:5000", show_default=True, help="The server the photo links point to."
)
def export(fmt: str, out: str, username: str | None, lang: str, codes: bool, base_url: str, **filters) -> None:
    """Write the activity log, filtered as on the pages, to a file; the rows stream through."""
    user = _user(username)
    present = Presenter(COLUMNS, base_url.rstrip("/") + "/activities/", codes)
    args = MultiDict({name: value for name, value in filters.items() if value})
    with force_locale(lang):
        form = ExportForm(args, meta={"csrf": False})
        if not form.validate():
            raise click.UsageError("; ".join(f"--{name}: {errors[0]}" for name, errors in form.public_errors().items()))
        query = services.query(user, form.filters(), form.flag_value())
        written = 0
        with open(out, "wb") as handle:
            for chunk in services.stream(fmt, query, present):
                handle.write(chunk)
                written += len(chunk)
    db.session.rollback()
    click.echo(f"export: wrote {written:,} bytes to {out}")


def _user(username: str | None) -> User:
    """The named user, or a city-wide administrator that exists only for this export."""
    if not username:
        return User(id=0, username="cli", role=Role.ADMIN, area_code=None)
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user
