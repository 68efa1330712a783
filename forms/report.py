"""Choosing a report: the period (a month, quarter or year) and the scope (the city or one commune)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from fieldkit import periods
from fieldkit.models import Area
from forms.base import Form
from forms.fields import options


def period_choices(today: date) -> list[SelectChoice]:
    """Quarters, months and years from 2025 up to today, newest first, grouped."""
    years = range(today.year, periods.FIRST_YEAR - 1, -1)
    quarters = [f"{y}-Q{q}" for y in years for q in range(4, 0, -1) if date(y, 3 * q - 2, 1) <= today]
    months = [f"{y}-{m:02d}" for y in years for m in range(12, 0, -1) if date(y, m, 1) <= today]
    groups = ((_l("Quarter"), quarters), (_l("Month"), months), (_l("Year"), [str(y) for y in years]))
    return [
        SelectChoice(key, _first_upper(periods.parse(key).title()), optgroup=str(group))
        for group, keys in groups
        for key in keys
    ]


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lower "IV"


class ReportForm(Form):
    """Read from the query string; a commune supervisor's only scope is their commune."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), validators=[InputRequired()], validate_choice=False)
    area = SelectField(_l("Scope"), validate_choice=False)

    def __init__(self, args, today: date, areas: list[Area], own_area: str | None, **kwargs):
        super().__init__(formdata=args, **kwargs)
        self.period.choices = period_choices(today)
        if not self.period.data:
            self.period.data = periods.quarter_of(today)
        pairs = [(a.code, a.full_name) for a in areas if own_area in (None, a.code)]
        self.area.choices = options(pairs if own_area else [("", _l("The whole city")), *pairs])
        self.allowed = {code for code, _name in pairs} | ({own_area} if own_area else {""})

    def validate_period(self, field):
        try:
            field.data = periods.parse(field.data).key
        except periods.PeriodError as error:
            raise ValidationError(error.message) from None

    def validate_area(self, field):
        if (field.data or "") not in self.allowed:
            raise ValidationError(_l("Not a commune you may report on."))
