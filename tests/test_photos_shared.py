"""Content-addressed files are shared: a failed upload never removes a file another entry's receipt relies on."""

import hashlib
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from fieldkit.extensions import db
from fieldkit.photos import services as photos
from fieldkit.photos import storage
from fieldkit.photos.storage import settle
from tests.factories import PASSWORD, jpeg, talk

WAIT = 10


@pytest.mark.parametrize("store", ["file", "s3"])
def test_a_failed_upload_keeps_the_files_of_the_same_photo_answered_201_for_another_entry(
    request, app, client, officer, monkeypatch, store
):
    if store == "s3":
        request.getfixturevalue("s3_photos")
    entries = [talk(), talk()]
    for body in entries:
        assert client.post("/api/v1/activities", json=body).status_code == 201
    data, username = jpeg(800, 600, colour=(1, 2, 3)), officer.username
    a_saved, b_saved, a_answered = threading.Event(), threading.Event(), threading.Event()
    save, attach = storage.save, photos.attach

    def save_in_turn(*args, **kwargs):
        result = save(*args, **kwargs)
        (a_saved if threading.current_thread().name == "A" else b_saved).set()
        return result

    def attach_in_turn(*args):
        # A wrote the files, B found them there; A's transaction then fails (the database briefly locked), and
        # B commits only after A has cleaned up after itself.
        result = attach(*args)
        if threading.current_thread().name == "A":
            assert b_saved.wait(WAIT)
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        assert a_answered.wait(WAIT)
        return result

    answers, clients = {}, {"A": app.test_client(), "B": app.test_client()}
    for own in clients.values():  # before the race: a login writes too
        own.post("/login", data={"username": username, "password": PASSWORD})

    def send(name, uuid):
        answers[name] = clients[name].put(f"/api/v1/activities/{uuid}/photos/0", data=data, content_type="image/jpeg")
        if name == "A":
            a_answered.set()

    monkeypatch.setattr(storage, "save", save_in_turn)
    monkeypatch.setattr(photos, "attach", attach_in_turn)
    first = threading.Thread(target=send, args=("A", entries[0]["uuid"]), name="A")
    first.start()
    assert a_saved.wait(WAIT)
    second = threading.Thread(target=send, args=("B", entries[1]["uuid"]), name="B")
    second.start()
    first.join(WAIT)
    second.join(WAIT)
    assert (answers["A"].status_code, answers["B"].status_code) == (503, 201)
    monkeypatch.undo()
    sha = hashlib.sha256(data).hexdigest()
    assert [storage.exists(f"{sha[:2]}/{sha}{end}") for end in (".jpg", ".thumb.jpg")] == [True, True]
    served = client.get(f"/activities/{entries[1]['uuid']}/photos/0.jpg")
    assert served.status_code == 200 and served.data


def test_a_failed_upload_that_removed_files_a_photo_committed_meanwhile_writes_them_back(
    app, client, officer, monkeypatch
):
    body, data = talk(), jpeg(700, 500, colour=(4, 5, 6))
    assert client.post("/api/v1/activities", json=body).status_code == 201
    answer = client.put(f"/api/v1/activities/{body['uuid']}/photos/0", data=data, content_type="image/jpeg")
    assert answer.status_code == 201
    sha = hashlib.sha256(data).hexdigest()
    names = [f"{sha[:2]}/{sha}{end}" for end in (".jpg", ".thumb.jpg")]
    contents = [storage.read(name) for name in names]
    # As if another request had written these files and failed, and had looked before that photo's commit.
    used, looked = settle._used, []

    def stale_first(session, entries):
        looked.append(entries)
        return set() if len(looked) == 1 else used(session, entries)

    monkeypatch.setattr(settle, "_used", stale_first)
    db.session.scalar(sa.select(sa.literal(1)))
    db.session.info[settle.STORE] = storage.store()
    db.session.info[settle.WRITTEN] = [(sha, name, content) for name, content in zip(names, contents, strict=True)]
    db.session.rollback()
    assert len(looked) == 2  # before removing, and after
    assert [storage.read(name) for name in names] == contents
