"""Bar charts drawn as SVG on the server, from plain data: no script, no library, nothing from elsewhere.

Across, every position is a percentage of the chart's width, so the bars stretch to the phone or the desk while
the text keeps the page's own size; down, the chart is a fixed number of pixels. The value axis is written
inside the plot, above its grid lines, so no margin has to be guessed for its labels. Every bar carries a
<title> (a tooltip, and words for a screen reader that explores it); the page gives the same numbers as a table.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

HEIGHT = 180  # the plot, in pixels
AXIS = 22  # below it, for the week labels
TOP = 14  # above it, for the highest grid line's label
MAX_LABELS = 6  # week labels along the axis: what fits on a 360-px phone


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: its name, colour and one value per bar."""

    label: str
    colour: str
    values: Sequence[int]


def stacked_bars(
    ident: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    number: Callable[[int], str] = str,
    descriptions: Sequence[str] | None = None,
) -> Markup:
    """An SVG of one bar per label, each stacked from the series' values in order; ``number`` writes values."""
    count = len(labels)
    if count == 0 or any(len(s.values) != count for s in series):
        raise ValueError(
            f"Expected one value per label ({count}) in every series, got {[len(s.values) for s in series]}"
        )
    if any(v < 0 for s in series for v in s.values):
        raise ValueError("Expected counts of 0 or more, got a negative value")
    totals = [sum(s.values[i] for s in series) for i in range(count)]
    ticks = nice_ticks(max(totals))
    top = ticks[-1]
    slot = 100 / count
    width = slot * (0.8 if count > 1 else 0.5)
    parts = [
        f'<svg class="chart" id="{escape(ident)}" width="100%" height="{TOP + HEIGHT + AXIS}" role="img" '
        f'aria-labelledby="{escape(ident)}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
    ]
    for tick in ticks:
        y = _y(tick, top)
        parts.append(f'<line class="grid" x1="0" x2="100%" y1="{y}" y2="{y}"/>')
    for i in range(count):
        x = round(i * slot + (slot - width) / 2, 3)
        base = 0
        for s in series:
            value = s.values[i]
            if value:
                y, y_base = _y(base + value, top), _y(base, top)
                what = descriptions[i] if descriptions else labels[i]
                parts.append(
                    f'<rect x="{x}%" width="{round(width, 3)}%" y="{y}" height="{round(y_base - y, 2)}" '
                    f'fill="{escape(s.colour)}"><title>{escape(what)} · {escape(s.label)}: '
                    f"{escape(number(value))}</title></rect>"
                )
            base += value
    for tick in ticks[1:]:  # over the bars, with a halo (the style sheet's); the baseline needs no "0"
        parts.append(f'<text class="tick" x="2" y="{_y(tick, top) - 3}">{escape(number(tick))}</text>')
    step = math.ceil(count / MAX_LABELS)
    for i in range(0, count, step):
        x = round((i + 0.5) * slot, 3)
        parts.append(
            f'<text class="label" x="{x}%" y="{TOP + HEIGHT + AXIS - 6}" text-anchor="middle">'
            f"{escape(labels[i])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 — every text and attribute value above is escaped


def nice_ticks(highest: int, most: int = 4) -> list[int]:
    """Grid values from 0 to at least ``highest`` in round steps (1, 2 or 5 times a power of ten)."""
    if highest <= 0:
        return [0, 1]
    raw = highest / most
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [step * n for n in range(math.ceil(highest / step) + 1)]


def _y(value: int, top: int) -> float:
    return round(TOP + HEIGHT - HEIGHT * value / top, 2)
