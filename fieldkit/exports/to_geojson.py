"""GeoJSON (RFC 7946): a FeatureCollection of points, [lon, lat] in WGS84, no crs member, typed properties.

Entries without a position are not features; the foreign member "fieldkit:missing_position" counts them.
"""

import json
from collections.abc import Iterable, Iterator, Sequence

from fieldkit.exports.columns import Column, Kind

CHUNK = 64 * 1024
MISSING = "fieldkit:missing_position"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def write(columns: Sequence[Column], rows: Iterable[tuple]) -> Iterator[bytes]:
    """Yield the collection in chunks; the count of entries left out comes last, once it is known."""
    names = [column.name for column in columns]
    index = {name: i for i, name in enumerate(names)}
    uuid_at, lat_at, lon_at = index["uuid"], index["lat"], index["lon"]
    local = [i for i, c in enumerate(columns) if c.kind is Kind.LOCAL_TIME]
    utc = [i for i, c in enumerate(columns) if c.kind is Kind.UTC_TIME]
    yield b'{"type":"FeatureCollection","features":['
    parts, size, missing, separator = [], 0, 0, ""
    for row in rows:
        lat, lon = row[lat_at], row[lon_at]
        if lat is None or lon is None:
            missing += 1
            continue
        cells = list(row)
        for i in local:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat()
        for i in utc:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat() + "Z"
        feature = (
            f'{separator}{{"type":"Feature","id":{_encode(row[uuid_at])},'
            f'"geometry":{{"type":"Point","coordinates":[{lon!r},{lat!r}]}},'
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
