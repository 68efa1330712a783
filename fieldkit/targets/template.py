"""The targets template: every commune × activity type for a year, with the targets already set, as CSV or XLSX.

Headers and type names are in the interface language (Vietnamese by default), and csvfile.read takes the file
back as it is, so an administrator downloads it, fills the quantities in a spreadsheet and uploads it.
"""

import csv
import io

from fieldkit.activity_types import TYPES
from fieldkit.extensions import db
from fieldkit.models import Area
from fieldkit.targets.csvfile import HEADERS
from fieldkit.targets.services import for_year

ORDER = ("code", "name", "year", "type", "quantity")


def rows(year: int) -> list[list]:
    """The header and one row per commune and type, by commune name; the quantity where a target exists."""
    targets = for_year(year)
    areas = db.session.scalars(db.select(Area).order_by(Area.name, Area.code))
    body = [
        [area.code, area.full_name, year, str(info.label), targets.get(area.code, {}).get(kind.value)]
        for area in areas
        for kind, info in TYPES.items()
    ]
    return [[str(HEADERS[name]) for name in ORDER], *body]


def to_csv(year: int) -> bytes:
    """The template as CSV, UTF-8 with a BOM so that Excel reads the Vietnamese."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows(year))
    return ("\ufeff" + buffer.getvalue()).encode()


def to_xlsx(year: int, sheet_name: str) -> bytes:
    """The template as a workbook: a bold frozen header, codes as text, years and quantities as numbers."""
    import openpyxl  # here, not at start-up
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    for row in rows(year):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # codes are text
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (14, 28, 8, 44, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
