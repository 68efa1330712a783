"""Read commune boundaries (GeoJSON, zipped Shapefile, GeoPackage, KML; any declared CRS) as checked WGS84 records."""

import os
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from flask_babel import gettext as _
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS
from pyproj.exceptions import CRSError
from pyproj.transformer import TransformerGroup
from vietnamadminunits.database import query as official_units

from fieldkit.text import REFUSED, ZERO_WIDTH, refusal

# Candidate property names, compared folded (lower case, no accents, letters and digits only), best first.
CODE_FIELDS = ("maxa", "maphuongxa", "maxaphuong", "madvhc", "wardcode", "communecode", "gsocode", "ma", "code")
NAME_FIELDS = ("tenxa", "tenphuongxa", "tenxaphuong", "ten", "name", "tendvhc", "wardname", "tendaydu", "fullname")
KIND_FIELDS = ("loai", "loaixa", "loaidvhc", "kind", "wardtype")
PROVINCE_FIELDS = ("matinh", "provincecode")
# Kind values, folded; a name's prefix is matched with its accents ("Xà Phiên" is not "Xã Phiên").
KINDS = {"xa": "Xã", "commune": "Xã", "phuong": "Phường", "ward": "Phường", "dackhu": "Đặc khu"}
PREFIXES = ("Đặc khu", "Phường", "Xã")
UNKNOWN_KIND = ""  # stored when neither the file nor the official list knows a commune's kind
ARCHIVED = (".shp", ".gpkg", ".geojson", ".json", ".kml")
VIETNAM = (102.0, 8.0, 110.0, 23.5)  # a generous lon/lat box: a sanity check on the declared CRS
PRECISION = 1e-6  # degrees, about 0.1 m
DEFAULT_PROVINCE = "92"  # Can Tho


@dataclass(frozen=True)
class ImportedArea:
    """One commune as read from a file: WGS84 GeoJSON geometry, names in NFC, kind Xã | Phường | Đặc khu or
    UNKNOWN_KIND."""

    code: str
    name: str
    kind: str
    province_code: str
    geometry: dict
    centroid_lat: float
    centroid_lon: float
    bbox: list


class ImportProblem(Exception):
    """The file cannot be imported; ``problems`` says why, feature by feature."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("\n".join(self.problems))


@dataclass
class _Feature:
    number: int  # 1-based, in file order
    layer: str | None  # named only when the file has several layers
    properties: dict
    geometry: object  # shapely, WGS84 (lon, lat), or None

    def label(self, fields: dict) -> str:
        known = " ".join(str(self.properties.get(fields[key]) or "") for key in ("code", "name") if fields[key])
        known = REFUSED.sub("\ufffd", known)  # a report that shows text as it is stored, not reordered
        label = _("feature %(number)d", number=self.number) + (f" ({known.strip()})" if known.strip() else "")
        return f"{self.layer}: {label}" if self.layer else label


def read(
    path: str,
    code_field: str | None = None,
    name_field: str | None = None,
    kind_field: str | None = None,
    province_code: str | None = None,
    layer: str | None = None,
    notices: list[str] | None = None,
) -> list[ImportedArea]:
    """Read, reproject and check every feature; raise ImportProblem naming everything that is wrong."""
    notices = notices if notices is not None else []
    source, layers = _layers(path, layer)
    features: list[_Feature] = []
    for name in layers:
        features.extend(_read_layer(source, name, len(layers) > 1, len(features), notices))
    if not features:
        raise ImportProblem(_("The file holds no features."))
    available = list(dict.fromkeys(key for feature in features for key in feature.properties))
    fields = {
        "code": _field(available, code_field, CODE_FIELDS, "--code-field"),
        "name": _field(available, name_field, NAME_FIELDS, "--name-field"),
        "kind": _field(available, kind_field, KIND_FIELDS, "--kind-field", required=False),
        "province": None if province_code else _field(available, None, PROVINCE_FIELDS, "", required=False),
    }
    areas, problems, official = [], [], OfficialKinds()
    for feature in features:
        area, wrong = _area(feature, fields, province_code, notices, official)
        problems.extend(f"{feature.label(fields)}: {message}" for message in wrong)
        if area is not None:
            areas.append(area)
    problems.extend(_duplicates(features, fields))
    if problems:
        raise ImportProblem(problems)
    _check_place(areas, notices)
    _note_kinds(areas, official, notices)
    return areas


class OfficialKinds:
    """Every commune's kind by its code, from the official list in vietnamadminunits, read at the first need."""

    def __init__(self):
        self._kinds: dict[str, str] | None = None
        self.used = 0  # kinds taken from the list

    def get(self, code: str) -> str:
        """The official kind of the code, else UNKNOWN_KIND."""
        if self._kinds is None:
            rows = official_units("select wardCode, wardType from admin_units")
            self._kinds = {row["wardCode"]: unicodedata.normalize("NFC", row["wardType"]) for row in rows}
        kind = self._kinds.get(code)
        self.used += kind is not None
        return kind or UNKNOWN_KIND


