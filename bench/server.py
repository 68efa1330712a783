"""What the API benchmarks share: a fresh database with the demo communes, officers with tokens, gunicorn."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Officer:
    """A field officer made for a benchmark: who, the bearer token, the home commune."""

    username: str
    token: str
    area_code: str


def flask(env: dict, *args: str, stdin: str | None = None) -> str:
    """Run a fieldkit command and return its output."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres(url: str) -> str:
    """Recreate the database named in url, so the demo loads into an empty one."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def prepare(database_url: str, folder: str) -> dict:
    """Migrate and load the demo communes and users (no activities); answer the environment to serve with."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FIELDKIT_SECRET_KEY": "bench",
        "FIELDKIT_UPLOADS": os.path.join(folder, "uploads"),
    }
    flask(env, "db", "upgrade")
    flask(env, "demo", "load", "--activities", "0")
    return env


def token(env: dict, username: str) -> str:
    """Make an API token for a user with the CLI and return it."""
    return flask(env, "tokens", "create", "--user", username).strip().splitlines()[-1]


@contextmanager
def app_context(env: dict):
    """Run the block inside a fieldkit app on env's database (in this process); answer the app."""
    from fieldkit import create_app
    from fieldkit.extensions import db

    config = {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "bench"}
    config["FIELDKIT_UPLOADS"] = env["FIELDKIT_UPLOADS"]
    app = create_app(config, instance_path=os.path.dirname(env["FIELDKIT_UPLOADS"]))
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def officers(env: dict, count: int) -> list[Officer]:
    """Add ``count`` officers, one per commune in turn, each with a token (in this process: a CLI call for each
    would take minutes)."""
    from fieldkit.extensions import db
    from fieldkit.models import ApiToken, Area, Role, User
    from fieldkit.models.token import hash_token

    made = []
    with app_context(env):
        codes = db.session.scalars(db.select(Area.code).order_by(Area.code)).all()
        for n in range(count):
            user = User(username=f"load{n + 1:03d}", display_name=f"Cán bộ {n + 1}", role=Role.OFFICER)
            user.area_code = codes[n % len(codes)]
            user.password_hash = "!"  # noqa: S105 — no password: they use their tokens
            secret = ApiToken.generate()
            db.session.add_all([user, ApiToken(user=user, label="bench", token_hash=hash_token(secret))])
            made.append(Officer(user.username, secret, user.area_code))
        db.session.commit()
    return made


@dataclass
class Server:
    """A running gunicorn: its base URL and its process id."""

    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn and its live workers."""
        try:
            with open(f"/proc/{self.pid}/task/{self.pid}/children") as children:
                return cpu_seconds([self.pid, *map(int, children.read().split())])
        except OSError:  # not Linux
            return float("nan")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by these processes, from /proc (Linux)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # gone
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(database: str) -> float:
    """CPU time used so far by the PostgreSQL server processes connected to this database (on this machine)."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            pids.append(int(entry.name))
    return cpu_seconds(pids)


@contextmanager
def serve(
    env: dict,
    workers: int = 1,
    worker_class: str = "sync",
    threads: int = 1,
    log: str | None = None,
    app: str = "app:app",
):
    """Run gunicorn on a free loopback port until the block ends (``app``: the WSGI app to serve); yield it as a
    Server."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-k", worker_class, "-b", f"127.0.0.1:{port}"]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    errors = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 — closed below
    process = subprocess.Popen([*command, app], cwd=ROOT, env=env, stdout=errors, stderr=errors)
    try:
        server = Server(f"http://127.0.0.1:{port}", process.pid)
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=1) as answer:  # noqa: S310 — our URL
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {process.returncode}") from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait()
        if log:
            errors.close()
