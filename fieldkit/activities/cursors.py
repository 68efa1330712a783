"""Page cursors: opaque to clients, a kind and a few whole numbers inside (e.g. the last id shown)."""

import base64
import binascii

MAX_DIGITS = 18  # below every database's integer limit


def encode(kind: str, *numbers: int) -> str:
    """The cursor that points after these numbers."""
    text = ":".join((kind, *(str(int(n)) for n in numbers)))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, kind: str, count: int) -> tuple[int, ...]:
    """The numbers of a cursor of this kind; ValueError for anything else."""
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor") from None
    parts = text.split(":")
    numbers = parts[1:]
    if parts[0] != kind or len(numbers) != count or not all(n.isdigit() and len(n) <= MAX_DIGITS for n in numbers):
        raise ValueError("not a cursor")
    return tuple(int(n) for n in numbers)
