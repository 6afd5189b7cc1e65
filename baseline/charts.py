"""Geometry for the server-rendered SVG charts (no JavaScript, no CDN): plain functions, easy to test."""

from dataclasses import dataclass
from decimal import Decimal

BAR_WIDTH = 640
BAR_LABELS = 250  # the labels sit left of the bars
BAR_AREA = 330  # 100 % is this wide; the value sits right of the bar
BAR_HEIGHT = 22
BAR_GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: int
    y: int
    width: float
    text_y: int
    value_x: float


def percent_bars(items: list[tuple[str, Decimal]]) -> dict:
    """Horizontal bars of percentages (0–100), one per (label, value)."""
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(float(max(Decimal(0), min(Decimal(100), value))) * BAR_AREA / 100, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=BAR_LABELS,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 6,
                value_x=BAR_LABELS + width + 6,
            )
        )
    height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP)
    return {"bars": bars, "width": BAR_WIDTH, "height": height, "labels": BAR_LABELS, "area": BAR_AREA}


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
