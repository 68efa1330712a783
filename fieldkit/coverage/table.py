"""The coverage table in pages: whole (and sortable in the browser) up to TABLE_ROWS communes, else in pages of
that many by name, so that a province's or the country's page stays quick to send and to draw; the gap list above
it ranks every commune whatever the page."""

from dataclasses import dataclass

TABLE_ROWS = 200


@dataclass(frozen=True)
class TablePage:
    """One page of the table's rows; ``number`` counts from 1."""

    areas: list
    number: int
    pages: int
    first: int  # the 1-based place of the page's first row among all
    total: int

    @property
    def complete(self) -> bool:
        return self.pages == 1

    @property
    def last(self) -> int:
        return self.first + len(self.areas) - 1


def page_of(areas: list, number: int | None, rows: int = TABLE_ROWS) -> TablePage:
    """The page asked for, kept within the pages there are."""
    pages = max(1, -(-len(areas) // rows))
    number = min(max(number or 1, 1), pages)
    start = (number - 1) * rows
    return TablePage(areas[start : start + rows], number, pages, start + 1, len(areas))