def _note_kinds(areas: list[ImportedArea], official: OfficialKinds, notices: list[str]) -> None:
    """Say how many kinds came from the official list and which stayed unknown."""
    looked_up = official.used
    if looked_up:
        notices.append(
            _("%(count)d communes had no kind in the file: taken from the official list by code.", count=looked_up)
        )
    unknown = [area.code for area in areas if area.kind == UNKNOWN_KIND]
    if unknown:
        notices.append(
            _(
                "%(count)d communes have no kind in the file nor in the official list; stored as unknown: %(codes)s.",
                count=len(unknown),
                codes=", ".join(unknown[:10]),
            )
        )


def _layers(path: str, layer: str | None) -> tuple[str, list[str]]:
    """Open the file (or the one dataset inside a zip) and choose its polygon layers."""
    if not os.path.isfile(path):
        raise ImportProblem(_("No such file: %(path)s", path=path))
    source = path
    if zipfile.is_zipfile(path) and not path.lower().endswith(".kmz"):
        source, layer = _zip_member(path, layer), None
    try:
        listed = [(str(name), kind) for name, kind in pyogrio.list_layers(source)]
    except (DataSourceError, DataLayerError) as error:
        raise ImportProblem(
            _(
                "%(file)s is not a GeoJSON, Shapefile, GeoPackage or KML file that can be read (%(error)s).",
                file=os.path.basename(path),
                error=str(error).split(";")[0],
            )
        ) from None
    if layer:
        if layer not in [name for name, _kind in listed]:
            raise ImportProblem(
                _(
                    "The file has no layer %(layer)s; its layers are: %(layers)s.",
                    layer=layer,
                    layers=", ".join(n for n, _k in listed),
                )
            )
        return source, [layer]
    polygonal = [name for name, kind in listed if kind and ("Polygon" in kind or kind in ("Unknown", "Geometry"))]
    if not polygonal:
        raise ImportProblem(_("%(file)s holds no layer of polygons.", file=os.path.basename(path)))
    driver = pyogrio.read_info(source, layer=polygonal[0])["driver"]
    if len(polygonal) > 1 and driver not in ("KML", "LIBKML"):
        raise ImportProblem(
            _("The file has several layers (%(layers)s); choose one with --layer.", layers=", ".join(polygonal))
        )
    return source, polygonal


def _zip_member(path: str, layer: str | None) -> str:
    """The GDAL path of the one dataset inside a zip (a Shapefile may sit in a folder of the archive)."""
    with zipfile.ZipFile(path) as archive:
        members = [
            name for name in archive.namelist() if name.lower().endswith(ARCHIVED) and not name.startswith("__MACOSX/")
        ]
    if layer:
        members = [name for name in members if os.path.splitext(os.path.basename(name))[0] == layer] or members
    if not members:
        raise ImportProblem(_("The zip file holds no .shp, .gpkg, .geojson or .kml file."))
    if len(members) > 1:
        names = ", ".join(os.path.splitext(os.path.basename(name))[0] for name in members)
        raise ImportProblem(_("The zip file holds several layers (%(layers)s); choose one with --layer.", layers=names))
    return f"/vsizip/{os.path.abspath(path)}/{members[0]}"


def _read_layer(source: str, layer: str, named: bool, start: int, notices: list[str]) -> list[_Feature]:
    """Read one layer's features with their properties as plain Python values, reprojected to WGS84."""
    try:
        meta, _fids, wkb, columns = pyogrio.raw.read(source, layer=layer, force_2d=True)
    except (DataSourceError, DataLayerError) as error:
        raise ImportProblem(_("The layer %(layer)s cannot be read (%(error)s).", layer=layer, error=error)) from None
    values = [column.tolist() for column in columns]
    if meta.get("encoding") not in (None, "UTF-8"):
        values = _demojibake(values, notices)
    geometries = _to_wgs84(shapely.from_wkb(wkb), meta.get("crs"), notices)
    names = [str(name) for name in meta["fields"]]
    return [
        _Feature(start + i + 1, layer if named else None, dict(zip(names, row, strict=True)), geometry)
        for i, (geometry, row) in enumerate(
            zip(geometries, zip(*values, strict=True) if values else [()] * len(wkb), strict=True)
        )
    ]


