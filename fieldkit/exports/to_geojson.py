"""GeoJSON (RFC 7946): a FeatureCollection of points, [lon, lat] in WGS84, no crs member, typed properties.

An entry without a position is a feature too, with "geometry": null (an "unlocated" feature, RFC 7946 §3.2), so
the file holds every entry; the foreign member "fieldkit:missing_position" says how many have none.
"""

import json
from collections.abc import Iterable, Iterator, Sequence

from fieldkit.exports.columns import Column, Kind

CHUNK = 64 * 1024
MISSING = "fieldkit:missing_position"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def write(columns: Sequence[Column], rows: Iterable[tuple], keys: Sequence[str] | None = None) -> Iterator[bytes]:
    """Yield the collection in chunks, properties under keys (the columns' names unless given); the count of
    entries without a position comes last, once it is known."""
    index = {column.name: i for i, column in enumerate(columns)}
    names = list(keys or index)
    uuid_at, lat_at, lon_at = index["uuid"], index["lat"], index["lon"]
    local = [i for i, c in enumerate(columns) if c.kind is Kind.LOCAL_TIME]
    utc = [i for i, c in enumerate(columns) if c.kind is Kind.UTC_TIME]
    yield b'{"type":"FeatureCollection","features":['
    parts, size, missing, separator = [], 0, 0, ""
    for row in rows:
        lat, lon = row[lat_at], row[lon_at]
        if lat is None or lon is None:
            missing += 1
            geometry = "null"
        else:
            geometry = f'{{"type":"Point","coordinates":[{lon!r},{lat!r}]}}'
        cells = list(row)
        for i in local:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat()
        for i in utc:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat() + "Z"
        feature = (
            f'{separator}{{"type":"Feature","id":{_encode(row[uuid_at])},'
            f'"geometry":{geometry},'
            f'"properties":{_encode(dict(zip(names, cells, strict=True)))}}}'
        )
        separator = ",\n"
        parts.append(feature)
        size += len(feature)
        if size >= CHUNK:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append(f'],"{MISSING}":{missing}}}\n')
    yield "".join(parts).encode()
