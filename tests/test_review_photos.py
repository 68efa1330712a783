"""The review page links each photo to its stored full-size file, served by the access-checked photo view."""

import io
import re
import uuid as uuid_module
from datetime import datetime, timedelta

from PIL import Image

from fieldkit.activities import services
from fieldkit.extensions import db
from fieldkit.photos.services import prepare
from tests.factories import INSIDE_A, PASSWORD, VN, jpeg


def test_the_photo_link_opens_the_full_size_photo_in_the_viewer(app, client, make_user, login, areas):
    officer = make_user("officer", "90001")
    data = {
        "uuid": str(uuid_module.uuid4()),
        "type": "banner",
        "occurred_at": datetime.now(VN).replace(microsecond=0) - timedelta(days=1),
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "accuracy_m": 10.0,
        "location_source": "gps",
        "declared_area_code": "90001",
        "topic": "Pa-nô",
        "notes": "",
        "details": {"kind": "panel", "quantity": 1},
    }
    activity, _ = services.receive(officer, data, {0: prepare(jpeg(1600, 1200))})
    db.session.commit()
    login(make_user("supervisor"))
    page = client.get(f"/review/{activity.uuid}").text
    link = re.search(r'<a href="([^"]+)" data-zoom data-width="1600" data-height="1200"', page)
    assert link and link.group(1) == f"/activities/{activity.uuid}/photos/0.jpg"
    assert 'id="photo-viewer"' in page and "js/photo-zoom.js" in page
    assert Image.open(io.BytesIO(client.get(link.group(1)).data)).size == (1600, 1200)
    thumb = re.search(r'<img src="([^"]+)" alt="Ảnh 1"', page).group(1)
    assert thumb.endswith("/photos/0.thumb.jpg") and Image.open(io.BytesIO(client.get(thumb).data)).size == (320, 240)

    other = app.test_client()  # another commune's supervisor gets neither
    login_form = {"username": make_user("supervisor", "90002").username, "password": PASSWORD}
    assert other.post("/login", data=login_form).status_code == 302
    assert other.get(link.group(1)).status_code == other.get(thumb).status_code == 404
