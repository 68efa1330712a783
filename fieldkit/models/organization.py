"""The bodies that carry the plan out: departments, the Fatherland Front and mass organisations, the press, and
each commune's People's Committee."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldkit.extensions import db
from fieldkit.i18n import nfc

COMMITTEE_PREFIX = "UBND-"


class Organization(db.Model):
    """An implementing body, keyed by a short code (a commune's committee: UBND-<commune code>)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # vocabulary.ORG_KINDS
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))  # a commune committee's commune
    active: Mapped[bool] = mapped_column(default=True)

    area = relationship("Area")

    def name(self, locale=None) -> str:
        """The name in the language asked (Vietnamese unless English is)."""
        return self.name_en if str(locale or "").startswith("en") and self.name_en else self.name_vi

    @staticmethod
    def committee_code(area_code: str) -> str:
        """The code of a commune's People's Committee."""
        return f"{COMMITTEE_PREFIX}{area_code}"

    @staticmethod
    def committee_names(kind: str, name: str) -> tuple[str, str]:
        """A commune committee's names in Vietnamese and English, from the commune's kind and name."""
        place = f"{kind.lower()} {name}".strip() if kind else name
        return nfc(f"Ủy ban nhân dân {place}"), nfc(f"People's Committee of {kind} {name}".replace("  ", " "))
