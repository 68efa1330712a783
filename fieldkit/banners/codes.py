"""Banner codes: six characters of Crockford's base32, which a person reads off a label and types without doubt
(no I, L, O or U; a typed O is read as 0, I and L as 1), and the signature of a label's link."""

import hashlib
import hmac
import secrets

from flask import current_app

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
SIGNATURE_LENGTH = 16  # hex characters of the HMAC kept on the label: 64 bits
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A random code (32^6: about a billion; the unique column catches the rare repeat)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The code as stored, from what a person typed (any case, spaces or dashes, O for 0), or None."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -_").translate(_TYPED)
    return code if len(code) == LENGTH and all(ch in ALPHABET for ch in code) else None


def signature(code: str) -> str:
    """The label link's signature: HMAC-SHA256 of the code with SECRET_KEY, truncated."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"banner-label:" + code.encode(), hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def signed(code: str, given: str | None) -> bool:
    """Tell whether ``given`` is this code's signature (compared in constant time)."""
    return bool(given) and hmac.compare_digest(signature(code), given.lower())
