"""The stored photo: the phone's JPEG kept as sent but for its metadata, anything else re-encoded; never metadata."""

import io
import struct

import numpy as np
import pytest
from PIL import Image, ImageCms

from fieldkit.config import DEFAULTS
from fieldkit.photos import imaging, jpeg

LIMITS = {"max_pixels": DEFAULTS["FIELDKIT_MAX_PHOTO_PIXELS"], "long_edge": 2048, "thumb_edge": 320}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def picture(width=640, height=480, mode="RGB", seed=1) -> Image.Image:
    """Noise over a gradient: a picture whose every pixel a wrong decode would change."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0, 200, width)[None, :, None] + np.linspace(0, 50, height)[:, None, None]
    pixels = (ramp + rng.normal(0, 20, (height, width, 3))).clip(0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB").convert(mode)


def encoded(image: Image.Image, fmt="JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def with_segment(data: bytes, marker: int, body: bytes) -> bytes:
    """Splice a segment in right after SOI."""
    return data[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body + data[2:]


def camera_exif(orientation=1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0132], exif[0x0110], exif[0x0112] = "2025:11:20 08:15:00", "Officer's phone", orientation
    exif[0x8825] = {1: "N", 2: (10.0, 0.0, 36.0), 3: "E", 4: (105.0, 42.0, 36.0)}
    return exif


def with_metadata(data: bytes) -> bytes:
    """Everything a camera or an editor adds: EXIF with an embedded thumbnail, XMP, IPTC, comments, trailing bytes."""
    thumbnail = encoded(picture(160, 120, seed=9))
    data = with_segment(data, 0xE1, camera_exif().tobytes())  # b"Exif\0\0" and the TIFF structure
    data = with_segment(data, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>secret place</x:xmpmeta>")
    data = with_segment(data, 0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x05caption")
    data = with_segment(data, 0xFE, b"officer Nguyen at 10.01,105.71")
    data = with_segment(data, 0xE0, b"JFXX\x00\x10" + thumbnail[:60000])  # a JFIF extension thumbnail
    return data + b"\xff\xd8 trailing second image" + thumbnail


def metadata_of(data: bytes) -> tuple[list[str], dict]:
    """The APP and COM segments of a stored JPEG, as Pillow lists them, and what its info carries."""
    with Image.open(io.BytesIO(data)) as image:
        names = [name for name, body in image.applist if not (name == "APP2" and body.startswith(b"ICC_PROFILE"))]
        return names, {key: image.info[key] for key in ("comment", "exif", "xmp") if key in image.info}


JPEGS = {
    "baseline": lambda: encoded(picture(), quality=80),
    "progressive": lambda: encoded(picture(), quality=80, progressive=True),
    "restart intervals": lambda: encoded(picture(), quality=80, restart_marker_blocks=3),
    "grayscale": lambda: encoded(picture(mode="L"), quality=80),
    "4:4:4 with an ICC profile": lambda: encoded(picture(), quality=90, subsampling=0, icc_profile=SRGB),
}


@pytest.mark.parametrize("case", sorted(JPEGS))
def test_strip_keeps_every_pixel_and_drops_every_metadata_segment(case):
    plain = JPEGS[case]()
    stripped = jpeg.strip(with_metadata(plain))
    with Image.open(io.BytesIO(plain)) as original, Image.open(io.BytesIO(stripped)) as kept:
        assert kept.size == original.size and kept.mode == original.mode
        assert kept.tobytes() == original.tobytes()
        assert kept.info.get("icc_profile") == original.info.get("icc_profile")
    assert metadata_of(stripped) == ([], {})
    assert stripped.endswith(b"\xff\xd9") and b"trailing" not in stripped and b"Nguyen" not in stripped
    assert len(stripped) <= len(plain)


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xd8", b"\xff\xd8\xff\xdb\x00\x43", b"GIF89a", encoded(picture())[:-2000]], ids=repr
)
def test_strip_refuses_what_is_not_a_whole_jpeg(data):
    with pytest.raises(jpeg.JpegError):
        jpeg.strip(data)


def test_the_phones_jpeg_is_kept_as_sent_without_its_metadata():
    sent = with_metadata(encoded(picture(1600, 1200), quality=80))
    photo = imaging.process(sent, **LIMITS)
    assert photo.kept and photo.jpeg == jpeg.strip(sent)
    assert (photo.width, photo.height) == (1600, 1200)
    assert (photo.taken_at.isoformat(), round(photo.lat, 2), round(photo.lon, 2)) == (
        "2025-11-20T08:15:00",
        10.01,
        105.71,
    )
    assert metadata_of(photo.jpeg) == ([], {}) and metadata_of(photo.thumb) == (["APP0"], {})  # APP0: Pillow's JFIF
    with Image.open(io.BytesIO(photo.thumb)) as thumb:
        assert max(thumb.size) == 320 and thumb.size == (320, 240)


REENCODED = {
    "over the long edge": (lambda: encoded(picture(3000, 2000), quality=80), (2048, 1365)),
    "turned by its EXIF": (lambda: encoded(picture(800, 600), quality=80, exif=camera_exif(orientation=6)), (600, 800)),
    "CMYK": (lambda: encoded(picture(800, 600, mode="CMYK"), quality=80), (800, 600)),
    "PNG": (lambda: encoded(picture(800, 600), "PNG"), (800, 600)),
    "WebP": (lambda: encoded(picture(800, 600), "WEBP"), (800, 600)),
    "oddly many bytes per pixel": (lambda: encoded(picture(300, 200), quality=100, subsampling=0), (300, 200)),
}


@pytest.mark.parametrize("case", sorted(REENCODED))
def test_what_cannot_be_kept_is_re_encoded_without_any_metadata(case):
    make, size = REENCODED[case]
    sent = make()
    if sent.startswith(b"\xff\xd8"):
        sent = with_segment(with_segment(sent, 0xFE, b"a comment to drop"), 0xE1, b"http://ns.adobe.com/xap/1.0/\x00x")
    photo = imaging.process(sent, **LIMITS)
    assert not photo.kept and (photo.width, photo.height) == size
    with Image.open(io.BytesIO(photo.jpeg)) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB" and stored.size == size
    assert metadata_of(photo.jpeg) == (["APP0"], {}) and metadata_of(photo.thumb) == (["APP0"], {})


def test_a_comment_does_not_survive_re_encoding():
    sent = encoded(picture(3000, 2000), quality=80, comment=b"officer Nguyen at 10.01,105.71")
    assert b"Nguyen" not in imaging.process(sent, **LIMITS).jpeg


def test_a_damaged_kept_jpeg_is_refused():
    sent = encoded(picture(1600, 1200), quality=80)
    with pytest.raises(imaging.PhotoError):
        imaging.process(sent[: len(sent) // 2], **LIMITS)


def test_the_pixel_cap_is_under_50_megapixels_with_room_for_a_camera_photo():
    assert 24_000_000 <= DEFAULTS["FIELDKIT_MAX_PHOTO_PIXELS"] < 50_000_000
    header = encoded(picture(64, 48), quality=80)
    found = jpeg.segments(header)
    sof = next(s for s in found if s.marker in jpeg.FRAMES)
    claims = header[: sof.start + 5] + struct.pack(">HH", 6500, 6500) + header[sof.start + 9 :]  # 42 Mpx
    with pytest.raises(imaging.PhotoError, match="40000000"):
        imaging.process(claims, **LIMITS)
