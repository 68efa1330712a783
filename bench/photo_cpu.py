"""Server CPU per photo PUT, in process: the photo path (prepare + attach) against a bare endpoint that only writes.

Uses bench/load_data.py's phone-like JPEGs (1,600 px long edge, quality 80, made unique by a comment as the load
benchmark does) on a fresh SQLite database. CPU is time.process_time() around each request in one thread.

    .venv/bin/python -m bench.photo_cpu [--photos N] [--label TEXT] [--publish]
"""

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

from flask import request

from bench.load_data import photos, unique
from bench.report import publish
from fieldkit import create_app, schema
from fieldkit.extensions import db
from fieldkit.models import Role, User
from fieldkit.photos import services

PASSWORD = "bench-password-1"  # noqa: S105 — a throwaway database's
VN = timezone(timedelta(hours=7))


def _app(folder: str):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "FIELDKIT_UPLOADS": os.path.join(folder, "uploads"),
            "WTF_CSRF_ENABLED": False,
        },
        instance_path=folder,
    )
    bare = os.path.join(folder, "bare")
    os.makedirs(bare)

    @app.put("/bare/<int:number>")
    def bare_put(number: int):
        """Only write the bytes, durably (fsync, rename, folder fsync), as the photo store does."""
        target = os.path.join(bare, f"{number}.jpg")
        with open(target + ".part", "wb") as handle:
            handle.write(request.get_data())
            os.fsync(handle.fileno())
        os.replace(target + ".part", target)
        folder_handle = os.open(bare, os.O_RDONLY)
        os.fsync(folder_handle)
        os.close(folder_handle)
        return {"ok": True}, 201

    with app.app_context():
        schema.upgrade()
        user = User(username="bench", display_name="bench", role=Role.OFFICER)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    return app


def _entry(client) -> str:
    body = {
        "uuid": str(uuid.uuid4()),
        "type": "talk",
        "occurred_at": (datetime.now(VN) - timedelta(hours=1)).isoformat(timespec="seconds"),
        "lat": 10.03,
        "lon": 105.78,
        "accuracy_m": 9,
        "location_source": "gps",
        "topic": "Tuyên truyền giảm nghèo",
        "format": "talk",
        "participants": 40,
    }
    answer = client.post("/api/v1/activities", json=body)
    assert answer.status_code == 201, answer.json
    return body["uuid"]


def measure(count: int) -> dict[str, list[float]]:
    """CPU ms per request: the photo PUT, its prepare + attach part, and the bare write."""
    with tempfile.TemporaryDirectory() as folder:
        app = _app(folder)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        spent = {"photo PUT": [], "prepare + attach": [], "prepare": [], "attach": [], "bare PUT": []}
        part = {"prepare": 0.0, "attach": 0.0}
        prepare, attach = services.prepare, services.attach

        def timed(function, name):
            def run(*args, **kwargs):
                start = time.process_time()
                try:
                    return function(*args, **kwargs)
                finally:
                    part[name] += time.process_time() - start

            return run

        services.prepare, services.attach = timed(prepare, "prepare"), timed(attach, "attach")
        try:
            base = photos(6)
            for number in range(count + 5):
                data, _ = unique(base[number % len(base)], f"bench {number}")
                uuid_ = _entry(client)
                part.update(prepare=0.0, attach=0.0)
                start = time.process_time()
                answer = client.put(f"/api/v1/activities/{uuid_}/photos/0", data=data, content_type="image/jpeg")
                whole = time.process_time() - start
                assert answer.status_code == 201, answer.json
                start = time.process_time()
                assert client.put(f"/bare/{number}", data=data, content_type="image/jpeg").status_code == 201
                bare = time.process_time() - start
                if number >= 5:  # warm-up
                    spent["photo PUT"].append(whole * 1000)
                    spent["prepare + attach"].append((part["prepare"] + part["attach"]) * 1000)
                    spent["prepare"].append(part["prepare"] * 1000)
                    spent["attach"].append(part["attach"] * 1000)
                    spent["bare PUT"].append(bare * 1000)
        finally:
            services.prepare, services.attach = prepare, attach
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--label", default="")
    parser.add_argument("--publish", action="store_true", help="append the figures to docs/benchmarks.md")
    options = parser.parse_args()
    spent = measure(options.photos)
    bare = statistics.median(spent["bare PUT"])
    lines = [f"\n## Photo PUT, server CPU — {time.strftime('%Y-%m-%d %H:%M')} {options.label}\n\n"]
    lines.append(f"{options.photos} phone-like JPEGs (bench/load_data.py), in process, SQLite; CPU ms per request.\n\n")
    lines.append("| | median | mean | p90 | × bare |\n|---|---:|---:|---:|---:|\n")
    for name, values in spent.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        median = statistics.median(values)
        lines.append(f"| {name} | {median:.1f} | {statistics.mean(values):.1f} | {p90:.1f} | {median / bare:.1f} |\n")
    text = "".join(lines)
    if options.publish:
        publish(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
