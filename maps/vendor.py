"""The XStatic packages (from PyPI) whose Leaflet files the app serves: a list with no folium behind it, so the
file route can be set up without importing the map builders."""

# The XStatic packages we serve, by the name that appears in their URLs.
PACKAGES = {
    "leaflet": "xstatic.pkg.leaflet",
    "leaflet-markercluster": "xstatic.pkg.leaflet_markercluster",
    "jquery": "xstatic.pkg.jquery",
}
