"""What starting fieldkit loads: the heavy libraries wait for the first page or command that needs them.

Every ``flask --app app …`` command and every app server imports ``app``; numpy and shapely (placing a point),
Pillow (a photo), zxcvbn (a password), limits (a sign-in), segno (a QR code), Alembic (a migration), geopy,
folium, openpyxl, boto3 and GDAL/PROJ are imported where they are used, so that starting costs none of them. Each
case runs in a fresh interpreter, as a command does; a module-level import of one of them anywhere on the way
fails here with its name.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "numpy",
    "shapely",
    "PIL",
    "zxcvbn",
    "limits",
    "segno",
    "alembic",
    "flask_migrate",
    "geopy",
    "folium",
    "openpyxl",
    "boto3",
    "pyogrio",
    "pyproj",
    "babel.messages.pofile",
)
# Prints, when the interpreter ends, which of the heavy modules it had loaded; then runs the given code.
REPORT = f"""
import atexit, json, sys
atexit.register(lambda: print("LOADED " + json.dumps([m for m in {HEAVY!r} if m in sys.modules])))
"""


def loaded_after(code: str, app, tmp_path) -> list[str]:
    """The heavy modules in sys.modules when a fresh interpreter has run code against the test's database."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FIELDKIT_SECRET_KEY": "startup-test-" + "x" * 32,
        "FIELDKIT_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    done = subprocess.run(
        [sys.executable, "-c", REPORT + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("LOADED "))
    return json.loads(line.removeprefix("LOADED "))


def test_the_app_starts_without_the_heavy_libraries(app, tmp_path):
    assert loaded_after("import app", app, tmp_path) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["export", "--help"],
        ["export", "--format", "csv", "--out", "{out}"],
        ["users", "--help"],
    ],
)
def test_a_command_runs_without_the_heavy_libraries(app, tmp_path, arguments):
    out = tmp_path / "activities.csv"
    argv = ["flask", "--app", "app", *(a.format(out=out) for a in arguments)]
    code = f"import sys\nfrom flask.cli import main\nsys.argv = {argv!r}\nmain()"
    assert loaded_after(code, app, tmp_path) == []
    if "--out" in arguments:
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the CSV was written: its BOM, then the header


def test_the_report_names_a_heavy_library_that_is_imported(app, tmp_path):
    """The check itself sees an import: a page that places a point loads numpy and shapely."""
    loaded = loaded_after("import app\nfrom fieldkit.areas import index", app, tmp_path)
    assert {"numpy", "shapely"} <= set(loaded)
