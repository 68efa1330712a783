"""Colour classes for a choropleth: quantile breaks over the values shown, a sequential palette, labelled ranges."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # ColorBrewer YlOrRd, light = low
NO_DATA = "#c8c8c8"


@dataclass(frozen=True)
class Scale:
    """Upper bounds of the classes (ascending) and their colours."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    low: float = 0.0

    def colour(self, value: float | None) -> str:
        """Return the colour of a value (NO_DATA for None)."""
        if value is None or not self.breaks:
            return NO_DATA
        for upper, colour in zip(self.breaks, self.colours, strict=True):
            if value <= upper:
                return colour
        return self.colours[-1]

    def legend(self, fmt: Callable[[float], str]) -> list[dict]:
        """Return the classes as {"colour", "label"}, lowest first."""
        rows, low = [], self.low
        for upper, colour in zip(self.breaks, self.colours, strict=True):
            label = fmt(upper) if upper == low else f"{fmt(low)} – {fmt(upper)}"
            rows.append({"colour": colour, "label": label})
            low = upper
        return rows


def quantiles(values: Sequence[float | None], classes: int = len(PALETTE)) -> Scale:
    """Return a scale whose classes hold about equal numbers of the values (None values are left out)."""
    if not 1 <= classes <= len(PALETTE):
        raise ValueError(f"Expected 1 to {len(PALETTE)} classes, got {classes!r}")
    known = sorted(v for v in values if v is not None)
    if not known:
        return Scale((), ())
    last = len(known) - 1
    picks = [known[min(last, max(0, len(known) * i // classes - 1))] for i in range(1, classes)] + [known[-1]]
    breaks = tuple(sorted(set(picks)))
    step = (len(PALETTE) - 1) / max(len(breaks) - 1, 1)
    colours = tuple(PALETTE[round(i * step)] for i in range(len(breaks))) if len(breaks) > 1 else (PALETTE[2],)
    return Scale(breaks, colours, low=known[0])
