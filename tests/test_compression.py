"""Answers leave the app compressed when the client accepts it, whatever sits in front (issue 16)."""

import gzip

from backports import zstd

from tests.factories import jpeg, talk


def test_a_page_is_gzipped_for_a_client_that_asks(client):
    plain = client.get("/login")
    packed = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2


def test_a_streamed_export_is_compressed_as_it_streams(client, officer):
    assert client.post("/api/v1/activities", json=talk()).status_code == 201
    plain = client.get("/export/activities.csv?codes=1")
    packed = client.get("/export/activities.csv?codes=1", headers={"Accept-Encoding": "zstd"})
    assert packed.headers["Content-Encoding"] == "zstd"
    assert zstd.decompress(packed.data) == plain.data


def test_photos_are_sent_as_they_are(client, officer):
    body = talk()
    client.post("/api/v1/activities", json=body)
    client.put(f"/api/v1/activities/{body['uuid']}/photos/0", data=jpeg(), content_type="image/jpeg")
    photo = client.get(f"/activities/{body['uuid']}/photos/0.jpg", headers={"Accept-Encoding": "gzip, br"})
    assert photo.status_code == 200 and "Content-Encoding" not in photo.headers
