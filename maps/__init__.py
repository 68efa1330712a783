"""folium map builders: pure functions from plain data (areas, statistics, points) to a folium.Map.

No Flask, no database, no network inside. folium takes (lat, lon); GeoJSON takes [lon, lat].
"""
