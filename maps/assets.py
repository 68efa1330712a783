"""Serve every script and stylesheet a map needs from the app itself: no CDN, so maps work on a closed network.

folium links Leaflet, jQuery, Bootstrap and awesome-markers from CDNs. ``localize`` points the links we carry
(installed from PyPI as XStatic packages) at the app's copies and drops Bootstrap and awesome-markers, which our
maps do not use (and jQuery, unless a folium popup needs it); any other outside link is refused, so a new plugin
cannot quietly bring a CDN back.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

from maps.vendor import PACKAGES, VENDORED


@dataclass(frozen=True)
class Assets:
    """Where the page finds its files: the vendored libraries' base URL and the app's own map scripts and styles."""

    vendor: str  # e.g. "/static/vendor": a package's file is at f"{vendor}/{package}/{file}"
    scripts: tuple[str, ...] = ()  # loaded after Leaflet, in this order
    styles: tuple[str, ...] = ()
    covers: frozenset[str] = frozenset()  # folium's names (VENDORED) of the files these scripts and styles hold

    def __post_init__(self):
        for url in (self.vendor, *self.scripts, *self.styles):
            if not url.startswith("/") or url.startswith("//"):
                raise ValueError(f"Expected a path on this server (starting with one '/'), got {url!r}")

    def url(self, package: str, file: str) -> str:
        """Return the URL of one vendored file."""
        if package not in PACKAGES:
            raise ValueError(f"Expected one of the vendored packages {sorted(PACKAGES)}, got {package!r}")
        return f"{self.vendor.rstrip('/')}/{package}/{file}"


def localize(m: folium.Map, assets: Assets) -> folium.Map:
    """Rewrite the links of the map and of every element on it to the app's copies; add the app's map files.

    Call it after the last element was added (``LocalMap`` does it when rendering).
    """
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            element.default_js = _local(element.default_js, assets)
            element.default_css = _local(element.default_css, assets)
    if not _needs_jquery(m):
        m.default_js = [link for link in m.default_js if link[0] != "jquery"]
    own_js = [(f"fieldkit_js_{i}", url) for i, url in enumerate(assets.scripts)]
    own_css = [(f"fieldkit_css_{i}", url) for i, url in enumerate(assets.styles)]
    m.default_js = [link for link in m.default_js if not link[0].startswith("fieldkit_js_")] + own_js
    m.default_css = [link for link in m.default_css if not link[0].startswith("fieldkit_css_")] + own_css
    return m


class LocalMap(folium.Map):
    """A folium.Map that localizes its links when it is rendered, so late additions are covered too."""

    def __init__(self, *args, assets: Assets, **kwargs):
        super().__init__(*args, **kwargs)
        self.assets = assets

    def render(self, **kwargs):
        localize(self, self.assets)
        super().render(**kwargs)


def _local(links: list[tuple[str, str]], assets: Assets) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if url.startswith("/") and not url.startswith("//"):
            out.append((name, url))
        elif name in assets.covers:
            continue
        elif name not in VENDORED:
            raise ValueError(f"No local copy of {name!r} ({url}); vendor it or leave the plugin out")
        elif VENDORED[name] is not None:
            out.append((name, assets.url(*VENDORED[name])))
    return out


def _needs_jquery(m: folium.Map) -> bool:
    """Of folium's own scripts only its popups and its objects kept in front call jQuery; without them the page
    does not load it (87 KB)."""
    return bool(m.objects_to_stay_in_front) or any(isinstance(element, folium.Popup) for element in _walk(m))


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)
