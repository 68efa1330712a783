"""flask backup / restore: a consistent copy of the database and photos, brought back whole."""

import io
import os
import tarfile

from fieldkit.backup import services
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from tests.factories import jpeg, talk


def test_backup_then_restore_brings_everything_back(app, client, officer, runner, tmp_path):
    for _ in range(3):
        body = talk()
        client.post("/api/v1/activities", json=body)
    client.put(f"/api/v1/activities/{body['uuid']}/photos/0", data=jpeg(), content_type="image/jpeg")
    before = services.counts()
    photo_path = services_path(app)
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    # Damage: delete an entry and the photo's files.
    db.session.execute(db.delete(Photo))
    db.session.execute(db.delete(Activity).where(Activity.uuid == body["uuid"]))
    db.session.commit()
    os.remove(photo_path)
    assert services.counts() != before
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert services.counts() == before
    assert os.path.exists(photo_path)
    assert client.get(f"/api/v1/activities/{body['uuid']}").json["photos"][0]["index"] == 0


def test_restore_refuses_an_archive_with_paths_outside(app, runner, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b'{"dialect": "sqlite", "counts": {}}'
        info = tarfile.TarInfo("../../escape.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code != 0 and "not a fieldkit backup" in result.output
    assert not (tmp_path.parent / "escape.txt").exists()


def services_path(app) -> str:
    photo = db.session.scalar(db.select(Photo))
    return os.path.join(app.config["FIELDKIT_UPLOADS"], photo.path)
