"""The export's query string: the page filters plus a quality flag."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from fieldkit.vocabulary import FLAG_EXPLANATIONS, Flag
from forms.fields import options
from forms.filters import FiltersForm

ANY_FLAG = "any"


class ExportForm(FiltersForm):
    """from, to, type, area, officer, status as on the pages, flag (a flag name, or "any"), and codes (1: machine
    codes and the columns' names, for programs, instead of words in the interface language)."""

    flag = SelectField(
        _l("Flag"),
        choices=options(
            [(ANY_FLAG, _l("Any flag")), *((flag.value, FLAG_EXPLANATIONS[flag]) for flag in Flag)], blank=True
        ),
        validators=[Optional()],
    )
    codes = BooleanField(_l("Machine codes"), false_values=("", "0", "false", "no"))

    def flag_value(self) -> str | None:
        """The validated flag, or None for all entries."""
        return self.flag.data or None
