"""How an export shows its rows: words in the interface language for stored codes, or the codes themselves.

People open a download in a spreadsheet or a GIS and read "Truyền thanh cơ sở" and "đã xác minh"; programs ask
for `?codes=1` and get `broadcast` and `verified` under the English column names. Either way the photos column
of indexes becomes the links of the access-checked photo view.
"""

from collections.abc import Iterable, Iterator, Sequence

from flask_babel import lazy_gettext as _l

from fieldkit.activity_types import CHOICES, TYPES
from fieldkit.exports.columns import NAMES, Column
from fieldkit.vocabulary import FLAG_LABELS, FUNDING_SOURCES, LOCATION_SOURCES, STATUSES


def _words() -> dict[str, dict]:
    """The words of each coded column, in the current language (evaluated once per export)."""
    coded = {
        "type": {kind.value: info.label for kind, info in TYPES.items()},
        "location_source": LOCATION_SOURCES,
        "status": STATUSES,
        "flags": {flag.value: label for flag, label in FLAG_LABELS.items()},
        "funding_source": FUNDING_SOURCES,
        **CHOICES,
    }
    return {name: {code: str(word) for code, word in words.items()} for name, words in coded.items()}


class Presenter:
    """Turn export tuples into what a file shows: photo links always, words for codes unless codes is set."""

    def __init__(self, columns: Sequence[Column], photo_base: str, codes: bool = False):
        index = {column.name: i for i, column in enumerate(columns)}
        self.columns = columns
        self.codes = codes
        self.photo_base = photo_base  # ends in "/activities/"
        self.uuid_at, self.urls_at, self.flags_at = index["uuid"], index["photo_urls"], index["flags"]
        words = {} if codes else _words()
        self.words = [(index[name], mapping.get) for name, mapping in words.items() if name != "flags"]
        self.flag_words = words.get("flags")

    def headers(self) -> list[str]:
        """The column headers: codes' names, or labels in the current language."""
        return list(NAMES) if self.codes else [str(column.label) for column in self.columns]

    def offset_header(self) -> str:
        """The header of the UTC offset column that XLSX adds after the local time."""
        return "utc_offset" if self.codes else str(_l("UTC offset"))

    def __call__(self, row: tuple) -> list:
        """One row as shown (a new list: the row itself is left as it was)."""
        cells = list(row)
        indexes = cells[self.urls_at]
        if indexes:
            base = self.photo_base + cells[self.uuid_at] + "/photos/"
            cells[self.urls_at] = [f"{base}{n}.jpg" for n in indexes]
        else:
            cells[self.urls_at] = []
        for at, get in self.words:
            value = cells[at]
            cells[at] = get(value, value)  # a code without a word (and None) stays as it is
        flags = cells[self.flags_at]
        if flags and self.flag_words is not None:
            cells[self.flags_at] = [self.flag_words.get(flag, flag) for flag in flags]
        return cells

    def rows(self, rows: Iterable[tuple]) -> Iterator[list]:
        """Every row as shown."""
        return map(self, rows)
