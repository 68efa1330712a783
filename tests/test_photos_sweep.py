"""flask --app app photos sweep: orphans older than the grace time go, everything a photo names stays."""

import hashlib
import os
import time

import pytest

from fieldkit.extensions import db
from fieldkit.photos import storage
from tests.factories import jpeg, talk

HOUR = 3600


@pytest.fixture
def put(client, officer):
    """Return a callable that stores a photo for a new (or the given) entry and answers the entry's uuid."""

    def send(data: bytes, uuid: str | None = None) -> str:
        if uuid is None:
            body = talk()
            assert client.post("/api/v1/activities", json=body).status_code == 201
            uuid = body["uuid"]
        response = client.put(f"/api/v1/activities/{uuid}/photos/0", data=data, content_type="image/jpeg")
        assert response.status_code in (200, 201), response.json
        return uuid

    return send


def names(*images: bytes) -> set[str]:
    shas = [hashlib.sha256(data).hexdigest() for data in images]
    return {f"{sha[:2]}/{sha}{end}" for sha in shas for end in (".jpg", ".thumb.jpg")}


def stored() -> set[str]:
    return {name for name, _ in storage.store().entries()}


def age(name: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(storage.file_path(name), (then, then))


def test_sweep_removes_replaced_and_unfinished_files_and_keeps_used_and_young_ones(app, runner, put):
    replaced, current, shared, young = (jpeg(colour=(i, 200 - i, 90)) for i in (10, 60, 110, 160))
    first = put(replaced)
    put(current, first)  # photo 0 of the first entry replaced: its old files are orphans now
    second, third = put(shared), put(shared)
    put(current, third)  # the third entry's copy of the shared photo is replaced, the second's still uses it
    fourth = put(young)
    put(current, fourth)  # an orphan, but too young: its upload might still be open
    part = f"{hashlib.sha256(b'x').hexdigest()[:2]}/tmpkilled.part"
    storage.store().write(part, b"half a photo")
    for name in stored() - names(young):
        age(name, 2 * HOUR)
    before = stored()
    assert before == names(replaced, current, shared, young) | {part}

    dry = runner.invoke(args=["photos", "sweep", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert {line.removeprefix("would remove ") for line in dry.output.splitlines()[:-1]} == names(replaced) | {part}
    assert stored() == before

    done = runner.invoke(args=["photos", "sweep"])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == "3 orphan files removed, 0 unknown files left alone"
    assert stored() == names(current, shared, young)
    assert second and runner.invoke(args=["photos", "sweep", "--older-than", "0"]).exit_code != 0


def test_a_file_an_open_upload_found_there_is_young_for_the_sweep(app, runner, put):
    data = jpeg(colour=(5, 6, 7))
    uuid = put(data)
    put(jpeg(colour=(250, 8, 8)), uuid)  # orphaned ...
    for name in names(data):
        age(name, 2 * HOUR)
    # ... and found there again by an upload whose transaction is still open.
    storage.save(hashlib.sha256(data).hexdigest(), [(name, b"") for name in sorted(names(data))])
    assert runner.invoke(args=["photos", "sweep"]).exit_code == 0
    assert names(data) <= stored()
    db.session.rollback()
