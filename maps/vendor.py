"""The XStatic packages (from PyPI) whose Leaflet files the app serves, and which of folium's links each file
stands for: lists with no folium behind them, so the file routes can be set up without importing the map builders."""

# The XStatic packages we serve, by the name that appears in their URLs.
PACKAGES = {
    "leaflet": "xstatic.pkg.leaflet",
    "leaflet-markercluster": "xstatic.pkg.leaflet_markercluster",
    "jquery": "xstatic.pkg.jquery",
}


def folder(package: str) -> str:
    """The folder on disk that holds one vendored package's files."""
    import importlib

    return importlib.import_module(PACKAGES[package]).BASE_DIR


# folium's names for its resources -> (package, file) of our copy, or None for what our maps never use.
VENDORED: dict[str, tuple[str, str] | None] = {
    "leaflet": ("leaflet", "leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "jquery": ("jquery", "jquery.min.js"),
    "markerclusterjs": ("leaflet-markercluster", "leaflet.markercluster.js"),
    "markerclustercss": ("leaflet-markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet-markercluster", "MarkerCluster.Default.css"),
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}
