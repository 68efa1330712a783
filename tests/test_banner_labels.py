"""A printed label's QR code, read back by a real decoder (zxing-cpp), opens the banner's inspection form; a link
with a bad signature is a 404. The label's link is signed with SECRET_KEY."""

import io
import re
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from fieldkit.banners import labels
from fieldkit.banners.codes import signature
from fieldkit.extensions import db
from fieldkit.models import Banner
from tests.test_banners_assets import banner_entry

SCALE = 8  # pixels per module when the printed SVG is drawn back


def printed_qr(svg: str) -> Image.Image:
    """Draw segno's SVG as printed (a path of 1-unit horizontal strokes: M x y, m dx dy, h n) into an image."""
    width, height = (int(n) for n in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    image = Image.new("L", (width * SCALE, height * SCALE), 255)
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", re.search(r' d="([^"]+)"', svg).group(1)):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            top = int((y - 0.5) * SCALE)
            image.paste(0, (int(x * SCALE), top, int((x + values[0]) * SCALE), top + SCALE))
            x += values[0]
    return image


def decoded(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode, found
    return found[0].text


@pytest.fixture
def banner_codes(client, officer):
    body = banner_entry(quantity=2)
    assert client.post("/api/v1/activities", json=body).status_code == 201
    return body["uuid"], sorted(db.session.scalars(db.select(Banner.code).filter_by(activity_uuid=body["uuid"])))


def test_the_printed_label_reads_back_and_opens_the_inspection_form(client, banner_codes):
    _entry, (code, _other) = banner_codes
    page = client.get(f"/banners/{code}/label")
    assert page.status_code == 200
    label = re.search(r'<section class="label" data-code="(\w+)" data-link="([^"]+)">(.*?)</section>', page.text, re.S)
    assert label.group(1) == code
    text = decoded(printed_qr(label.group(3)))
    assert text == label.group(2) and text.startswith("http://localhost/b/" + code + "?s=")
    assert decoded(Image.open(io.BytesIO(labels.png(text)))) == text  # segno's own PNG reads the same
    parts = urlsplit(text)
    opened = client.get(f"{parts.path}?{parts.query}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/inspect?code={code}"
    form = client.get(opened.headers["Location"])
    assert form.status_code == 200 and f'value="{code}"' in form.text and 'id="inspect-form"' in form.text


def test_a_bad_or_missing_signature_is_a_404(client, banner_codes):
    _entry, (code, other) = banner_codes
    good = signature(code)
    tampered = good[:-1] + ("1" if good[-1] == "0" else "0")
    assert client.get(f"/b/{code}?s={tampered}").status_code == 404
    assert client.get(f"/b/{code}?s={good}").status_code == 302
    assert client.get(f"/b/{code}?s={good.upper()}").status_code == 302  # hex in either case
    assert client.get(f"/b/{other}?s={good}").status_code == 404  # another banner's signature
    assert client.get(f"/b/{code}").status_code == 404
    assert client.get("/b/not-a-code?s=00").status_code == 404


def test_the_signature_depends_on_the_secret_key(app, banner_codes):
    _entry, (code, _other) = banner_codes
    before = signature(code)
    app.config["SECRET_KEY"] = "another-secret"
    assert signature(code) != before and len(before) == 16


def test_a_sheet_holds_every_label_of_an_entry(client, banner_codes, make_user, login):
    entry, codes = banner_codes
    page = client.get(f"/activities/{entry}/labels")
    assert page.status_code == 200
    assert re.findall(r'<section class="label" data-code="(\w+)"', page.text) == codes
    assert "size: A4" in page.text
    assert "size: A6" in client.get(f"/banners/{codes[0]}/label").text
    client.post("/logout")
    login(make_user("officer", "90002"))
    assert client.get(f"/activities/{entry}/labels").status_code == 404
    assert client.get(f"/banners/{codes[0]}/label").status_code == 404


def test_the_link_opens_the_login_first_for_a_stranger(client, banner_codes):
    _entry, (code, _other) = banner_codes
    client.post("/logout")
    opened = client.get(f"/b/{code}?s={signature(code)}")
    assert opened.status_code == 302
    then = client.get(opened.headers["Location"])
    assert then.status_code == 302 and "/login" in then.headers["Location"]
