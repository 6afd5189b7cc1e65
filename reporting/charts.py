"""Geometry for the SVG charts of the PDF reports: plain functions, no drawing library.

Each returns a dict the template `reporting/pdf/_chart_*.html` turns into inline SVG, so the
chart's labels and numbers stay real text in the PDF. The bars are placed by the baseline app's
chart geometry, with a smaller layout and fill colours of their own.
"""

from decimal import Decimal

from baseline import charts as baseline_charts

LAYOUT = baseline_charts.BarLayout(width=640, labels=230, area=330, bar=16, gap=8, text_rise=4)
# Fill colours by tone, written into the SVG itself (WeasyPrint draws SVG with its own attributes).
FILLS = {"main": "#1b3a5c", "base": "#9aa8b8", "good": "#2e7d4a", "bad": "#b23a32", "neutral": "#5b6b7d"}


def _frame(bars: list, rows: int, step: int | None = None) -> dict:
    return {**LAYOUT.frame(bars, rows, step), "fills": FILLS}


def count_bars(items: list[tuple[str, int]]) -> dict:
    """Horizontal bars of counts, the largest as wide as the area."""
    largest = max([count for _label, count in items] + [1])
    bars = [
        LAYOUT.place(i * LAYOUT.step, label, count, LAYOUT.area * count / largest if count else 1, FILLS["main"])
        for i, (label, count) in enumerate(items)
    ]
    return _frame(bars, len(items))


def percent_bars(items: list[tuple[str, Decimal]]) -> dict:
    """Horizontal bars of percentages (0–100)."""
    chart = baseline_charts.percent_bars(items, LAYOUT, FILLS["main"], minimum=1)
    return {**chart, "fills": FILLS}


def paired_bars(items: list[tuple[str, Decimal, Decimal, bool | None]]) -> dict:
    """Baseline and latest value of each indicator as two bars, scaled per indicator (units differ)."""
    step = 2 * LAYOUT.step
    bars = []
    for index, (label, baseline, latest, improved) in enumerate(items):
        largest = max(abs(Decimal(baseline)), abs(Decimal(latest)), Decimal("0.01"))
        tone = "good" if improved else ("bad" if improved is False else "neutral")
        for offset, value, fill, name in (
            (0, baseline, FILLS["base"], label),
            (LAYOUT.bar + 2, latest, FILLS[tone], ""),
        ):
            width = max(float(abs(Decimal(value)) / largest) * LAYOUT.area, 1)
            bars.append(LAYOUT.place(index * step + offset, name, value, width, fill))
    return _frame(bars, len(items), step)
