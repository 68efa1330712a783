"""The coverage page's long tables in pages: whole (the communes' sortable in the browser) up to TABLE_ROWS rows,
else in pages of that many in their order (communes by name, bodies in the plan's order), so that a province's or
the country's page stays quick to send and to draw; the gap list above ranks every commune whatever the page."""

from dataclasses import dataclass

TABLE_ROWS = 200


@dataclass(frozen=True)
class TablePage:
    """One page of the table's rows; ``number`` counts from 1."""

    rows: list
    number: int
    pages: int
    first: int  # the 1-based place of the page's first row among all
    total: int

    @property
    def complete(self) -> bool:
        return self.pages == 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def page_of(rows: list, number: int | None, size: int = TABLE_ROWS) -> TablePage:
    """The page asked for, kept within the pages there are."""
    pages = max(1, -(-len(rows) // size))
    number = min(max(number or 1, 1), pages)
    start = (number - 1) * size
    return TablePage(rows[start : start + size], number, pages, start + 1, len(rows))
