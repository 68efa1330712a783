"""One photo PUT twice at once (a phone that gave up waiting and sent it again): stored once, answered 201 and 200."""

import hashlib
import threading

from fieldkit.extensions import db
from fieldkit.models import Photo
from fieldkit.photos import services as photos
from tests.factories import PASSWORD, jpeg, talk


def test_the_same_photo_put_twice_at_once_is_stored_once(app, client, officer, monkeypatch):
    body = talk()
    assert client.post("/api/v1/activities", json=body).status_code == 201
    data, username = jpeg(800, 600), officer.username
    together, waited, attach = threading.Barrier(2), set(), photos.attach

    def attach_together(*args):
        # Both requests have found no photo 0; let them store it at the same moment, as two workers would.
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            together.wait(timeout=10)
        return attach(*args)

    monkeypatch.setattr(photos, "attach", attach_together)
    answers = []

    def send():
        own = app.test_client()
        own.post("/login", data={"username": username, "password": PASSWORD})
        answers.append(own.put(f"/api/v1/activities/{body['uuid']}/photos/0", data=data, content_type="image/jpeg"))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [200, 201], [answer.json for answer in answers]
    sha256 = hashlib.sha256(data).hexdigest()
    assert [answer.json["photo"]["sha256"] for answer in answers] == [sha256, sha256]
    db.session.expire_all()
    assert db.session.scalars(db.select(Photo.sha256)).all() == [sha256]
