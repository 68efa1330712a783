"""What every .xlsx package fieldkit writes shares (the activity export's and the reports'): the namespaces, the
package's root relationship and content types, and how cells and sheets are named in references."""

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET_TYPE = f"{SML}.worksheet+xml"
ROOT_RELS = (
    f'{XML}<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def content_types(sheets: int, shared_strings: bool = False) -> str:
    """[Content_Types].xml of a workbook with its styles, these many sheets and, if asked, shared strings."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>' for n in range(1, sheets + 1)
    )
    strings = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
    return (
        f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SML}.styles+xml"/>'
        f"{strings if shared_strings else ''}{overrides}</Types>"
    )


def column_letter(number: int) -> str:
    """A for 1, Z for 26, AA for 27."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quoted_sheet(title: str) -> str:
    """A sheet's name as a reference names it: in single quotes, its own quotes doubled."""
    return "'" + title.replace("'", "''") + "'"