def _demojibake(values: list[list], notices: list[str]) -> list[list]:
    """Undo UTF-8 text read as Latin-1 (a Shapefile without its .cpg file), when every such text allows it."""
    try:
        fixed = [
            [v.encode("latin-1").decode("utf-8") if isinstance(v, str) else v for v in column] for column in values
        ]
    except UnicodeError:
        return values
    if fixed != values:
        notices.append(_("The text in the file was read as UTF-8 (the Shapefile has no .cpg file saying so)."))
    return fixed


def _to_wgs84(geometries: np.ndarray, crs_text: str | None, notices: list[str]) -> np.ndarray:
    """Reproject from the file's declared CRS to WGS84, x = lon and y = lat."""
    if not crs_text:
        if _lonlat_like(geometries):
            notices.append(
                _("The file declares no coordinate system; its coordinates look like lon/lat: read as WGS84.")
            )
            return geometries
        raise ImportProblem(
            _("The file declares no coordinate system (a Shapefile needs its .prj) and is not in lon/lat.")
        )
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError as error:
        raise ImportProblem(_("The file's coordinate system cannot be understood (%(error)s).", error=error)) from None
    if crs.equals("EPSG:4326", ignore_axis_order=True):
        return geometries
    # The best operation PROJ knows without extra grids, chosen once, so that its name can be reported.
    transformer = TransformerGroup(crs, "EPSG:4326", always_xy=True).transformers[0]
    moved = shapely.transform(geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    notices.append(
        _("Coordinates converted from %(crs)s to WGS84 (%(how)s).", crs=crs.name, how=transformer.description)
    )
    if "ballpark" in transformer.description.lower():
        notices.append(
            _("Warning: no datum shift from %(crs)s to WGS84 is known; positions may be 100s of m off.", crs=crs.name)
        )
    if not _lonlat_like(moved):
        raise ImportProblem(
            _("The coordinates do not fit the coordinate system the file declares (%(crs)s).", crs=crs.name)
        )
    return moved


def _lonlat_like(geometries: np.ndarray) -> bool:
    coordinates = shapely.get_coordinates(geometries)
    if not len(coordinates):
        return True
    lon, lat = coordinates[:, 0], coordinates[:, 1]
    return bool(np.isfinite(coordinates).all() and (np.abs(lon) <= 180).all() and (np.abs(lat) <= 90).all())


def _fold(text: str) -> str:
    """Lower case without accents, letters and digits only: how property names and kinds are compared."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D")).lower()
    return re.sub(r"[^a-z0-9]+", "", "".join(c for c in text if not unicodedata.combining(c)))


def _field(available: list[str], chosen: str | None, candidates: tuple, option: str, required: bool = True):
    """The property that holds a value: the one chosen, else the first candidate the file has."""
    folded = {_fold(name): name for name in reversed(available)}
    if chosen:
        if chosen in available or _fold(chosen) in folded:
            return chosen if chosen in available else folded[_fold(chosen)]
        raise ImportProblem(
            _(
                "The file has no field %(field)s; its fields are: %(fields)s.",
                field=chosen,
                fields=", ".join(available),
            )
        )
    for candidate in candidates:
        if candidate in folded:
            return folded[candidate]
    if required:
        raise ImportProblem(
            _(
                "No field found for %(option)s; name it with that option. The file's fields are: %(fields)s.",
                option=option,
                fields=", ".join(available),
            )
        )
    return None


def _area(feature: _Feature, fields: dict, province_code: str | None, notices: list[str], official: OfficialKinds):
    """Build one ImportedArea, or answer (None, the problems found); a kind the file lacks comes from official."""
    problems = []
    code = _code(feature.properties.get(fields["code"]))
    if code is None:
        problems.append(_("the code is missing"))
    elif len(code) > 10:
        problems.append(_("the code %(code)s is longer than 10 characters", code=code))
    name, kind, wrong = _name_and_kind(feature, fields)
    problems.extend(wrong)
    if kind is None and code is not None and not wrong:
        kind = official.get(code)
    geometry, wrong = _polygons(feature, fields, notices)
    problems.extend(wrong)
    if problems:
        return None, problems
    province = province_code or _code(feature.properties.get(fields["province"]), width=2) or DEFAULT_PROVINCE
    inside = geometry.representative_point()
    return ImportedArea(
        code=code,
        name=name,
        kind=kind,
        province_code=province,
        geometry=_rounded(shapely.geometry.mapping(geometry)),
        centroid_lat=round(inside.y, 6),
        centroid_lon=round(inside.x, 6),
        bbox=[round(value, 6) for value in geometry.bounds],
    ), []


def _code(value, width: int = 5) -> str | None:
    """A GSO code as text; spreadsheets and DBF files turn "00004" into 4 or 4.0, so pad digits back."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"^(\d+)\.0+$", r"\1", str(value).strip())
    return (text.zfill(width) if text.isdigit() else text) or None


def _name_and_kind(feature: _Feature, fields: dict) -> tuple[str, str | None, list[str]]:
    """The name without its kind prefix, and the kind from the kind field or that prefix (None if neither)."""
    raw = str(feature.properties.get(fields["name"]) or "").translate(ZERO_WIDTH)
    hidden = refusal(raw)  # the forms' rule: a hidden control or text-direction mark is refused, not stored
    name = " ".join(unicodedata.normalize("NFC", REFUSED.sub("", raw)).split())
    prefix = next((p for p in PREFIXES if name.casefold().startswith(p.casefold() + " ")), None)
    if prefix:
        name = name[len(prefix) + 1 :].strip()
    raw_kind = feature.properties.get(fields["kind"]) if fields["kind"] else None
    kind = KINDS.get(_fold(raw_kind)) if raw_kind not in (None, "") else prefix
    problems = [] if name else [_("the name is missing")]
    if hidden is not None:
        problems.append(str(hidden))
    if raw_kind not in (None, "") and kind is None:
        problems.append(_("the kind %(kind)s is not Xã, Phường or Đặc khu", kind=raw_kind))
    elif prefix and kind != prefix:
        problems.append(_("the kind %(kind)s does not match the name's prefix %(prefix)s", kind=kind, prefix=prefix))
    return name, kind, problems


def _polygons(feature: _Feature, fields: dict, notices: list[str]):
    """The feature's polygons, repaired when invalid, snapped to about 0.1 m, exterior rings counter-clockwise."""
    geometry = feature.geometry
    if geometry is None or geometry.is_empty:
        return None, [_("the geometry is empty")]
    parts = shapely.get_parts(geometry)
    if any(part.geom_type not in ("Polygon", "MultiPolygon") for part in parts):
        return None, [_("the geometry is a %(type)s, not a polygon", type=geometry.geom_type)]
    if not geometry.is_valid:
        notices.append(
            _(
                "%(feature)s: invalid geometry repaired (%(reason)s).",
                feature=feature.label(fields),
                reason=shapely.is_valid_reason(geometry),
            )
        )
    geometry = _only_polygons(shapely.make_valid(geometry))
    geometry = _only_polygons(shapely.make_valid(shapely.set_precision(geometry, PRECISION)))
    if geometry.is_empty:
        return None, [_("the geometry has no area")]
    return shapely.orient_polygons(geometry), []


def _only_polygons(geometry):
    """Keep the polygon parts (make_valid may leave stray lines or points) as one Polygon or MultiPolygon."""
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon" and not part.is_empty]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _rounded(value):
    """GeoJSON with lists, and numbers rounded to the snapping grid (snapping leaves binary tails)."""
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return round(value, 6) if isinstance(value, float) else value


def _duplicates(features: list[_Feature], fields: dict) -> list[str]:
    """Name every code used by more than one feature."""
    by_code = defaultdict(list)
    for feature in features:
        code = _code(feature.properties.get(fields["code"]))
        if code is not None:
            by_code[code].append(feature)
    return [
        _(
            "the code %(code)s is used by %(count)d features: %(features)s",
            code=code,
            count=len(same),
            features="; ".join(f.label(fields) for f in same),
        )
        for code, same in by_code.items()
        if len(same) > 1
    ]


def _check_place(areas: list[ImportedArea], notices: list[str]) -> None:
    """Warn when communes lie outside Vietnam: the file's coordinate system is then probably wrong."""
    west, south, east, north = VIETNAM
    away = [a.code for a in areas if not (west <= a.centroid_lon <= east and south <= a.centroid_lat <= north)]
    if away:
        notices.append(
            _(
                "Warning: %(count)d communes lie outside Vietnam (%(codes)s); check the file's coordinate system.",
                count=len(away),
                codes=", ".join(away[:5]),
            )
        )
