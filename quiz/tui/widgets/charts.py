"""Terminal charts for the statistics screen, drawn with Unicode blocks.

Each chart is a pure function returning a Rich ``Text`` (testable without a
running app) and a small ``Static`` widget that shows it. Labels that come
from data (section names) are written out literally: a Rich ``Text`` is never
parsed as markup, and control characters are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

from quiz.tui.text import one_line

BLOCKS = " ▁▂▃▄▅▆▇█"
HEAT = ("·", "░", "▒", "▓", "█")
HEAT_STYLES = ("dim", "green", "green", "bold green", "bold green")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def heat_level(count: int, peak: int) -> int:
    """0 for no answers, else 1-4 by quarter of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(4, -(-4 * count // peak)))


def heatmap_text(days: Sequence[tuple[date, int]], weeks: int | None = None) -> Text:
    """A calendar heatmap: one column per week (Monday first), one row per weekday.

    ``days`` are (day, answers), oldest first; ``weeks`` keeps only the latest weeks.
    """
    out = Text()
    if not days:
        return out
    counts = {d: n for d, n in days}
    last = days[-1][0]
    first = days[0][0]
    start = first - timedelta(days=first.weekday())
    if weeks is not None:
        start = max(start, last - timedelta(days=last.weekday()) - timedelta(weeks=weeks - 1))
    n_weeks = (last - start).days // 7 + 1
    peak = max((n for d, n in days if d >= start), default=0)
    # month labels above the first week that starts in a new month
    labels = [" "] * n_weeks
    prev_month = None
    for w in range(n_weeks):
        monday = start + timedelta(weeks=w)
        if monday.month != prev_month:
            name = monday.strftime("%b")
            free = all(c == " " for c in labels[max(0, w - 1) : w + len(name)])
            if w + len(name) <= n_weeks and free:
                labels[w : w + len(name)] = list(name)
            prev_month = monday.month
    out.append("    " + "".join(labels).rstrip() + "\n", style="dim")
    for wd in range(7):
        out.append(f"{WEEKDAYS[wd]:<3} ", style="dim")
        for w in range(n_weeks):
            d = start + timedelta(weeks=w, days=wd)
            if d > last or d < first:
                out.append(" ")
                continue
            level = heat_level(counts.get(d, 0), peak)
            out.append(HEAT[level], style=HEAT_STYLES[level])
        if wd < 6:
            out.append("\n")
    out.append("\n    less ", style="dim")
    for level in range(5):
        out.append(HEAT[level], style=HEAT_STYLES[level])
    out.append(f" more (busiest day: {peak})", style="dim")
    return out


def bars_text(
    values: Sequence[int],
    first_label: str = "",
    last_label: str = "",
    height: int = 4,
    style: str = "cyan",
) -> Text:
    """A vertical bar chart, one column per value, ``height`` rows, with end labels."""
    out = Text()
    peak = max(values, default=0)
    for row in range(height, 0, -1):
        for v in values:
            eighths = 0 if peak == 0 else round(v / peak * height * 8)
            filled = min(8, max(0, eighths - (row - 1) * 8))
            if v > 0 and eighths == 0 and row == 1:
                filled = 1
            out.append(BLOCKS[filled], style=style)
        if row == height:
            out.append(f" {peak}", style="dim")
        out.append("\n")
    width = len(values)
    gap = max(1, width - len(first_label) - len(last_label))
    out.append(first_label + " " * gap + last_label, style="dim")
    return out


def percent_bar(share: float | None, width: int = 20) -> Text:
    """`` 50% █████░░░░░`` for a share from 0 to 1; a dash when unknown."""
    if share is None:
        return Text("—", style="dim")
    share = max(0.0, min(1.0, share))
    filled = round(share * width)
    style = "green" if share >= 0.85 else "yellow" if share >= 0.6 else "red"
    text = Text(f"{share * 100:3.0f}% ")
    text.append("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    return text


def labelled_bars_text(
    rows: Sequence[tuple[str, float | None]], label_width: int = 28, bar_width: int = 20
) -> Text:
    """One line per (label, share): the label shown literally, then its bar."""
    out = Text()
    for i, (label, share) in enumerate(rows):
        shown = one_line(label, label_width)
        out.append(f"{shown:<{label_width}} ")
        out.append_text(percent_bar(share, bar_width))
        if i < len(rows) - 1:
            out.append("\n")
    return out


class Heatmap(Static):
    """Answers per study day over the last year."""

    DEFAULT_CSS = "Heatmap { height: auto; }"

    def __init__(
        self, days: Sequence[tuple[date, int]], weeks: int | None = None, **kwargs
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(heatmap_text(days, weeks), **kwargs)


class BarChart(Static):
    """A small vertical bar chart (reviews per day, the due forecast)."""

    DEFAULT_CSS = "BarChart { height: auto; }"

    def __init__(
        self,
        values: Sequence[int],
        first_label: str = "",
        last_label: str = "",
        height: int = 4,
        style: str = "cyan",
        **kwargs,
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(bars_text(values, first_label, last_label, height, style), **kwargs)


class SectionBars(Static):
    """Mastery by section as horizontal bars."""

    DEFAULT_CSS = "SectionBars { height: auto; }"

    def __init__(
        self, rows: Sequence[tuple[str, float | None]], label_width: int = 28, **kwargs
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(labelled_bars_text(rows, label_width), **kwargs)
