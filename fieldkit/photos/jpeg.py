"""A JPEG's segments, and the same JPEG written again with only what decoding needs (no re-encoding).

A JPEG is a list of marker segments: SOI, then tables and metadata (APPn, COM, DQT, DHT, DRI, SOF), then one
scan (baseline) or several (progressive), each SOS header followed by entropy-coded data, then EOI. Decoding needs
SOI, DQT, DHT, DRI, SOF, SOS with its data, and EOI. Kept beside them: the ICC profile (APP2, colours) and Adobe's
APP14 (how the components are coded). Everything else goes — APP0 JFIF/JFXX and its thumbnail, APP1 EXIF (time,
position, camera, embedded thumbnail) and XMP, APP13 IPTC, COM comments, MPF's second images after EOI.
"""

from dataclasses import dataclass

SOI, EOI, SOS, DHT, DQT, DRI, DNL = 0xD8, 0xD9, 0xDA, 0xC4, 0xDB, 0xDD, 0xDC
FRAMES = {0xC0, 0xC1, 0xC2}  # baseline, extended sequential, progressive (Huffman): what every browser draws
ALL_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
TABLES = {DQT, DHT, DRI, DNL}
KEPT_APP = {0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
RESTART = range(0xD0, 0xD8)
DECODING = {SOI, EOI, SOS, *TABLES, *ALL_FRAMES, *RESTART}


class JpegError(ValueError):
    """The bytes are not a whole JPEG."""


@dataclass(frozen=True)
class Segment:
    """One marker segment: its marker and its bytes' range (from the FF before the marker, fill bytes left out),
    for SOS the entropy-coded data after it too."""

    marker: int
    start: int
    end: int


def segments(data: bytes) -> list[Segment]:
    """Split a JPEG into its segments, from SOI to the first EOI; JpegError when it is not whole."""
    if data[:2] != b"\xff\xd8":
        raise JpegError("no SOI marker")
    found, position, size = [Segment(SOI, 0, 2)], 2, len(data)
    while True:
        if position >= size or data[position] != 0xFF:
            raise JpegError(f"no marker at byte {position}")
        while position < size and data[position] == 0xFF:  # fill bytes may precede a marker: left out
            position += 1
        if position >= size:
            raise JpegError("ends inside a marker")
        start, marker, position = position - 1, data[position], position + 1
        if marker == EOI:
            found.append(Segment(EOI, start, position))
            return found
        if marker in RESTART or marker == 0x01:
            found.append(Segment(marker, start, position))
            continue
        if position + 2 > size:
            raise JpegError("ends inside a segment length")
        end = position + int.from_bytes(data[position : position + 2], "big")
        if end - position < 2 or end > size:
            raise JpegError(f"segment {marker:02X} at byte {start} runs past the end")
        if marker == SOS:
            end = _scan_end(data, end)
        found.append(Segment(marker, start, end))
        position = end


def _scan_end(data: bytes, position: int) -> int:
    """Where the entropy-coded data that starts at position ends: at the first marker that is not RSTn or FF00."""
    size = len(data)
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= size:
            raise JpegError("the image data is cut off")
        following = data[position + 1]
        if following == 0 or following in RESTART:
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position


def frame(data: bytes, found: list[Segment]) -> tuple[int, int, int, int]:
    """(SOF marker, width, height, components) of the frame header."""
    for segment in found:
        if segment.marker in ALL_FRAMES:
            header = data[segment.start + 4 : segment.end]
            if len(header) < 6:
                raise JpegError("short frame header")
            height, width = int.from_bytes(header[1:3], "big"), int.from_bytes(header[3:5], "big")
            return segment.marker, width, height, header[5]
    raise JpegError("no frame header")


def strip(data: bytes, found: list[Segment] | None = None) -> bytes:
    """The JPEG with only the segments decoding needs (plus the ICC profile and Adobe's APP14), byte for byte."""
    found = segments(data) if found is None else found
    return b"".join(data[segment.start : segment.end] for segment in found if _needed(data, segment))


def _needed(data: bytes, segment: Segment) -> bool:
    if segment.marker in DECODING:
        return True
    signature = KEPT_APP.get(segment.marker)
    return signature is not None and data[segment.start + 4 : segment.start + 4 + len(signature)] == signature
