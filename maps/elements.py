"""Safe data in a folium page: JSON that no browser or template can misread, placed without a second Jinja pass.

branca turns every rendered script into a new Jinja template (``Element(template=...)``) and renders it again, so
``{{ … }}`` inside a commune's name or an entry's topic would be evaluated on the server. Our layers therefore put
their data in the page through ``Raw``, which is never templated, and ``safe_json`` also escapes the characters
that could end a ``<script>`` or open a Jinja tag, should the text pass through Jinja anyway.
"""

import html
import json
import re

from branca.element import Element, Figure

_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")
_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def safe_json(value) -> str:
    """Return compact JSON that is safe inside <script> and inert to Jinja (strings keep their meaning)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Outside strings compact JSON never has "{" before "{", "%" or "#", so this only rewrites string content.
    return _JINJA_OPENERS.sub(r"\\u007b", text.translate(_UNSAFE))


class Raw(Element):
    """Text placed in the page as it is: rendering returns it, never compiles it."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def add_data(figure: Figure, element_id: str, value) -> None:
    """Put a value in the page as <script type="application/json" id=…>, for FieldkitMap.data(id) to read."""
    if not re.fullmatch(r"[A-Za-z_][\w-]*", element_id):
        raise ValueError(f"Expected an HTML id of letters, digits, '_' and '-', got {element_id!r}")
    script = f'<script type="application/json" id="{element_id}">{safe_json(value)}</script>'
    figure.html.add_child(Raw(script), name=element_id)


def tooltip_text(value: str) -> str:
    """Text for a folium tooltip or popup: folium inserts it as HTML inside a JavaScript template literal that
    branca renders as Jinja again, so escape HTML, the literal's own syntax and Jinja's braces."""
    return html.escape(value).translate({ord("`"): "&#96;", ord("$"): "&#36;", ord("{"): "&#123;", ord("}"): "&#125;"})
