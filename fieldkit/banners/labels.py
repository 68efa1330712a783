"""A banner's label: the signed link its QR code holds, and the code drawn (segno) as SVG for the page or PNG.

The link is ``/b/<code>?s=<signature>`` on this server: a phone's camera app opens it, the server checks the
signature (a label made elsewhere is a 404) and sends the officer on to the inspection form for that banner.
"""

import io

from flask import url_for

from fieldkit.banners.codes import signature


def link(code: str) -> str:
    """The absolute, signed URL a banner's label holds."""
    return url_for("banners.scan", code=code, s=signature(code), _external=True)


def _qr(text: str):
    import segno  # loads at the first label drawn, not at start-up

    return segno.make(text, error="m")  # 15% of the label may be dirty or torn and it still reads


def svg(text: str) -> str:
    """The QR code as inline SVG that scales to its box (no fixed size)."""
    return _qr(text).svg_inline(scale=1, border=4, omitsize=True, svgclass="qr")


def png(text: str, scale: int = 8) -> bytes:
    """The QR code as a PNG image."""
    out = io.BytesIO()
    _qr(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
