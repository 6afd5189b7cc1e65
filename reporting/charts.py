"""Geometry for the SVG charts of the PDF reports: plain functions, no drawing library.

Each returns a dict the template `reporting/pdf/_chart_*.html` turns into inline SVG, so the
chart's labels and numbers stay real text in the PDF. The bars are placed by the baseline app's
chart geometry, with a smaller layout and fill colours of their own.
"""

from decimal import Decimal

from baseline import charts as baseline_charts
from baseline import formatting

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


# ---------------------------------------------------------------- small multiples (one card per KPI)
CARD = {"width": 300, "label": 58, "bar_area": 170, "bar": 12, "trend_top": 46, "trend_height": 34}


def kpi_card(row, rounds) -> dict:
    """One KPI's small chart: its baseline and latest value as two bars (on its own scale, from
    zero), and its value in every round as a line. Numbers are formatted text in the SVG."""
    change = row.change
    version = change.version
    tone = "good" if change.improved else ("bad" if change.improved is False and not change.at_best else "neutral")
    largest = max(abs(change.baseline_value), abs(change.latest_value), Decimal("0.01"))
    bars = []
    for index, (label, value, fill) in enumerate(
        (
            (change.baseline_round.held_on, change.baseline_value, FILLS["base"]),
            (change.latest_round.held_on, change.latest_value, FILLS[tone]),
        )
    ):
        y = index * (CARD["bar"] + 5)
        width = max(float(abs(value) / largest) * CARD["bar_area"], 1.0)
        bars.append(
            {
                "y": y,
                "text_y": y + CARD["bar"] - 3,
                "label": label,
                "width": round(width, 1),
                "fill": fill,
                "value": formatting.figure(value, version),
                "value_x": round(CARD["label"] + width + 4, 1),
            }
        )
    points = [(i, r, cell.value) for i, (r, cell) in enumerate(zip(rounds, row.cells, strict=False)) if cell]
    trend = None
    if len(points) >= 2:
        values = [float(v) for _i, _r, v in points]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        left, right = CARD["label"], CARD["label"] + CARD["bar_area"] + 30
        steps = max(1, len(rounds) - 1)
        top, height = CARD["trend_top"], CARD["trend_height"]
        dots = []
        for i, round_, value in points:
            x = left + i * (right - left) / steps
            y = top + height - (float(value) - low) * height / span
            dots.append({"x": round(x, 1), "y": round(y, 1), "label": round_.held_on, "value": value})
        trend = {
            "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
            "dots": dots,
            "label_y": top + height + 11,
            "top": top,
            "bottom": top + height,
            "left": left,
            "right": right,
        }
    height = (CARD["trend_top"] + CARD["trend_height"] + 14) if trend else 2 * (CARD["bar"] + 5) + 2
    return {
        "row": row,
        "name": str(row.indicator),
        "unit": formatting.unit_of_value(version),
        "change": formatting.change(change.change, version),
        "relative": formatting.relative(change.change_pct, change.baseline_value, version),
        "tone": tone,
        "bars": bars,
        "trend": trend,
        "width": CARD["width"],
        "height": height,
        "label_width": CARD["label"],
        "bar": CARD["bar"],
        "fills": FILLS,
    }


# ---------------------------------------------------------------- % of enterprises improving
IMPROVING = {"width": 640, "area": 420, "bar": 12, "step": 34, "label_rise": 4}
SEGMENT_FILLS = {"improved": FILLS["main"], "at_best": "#6fb58a", "not_improved": "#c3c9d1"}


def improvement_chart(aggregates) -> dict:
    """Stacked bars of "% of enterprises improving": improved, already at the best value, did not
    improve. Each KPI's name is a line of its own above its bar, whole, so no label is cut off."""
    rows = []
    for index, aggregate in enumerate(aggregates):
        y = index * IMPROVING["step"]
        parts = [
            ("improved", aggregate.improving or 0),
            ("at_best", aggregate.at_best),
            ("not_improved", aggregate.not_improving),
        ]
        x, segments = 0.0, []
        for name, count in parts:
            width = IMPROVING["area"] * count / aggregate.judged if aggregate.judged else 0
            if width:
                segments.append({"x": round(x, 1), "width": round(width, 1), "fill": SEGMENT_FILLS[name]})
            x += width
        rows.append(
            {
                "label": str(aggregate.indicator),
                "label_y": y + 10,
                "bar_y": y + 14,
                "text_y": y + 14 + IMPROVING["bar"] - 2,
                "segments": segments,
                "aggregate": aggregate,
                "value_x": IMPROVING["area"] + 8,
            }
        )
    return {
        "rows": rows,
        "width": IMPROVING["width"],
        "height": max(1, len(rows)) * IMPROVING["step"] + 18,
        "legend_y": len(rows) * IMPROVING["step"] + 4,
        "bar": IMPROVING["bar"],
        "area": IMPROVING["area"],
        "fills": SEGMENT_FILLS,
    }
