"""The pipeline's funnel as SVG geometry: one bar per stage of the main line, centred, as wide as
the number of enterprises that reached that stage. Plain numbers, drawn by the pipeline page."""

from dataclasses import dataclass

from .rules import MAIN_LINE, stage_label


@dataclass(frozen=True)
class FunnelBar:
    stage: str
    label: str
    count: int
    x: float
    y: int
    width: float
    text_y: int


FUNNEL_WIDTH = 640
FUNNEL_LABELS = 230  # the stage names sit left of the bars
FUNNEL_BARS = 360  # the widest bar; its count sits right of it
FUNNEL_BAR = 26
FUNNEL_GAP = 6


def funnel_bars(reached: dict[str, int]) -> list[FunnelBar]:
    """Centred bars, one per stage of the main line, as wide as the number of enterprises that reached it."""
    largest = max([reached.get(stage, 0) for stage in MAIN_LINE] + [1])
    bars = []
    for index, stage in enumerate(MAIN_LINE):
        count = reached.get(stage, 0)
        width = round(FUNNEL_BARS * count / largest, 1) if count else 2.0
        y = index * (FUNNEL_BAR + FUNNEL_GAP)
        bars.append(
            FunnelBar(
                stage=stage,
                label=stage_label(stage),
                count=count,
                x=round(FUNNEL_LABELS + (FUNNEL_BARS - width) / 2, 1),
                y=y,
                width=width,
                text_y=y + FUNNEL_BAR // 2 + 5,
            )
        )
    return bars


def funnel_height() -> int:
    return len(MAIN_LINE) * (FUNNEL_BAR + FUNNEL_GAP)
