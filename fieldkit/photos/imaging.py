"""Check, read and store an uploaded image with Pillow. Pure functions: bytes in, bytes out.

The phone already sends an upright JPEG of at most 1,600 px without EXIF (outbox-photos.js draws it on a canvas).
Such a JPEG is kept as sent, its metadata segments cut out without re-encoding (jpeg.strip), and only its
thumbnail is drawn, from a reduced decode (JPEG's DCT scaling: 1/2 to 1/8 of the pixels). Anything else — too
large, not JPEG, CMYK, turned by an EXIF orientation, an unusual JPEG coding, oddly many bytes per pixel — is
decoded and re-encoded, with no metadata at all.
"""

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from fieldkit.photos import exif as exif_values
from fieldkit.photos import jpeg
from fieldkit.photos.processed import PhotoError, ProcessedPhoto

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
KEPT_MODES = {"RGB", "L"}
KEEP_MAX_BYTES_PER_PIXEL = 1.5  # a phone's quality-80 photo takes ~0.15; more is a file worth shrinking


def process(data: bytes, *, max_pixels: int, long_edge: int, thumb_edge: int) -> ProcessedPhoto:
    """Verify the bytes are a whole image, read its EXIF, and keep or re-encode it without any metadata."""
    probe = _open_checked(data, max_pixels)
    found = exif_values.read(probe)
    stored = _as_sent(data, probe, long_edge, found.orientation)
    kept = stored is not None
    if kept:
        thumb = _decoded(stored, _fitted(probe.size, thumb_edge))  # the stored bytes themselves: they decode, whole
        width, height = probe.size
    else:
        image = ImageOps.exif_transpose(_decoded(data, _fitted(probe.size, long_edge))).convert("RGB")
        image.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS)
        # Optimized Huffman tables save 5 % of a photo's bytes for twice the encoding time: worth it for the
        # thumbnails that lists and maps load by the dozen over a weak link, not for the photo.
        stored, thumb, (width, height) = _encode(image, 85, optimize=False), image, image.size
    thumb = thumb.convert("RGB") if thumb.mode not in KEPT_MODES else thumb
    # Bicubic: from the reduced decode (~1.25× larger) it looks as Lanczos does, in two thirds of the time.
    thumb.thumbnail((thumb_edge, thumb_edge), Image.Resampling.BICUBIC)
    thumb_jpeg = _encode(thumb, 75, optimize=True)
    return ProcessedPhoto(stored, thumb_jpeg, width, height, found.taken_at, found.lat, found.lon, kept)


def _as_sent(data: bytes, probe: Image.Image, long_edge: int, orientation: int) -> bytes | None:
    """The upload without its metadata when it can be stored as it is; None when it must be re-encoded."""
    if probe.format not in ("JPEG", "MPO") or probe.mode not in KEPT_MODES or orientation != 1:
        return None
    if max(probe.size) > long_edge:
        return None
    try:
        found = jpeg.segments(data)
        sof, width, height, _ = jpeg.frame(data, found)
    except jpeg.JpegError:
        return None  # Pillow read it; let the re-encoding path decide whether it is whole
    if sof not in jpeg.FRAMES or (width, height) != probe.size:
        return None
    stripped = jpeg.strip(data, found)
    return stripped if len(stripped) <= KEEP_MAX_BYTES_PER_PIXEL * width * height else None


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    """Open by content (never by name), refusing formats we do not take, bombs and broken files; not decoded yet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of corrupt EXIF when it opens the file: exif.py drops it
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoError(_l("%(format)s images are not accepted; send JPEG, PNG or WebP.", format=probe.format))
            if probe.width * probe.height > max_pixels:
                raise PhotoError(
                    _l(
                        "%(width)d×%(height)d pixels is over the limit of %(limit)d.",
                        width=probe.width,
                        height=probe.height,
                        limit=max_pixels,
                    )
                )
            Image.open(io.BytesIO(data)).verify()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_l("The image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise PhotoError(_l("The file is not an image; send JPEG, PNG or WebP.")) from None
    except (OSError, SyntaxError, ValueError):
        raise _damaged() from None
    return probe


def _fitted(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """The size that fits size into edge × edge (never larger than it is)."""
    scale = min(1.0, edge / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _decoded(data: bytes, box: tuple[int, int]) -> Image.Image:
    """Decode the image whole (truncated data is refused), a JPEG at the smallest DCT scale that still covers box
    (box is in the file's own orientation: turning it afterwards only swaps the sides)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of corrupt EXIF when it opens the file: exif.py drops it
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format in ("JPEG", "MPO"):
                image.draft(None, box)
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _damaged() from None
    return image


def _damaged() -> PhotoError:
    return PhotoError(_l("The image is damaged or incomplete; take or choose it again."))


def _encode(image: Image.Image, quality: int, optimize: bool) -> bytes:
    """JPEG without any metadata: Pillow would carry the source's comment (and XMP) over from image.info."""
    image.info.clear()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=optimize)
    return out.getvalue()
