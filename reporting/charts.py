"""Geometry for the SVG charts of the PDF reports: plain functions, no drawing library.

Each returns a dict the template `reporting/pdf/_chart_*.html` turns into inline SVG, so the
chart's labels and numbers stay real text in the PDF.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
LABELS = 230  # the labels sit left of the bars
AREA = 330  # the longest bar (or 100 %) is this wide; the value sits right of it
BAR = 16
GAP = 8
# Fill colours by tone, written into the SVG itself (WeasyPrint draws SVG with its own attributes).
FILLS = {"main": "#1b3a5c", "base": "#9aa8b8", "good": "#2e7d4a", "bad": "#b23a32", "neutral": "#5b6b7d"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    y: int
    width: float
    text_y: int
    value_x: float
    tone: str = "main"

    @property
    def fill(self) -> str:
        return FILLS[self.tone]


def _bar(index: int, label: str, value, width: float, tone: str = "main", *, step: int = BAR + GAP) -> Bar:
    y = index * step
    return Bar(label, value, y, round(width, 1), y + BAR - 4, round(LABELS + width + 6, 1), tone)


def _frame(bars: list, rows: int, step: int = BAR + GAP) -> dict:
    return {
        "bars": bars,
        "width": WIDTH,
        "height": max(1, rows) * step,
        "labels": LABELS,
        "area": AREA,
        "fills": FILLS,
    }


def count_bars(items: list[tuple[str, int]]) -> dict:
    """Horizontal bars of counts, the largest as wide as the area."""
    largest = max([count for _label, count in items] + [1])
    bars = [_bar(i, label, count, AREA * count / largest if count else 1) for i, (label, count) in enumerate(items)]
    return _frame(bars, len(items))


def percent_bars(items: list[tuple[str, Decimal]]) -> dict:
    """Horizontal bars of percentages (0–100)."""
    bars = []
    for index, (label, value) in enumerate(items):
        clipped = max(Decimal(0), min(Decimal(100), Decimal(value)))
        bars.append(_bar(index, label, value, float(clipped) * AREA / 100 or 1))
    return _frame(bars, len(items))


def paired_bars(items: list[tuple[str, Decimal, Decimal, bool | None]]) -> dict:
    """Baseline and latest value of each indicator as two bars, scaled per indicator (units differ)."""
    step = 2 * BAR + 2 * GAP
    bars = []
    for index, (label, baseline, latest, improved) in enumerate(items):
        largest = max(abs(Decimal(baseline)), abs(Decimal(latest)), Decimal("0.01"))
        y = index * step
        tone = "good" if improved else ("bad" if improved is False else "neutral")
        for offset, value, bar_tone, name in ((0, baseline, "base", label), (BAR + 2, latest, tone, "")):
            width = max(float(abs(Decimal(value)) / largest) * AREA, 1)
            top = y + offset
            bars.append(Bar(name, value, top, round(width, 1), top + BAR - 4, round(LABELS + width + 6, 1), bar_tone))
    return _frame(bars, len(items), step)
