"""Text rules shared by the forms and the importers: invisible characters dropped, hidden controls refused."""

import re

from flask_babel import lazy_gettext as _l

# Invisible characters some keyboards and copy-paste leave in text; they carry nothing Vietnamese needs: removed.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Refused: C0/C1 controls but tab and line breaks (NUL cannot even be stored by PostgreSQL), lone surrogates
# (not text; no database driver can encode them), and bidi embeddings, overrides and isolates, which make text
# show in another order than it is stored ("Trojan Source") in the review pages, exports and KML.
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def refusal(text: str):
    """The message refusing text with a hidden control or text-direction character, or None when it has none."""
    found = REFUSED.search(text)
    if found is None:
        return None
    return _l(
        "Contains an invisible control or text-direction character (U+%(code)s, character "
        "%(position)d), which is not accepted; delete it and try again.",
        code=f"{ord(found.group()):04X}",
        position=found.start() + 1,
    )
