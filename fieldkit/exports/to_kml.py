"""KML 2.2 for Google Earth: a placemark per located activity, styled by type, every field in ExtendedData.

An entry without a position is a placemark without a Point: KML 2.2 makes a Placemark's geometry optional
(minOccurs 0), so Google Earth and GDAL list it with its data but draw nothing; the Document's description says
how many there are.
"""

import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from xml.sax.saxutils import quoteattr

from fieldkit.exports.columns import LIST_SEPARATOR, Column, Kind, own_fields, text_xml

NAMESPACE = "http://www.opengis.net/kml/2.2"
ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
CHUNK = 64 * 1024


def kml_colour(hex_rgb: str) -> str:
    """'#c0392b' (RGB) as KML's aabbggrr, opaque."""
    red, green, blue = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"ff{blue}{green}{red}".lower()


def balloon_text(text: str) -> str:
    """Text for a placemark's name or value, which Google Earth shows as HTML: escaped for HTML, then for XML."""
    return text_xml(html.escape(text))


def style(type_name: str, colour: str) -> str:
    """The shared style of one activity type: a circle in the type's colour, no label on the map."""
    return (
        f'<Style id="type-{type_name}"><IconStyle><color>{kml_colour(colour)}</color><scale>1.1</scale>'
        f"<Icon><href>{ICON}</href></Icon></IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>"
    )


def write(
    columns: Sequence[Column],
    rows: Iterable[tuple],
    headers: Sequence[str],
    title: str,
    description: str,
    types: Mapping[str, tuple[str, str]],
    present: Callable[[tuple], tuple] = tuple,
) -> Iterator[bytes]:
    """Yield the document in chunks; types maps each type name to (label, colour); present turns a row (its
    codes kept for the style and the fields of its type) into the values shown."""
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{NAMESPACE}"><Document>'
        f"<name>{text_xml(title)}</name><description>{text_xml(description)}</description>"
        + "".join(style(name, colour) for name, (_label, colour) in types.items())
        + "\n"
    ).encode()
    names = [column.name for column in columns]
    index = {name: i for i, name in enumerate(names)}
    at = {key: index[key] for key in ("uuid", "type", "occurred_at", "lat", "lon", "topic")}
    fields = {name: [i for i in range(len(columns)) if names[i] in own_fields(name)] for name in types}
    data = [
        f'<Data name="{column.name}"><displayName>{text_xml(h)}</displayName><value>'
        for column, h in zip(columns, headers, strict=True)
    ]
    kinds = [column.kind for column in columns]
    parts, size = [], 0
    for row in rows:
        lat, lon = row[at["lat"]], row[at["lon"]]
        point = "" if lat is None or lon is None else f"<Point><coordinates>{lon!r},{lat!r}</coordinates></Point>"
        kind, topic = row[at["type"]], row[at["topic"]]
        label = types[kind][0] if kind in types else kind
        shown = present(row)
        extended = "".join(f"{data[i]}{_value(kinds[i], shown[i])}</value></Data>" for i in fields.get(kind, ()))
        placemark = (
            f"<Placemark id={quoteattr('activity-' + row[at['uuid']])}>"
            f"<name>{balloon_text(f'{label}: {topic}' if topic else label)}</name>"
            f"<TimeStamp><when>{row[at['occurred_at']].isoformat()}</when></TimeStamp>"
            f"<styleUrl>#type-{kind}</styleUrl><ExtendedData>{extended}</ExtendedData>"
            f"{point}</Placemark>\n"
        )
        parts.append(placemark)
        size += len(placemark)
        if size >= CHUNK:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append("</Document></kml>\n")
    yield "".join(parts).encode()


def _value(kind: Kind, value) -> str:
    if value is None:
        return ""
    if kind is Kind.LOCAL_TIME:
        return value.isoformat()
    if kind is Kind.UTC_TIME:
        return value.isoformat() + "Z"
    if kind is Kind.LIST:
        return balloon_text(LIST_SEPARATOR.join(value))
    return balloon_text(value) if isinstance(value, str) else repr(value)
