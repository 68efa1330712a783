"""GET /api/v1/areas/outlines: the officer's commune and those around it, compact, revalidated by ETag."""

from fieldkit.extensions import db
from fieldkit.models import Area
from tests.factories import square


def test_an_officer_gets_their_commune_and_its_neighbours_as_flat_rings(client, officer):
    db.session.add(
        Area(
            code="99999",
            name="Xa Lắm",
            kind="Xã",
            province_code="92",
            geometry=square((106.5, 10.5, 106.6, 10.6)),
            centroid_lat=10.55,
            centroid_lon=106.55,
            bbox=[106.5, 10.5, 106.6, 10.6],
        )
    )
    db.session.commit()
    response = client.get("/api/v1/areas/outlines")
    assert response.status_code == 200
    data = response.json
    assert data["scope"] == "90001" and data["tolerance_m"] == 200
    assert [a["code"] for a in data["areas"]] == ["90001", "90002"]  # the far commune is left out
    first = data["areas"][0]
    assert first["name"] == "Phường An Thử" and first["bbox"] == [105.7, 10.0, 105.72, 10.02]
    assert first["polygons"] == [[[105.7, 10.0, 105.72, 10.0, 105.72, 10.02, 105.7, 10.02, 105.7, 10.0]]]
    assert response.headers["Cache-Control"] in ("private, no-cache", "no-cache, private")


def test_the_same_outlines_answer_304_and_a_changed_commune_a_new_version(client, officer):
    first = client.get("/api/v1/areas/outlines")
    again = client.get("/api/v1/areas/outlines", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    area = db.session.get(Area, "90002")
    area.name = "Bình Thử Mới"
    db.session.commit()
    changed = client.get("/api/v1/areas/outlines", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.json["version"] != first.json["version"]


def test_a_user_without_a_commune_gets_every_commune_and_nobody_else_any(client, app, areas, make_user, login):
    assert client.get("/api/v1/areas/outlines").status_code == 401
    login(make_user("supervisor"))
    data = client.get("/api/v1/areas/outlines").json
    assert data["scope"] is None and [a["code"] for a in data["areas"]] == ["90001", "90002"]
