"""The coverage measures: one name and one format for each, wherever it is shown (pages, report, XLSX).

A rate, reach and the gap score are fractions from 0 to 1 (as the API answers them); people read them as
percentages with one decimal in their language's separators (14,7% in Vietnamese, 14.7% in English), and an
XLSX cell keeps the number with the percent format "0.0%", so a spreadsheet computes with it and shows the same.
"""

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import format_percent
from flask_babel import lazy_gettext as _l

from fieldkit.i18n import decimal

PERCENT_PATTERN = "#,##0.0%"
MISSING = "—"  # a measure that cannot be computed (no statistics, no target)


class Kind(StrEnum):
    """How a measure is written."""

    PERCENT = "percent"
    COUNT = "count"


XLSX_FORMATS = {Kind.PERCENT: "0.0%", Kind.COUNT: "#,##0"}


@dataclass(frozen=True)
class Measure:
    """A measure's name for people and its kind."""

    label: object  # a lazy string
    kind: Kind

    @property
    def xlsx_format(self) -> str:
        """The number format of its XLSX cells."""
        return XLSX_FORMATS[self.kind]

    def format(self, value) -> str:
        """The value as text in the current language."""
        if value is None:
            return MISSING
        return format_percent(value, PERCENT_PATTERN) if self.kind is Kind.PERCENT else decimal(value)


MEASURES = {
    "households": Measure(_l("Households"), Kind.COUNT),
    "poor_households": Measure(_l("Poor households"), Kind.COUNT),
    "near_poor_households": Measure(_l("Near-poor households"), Kind.COUNT),
    "poverty_rate": Measure(_l("Poverty rate"), Kind.PERCENT),
    "multidimensional_rate": Measure(_l("Poor and near-poor rate"), Kind.PERCENT),
    "households_reached": Measure(_l("Poor and near-poor households reached"), Kind.COUNT),
    "reach": Measure(_l("Reach"), Kind.PERCENT),
    "gap_score": Measure(_l("Gap score"), Kind.PERCENT),
    "target_share": Measure(_l("Share of the year's target"), Kind.PERCENT),
    # Per implementing body and money (issue 14)
    "activities": Measure(_l("Activities"), Kind.COUNT),
    "people": Measure(_l("People reached"), Kind.COUNT),
    "items": Measure(_l("Items"), Kind.COUNT),
    "communes_reached": Measure(_l("Communes worked in"), Kind.COUNT),
    "allocated_vnd": Measure(_l("Allocated (đồng)"), Kind.COUNT),
    "spent_vnd": Measure(_l("Spent (đồng)"), Kind.COUNT),
    "spent_share": Measure(_l("Spent of allocated"), Kind.PERCENT),
}


def label(key: str) -> str:
    """A measure's one name, in the current language."""
    return str(MEASURES[key].label)


def show(key: str, value) -> str:
    """A measure's value in its one format."""
    return MEASURES[key].format(value)


def percent(value) -> str:
    """Any fraction as the measures' percentages are written."""
    return MISSING if value is None else format_percent(value, PERCENT_PATTERN)


def init_app(app) -> None:
    """Offer the measures to every template: measure_label('gap_score'), measure('gap_score', value)."""
    app.jinja_env.globals.update(measure_label=label, measure=show)
