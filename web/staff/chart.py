"""Geometry of the submissions-per-day bar chart, drawn in SVG by the template (no script, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass

from staff.stats import DayCount

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 36, 28, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: DayCount


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    bars: list[Bar]
    x_ticks: list[Tick]  # a date every week
    y_ticks: list[Tick]


def bar_chart(days: list[DayCount]) -> Chart:
    top = max((d.submitted for d in days), default=0) or 1
    plot_width, plot_height = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = plot_width / max(len(days), 1)
    baseline = TOP + plot_height
    bars = []
    for index, day in enumerate(days):
        height = plot_height * day.submitted / top
        bars.append(Bar(round(LEFT + index * step + step * 0.1, 2), round(baseline - height, 2),
                        round(max(step * 0.8, 1), 2), round(height, 2), day))
    x_ticks = [Tick(round(LEFT + i * step + step / 2, 2), f"{d.day.day:02d}/{d.day.month:02d}")
               for i, d in enumerate(days) if i % 7 == 0]
    y_ticks = [Tick(round(baseline - plot_height * v / top, 2), str(v)) for v in sorted({0, top // 2, top})]
    return Chart(WIDTH, HEIGHT, LEFT, baseline, bars, x_ticks, y_ticks)
