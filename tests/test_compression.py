"""Answers leave the app compressed when the client accepts it, whatever sits in front (issue 16)."""

import gzip
import re

import brotli
import pytest
from backports import zstd

from fieldkit import compression
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


@pytest.mark.parametrize("path", ["/static/css/app.css", "/static/vendor/leaflet/leaflet.js"])
def test_a_static_file_is_compressed_once_at_its_smallest(client, monkeypatch, path):
    made, real = [], compression._compressed
    monkeypatch.setattr(compression, "_kept", {})
    monkeypatch.setattr(
        compression, "_compressed", lambda data, encoding: made.append(encoding) or real(data, encoding)
    )
    with client.get(path, headers={"Accept-Encoding": "identity"}) as sent:
        plain = sent.data
    answers = [client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}) for _ in range(3)]
    gzipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert made == ["br", "gzip"]  # once per encoding, however many visitors
    assert {a.headers["Content-Encoding"] for a in answers} == {"br"} and gzipped.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(answers[0].data) == plain and gzip.decompress(gzipped.data) == plain
    assert len(answers[0].data) < len(gzipped.data) < len(plain)
    assert "Accept-Encoding" in answers[0].headers["Vary"]
    again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": answers[0].headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_the_map_bundle_is_compressed_once_too(client, make_user, login):
    login(make_user("supervisor"))
    page = client.get("/map").get_data(as_text=True)
    link = re.search(r'src="(/static/bundle/map\.js\?v=[0-9a-f]+)"', page).group(1)
    answer = client.get(link, headers={"Accept-Encoding": "br"})
    assert answer.headers["Content-Encoding"] == "br"
    assert brotli.decompress(answer.data) == client.get(link).data
