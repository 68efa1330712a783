"""Distances on the WGS 84 ellipsoid, with geopy's geodesic.

geopy brings its geocoders and their HTTP clients with it, so it is imported at the first distance, not when the app
or a command starts.
"""


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The geodesic distance between two (latitude, longitude) points, in metres."""
    from geopy.distance import geodesic

    return geodesic(a, b).meters
