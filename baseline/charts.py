"""Geometry for the server-rendered SVG charts (no JavaScript, no CDN): plain functions, easy to test."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    y: int
    width: float
    text_y: int
    value_x: float
    fill: str = ""


@dataclass(frozen=True)
class BarLayout:
    """Horizontal bars: the labels sit left of the bars, each value right of its bar.

    The reporting app draws its PDF charts with a layout of its own."""

    width: int = 640
    labels: int = 250
    area: int = 330  # the longest bar (or 100 %) is this wide
    bar: int = 22
    gap: int = 8
    text_rise: int = 6  # the text's baseline sits this far above the bar's bottom edge

    @property
    def step(self) -> int:
        return self.bar + self.gap

    def place(self, y: int, label: str, value, width: float, fill: str = "") -> Bar:
        width = round(width, 1)
        return Bar(label, value, y, width, y + self.bar - self.text_rise, round(self.labels + width + 6, 1), fill)

    def frame(self, bars: list[Bar], rows: int, step: int | None = None) -> dict:
        return {
            "bars": bars,
            "width": self.width,
            "height": max(1, rows) * (step or self.step),
            "labels": self.labels,
            "area": self.area,
            "bar": self.bar,
        }


LAYOUT = BarLayout()


def sparkline(values: list, width: int = 120, height: int = 28, pad: int = 3) -> dict | None:
    """A polyline through the known values of a series (None values are skipped); None under two points."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return None
    low, high = min(v for _i, v in points), max(v for _i, v in points)
    span = (high - low) or 1.0
    steps = max(1, len(values) - 1)
    coords = []
    for i, v in points:
        x = pad + i * (width - 2 * pad) / steps
        y = height - pad - (v - low) * (height - 2 * pad) / span
        coords.append((round(x, 1), round(y, 1)))
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "last": coords[-1],
    }


def _whole_percentages(parts: list[int]) -> list[int]:
    """Integer widths (for the w-pct-N classes) that add up to 100, by the largest remainder."""
    total = sum(parts)
    if not total:
        return [0 for _part in parts]
    exact = [Decimal(part * 100) / total for part in parts]
    widths = [int(value) for value in exact]
    order = sorted(range(len(parts)), key=lambda i: exact[i] - widths[i], reverse=True)
    for i in order[: 100 - sum(widths)]:
        widths[i] += 1
    return widths


@dataclass(frozen=True)
class ImprovementRow:
    """One indicator's enterprises split into improved, already at the best value and not improved."""

    label: str
    aggregate: object
    widths: tuple[int, int, int]


def improvement_rows(aggregates) -> list[ImprovementRow]:
    """The stacked bars of "% of enterprises improving": the labels are text of their own, above
    each bar, so a long name wraps instead of being cut off."""
    rows = []
    for aggregate in aggregates:
        parts = [aggregate.improving or 0, aggregate.at_best, aggregate.not_improving]
        rows.append(ImprovementRow(str(aggregate.indicator), aggregate, tuple(_whole_percentages(parts))))
    return rows
