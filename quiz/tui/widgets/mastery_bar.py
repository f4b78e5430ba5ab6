"""A mastery bar: how much of a deck or section the learner would recall today."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

FULL = "█"
PARTIALS = " ▏▎▍▌▋▊▉"


def mastery_content(fraction: float | None, width: int = 10) -> Content:
    """``█████▌     62%``; ``—`` when unknown."""
    if fraction is None:
        return Content.assemble(("—", "$text-muted"))
    fraction = min(1.0, max(0.0, float(fraction)))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    bar = (FULL * full + (PARTIALS[part] if part else "")).ljust(width)
    return Content.assemble((bar, "$success on $surface"), f" {fraction * 100:3.0f}%")


class MasteryBar(Static):
    """Shows a mastery fraction as a bar."""

    DEFAULT_CSS = """
    MasteryBar { height: 1; width: auto; }
    """

    def __init__(self, fraction: float | None = None, width: int = 20, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bar_width = width
        self.set_fraction(fraction)

    def set_fraction(self, fraction: float | None) -> None:
        self.update(mastery_content(fraction, self.bar_width))
