"""Typed answers: one text box, or one per gap of a cloze card.

The boxes are kept between cards and only reconfigured, so showing the next
card costs no new widgets (and no new styling) in the common case.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label

from quiz.deck.model import AnyCard, ClozeCard, NumericCard
from quiz.tui.text import one_line
from quiz.tui.widgets.question import gap_label


class GapRow(Horizontal):
    """One text box, with the gap's number (cloze) or the unit (numeric) beside it."""

    DEFAULT_CSS = """
    GapRow { height: auto; }
    GapRow .gap-label { width: auto; padding: 1 1 0 0; color: $text-muted; }
    GapRow .unit { width: auto; padding: 1 0 0 1; color: $text-muted; }
    GapRow Input { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", classes="gap-label", markup=False)
        yield Input(select_on_focus=False)
        yield Label("", classes="unit", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def configure(self, card: AnyCard, index: int, count: int) -> None:
        """Set this row up for gap ``index`` of ``count`` of ``card`` (empty, enabled)."""
        box = self.input
        box.value = ""
        box.disabled = False
        label = self.query_one(".gap-label", Label)
        label.display = count > 1
        _set_text(label, gap_label(index))
        unit = self.query_one(".unit", Label)
        has_unit = isinstance(card, NumericCard) and bool(card.unit)
        unit.display = has_unit
        _set_text(unit, one_line(card.unit, 20) if has_unit else "")  # type: ignore[union-attr]
        if isinstance(card, NumericCard):
            placeholder = "a number (Enter to check)"
        elif count > 1:
            last = index == count - 1
            placeholder = f"gap {index + 1} (Enter {'to check' if last else 'for the next gap'})"
        else:
            placeholder = "your answer (Enter to check; empty if you don't know)"
        box.placeholder = placeholder  # a reactive: the same value costs nothing


def _set_text(label: Label, text: str) -> None:
    """Update ``label`` only when its text changes (an update lays out the screen again)."""
    if str(label.content) != text:
        label.update(text)


class TypedAnswer(Vertical):
    """Text boxes for a short, numeric or cloze answer; Enter moves on, then submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.back", "Leave box, then u undo - @ ! e"),
    ]

    DEFAULT_CSS = """
    TypedAnswer { height: auto; }
    """

    class Submitted(Message):
        """The learner pressed Enter in the last box: ``value`` is a str or one str per gap."""

        def __init__(self, value: str | list[str]) -> None:
            super().__init__()
            self.value = value

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.card: AnyCard | None = None
        self.gap_count = 1

    def compose(self) -> ComposeResult:
        yield GapRow()

    async def set_card(self, card: AnyCard) -> None:
        """Show empty boxes for ``card``: one per gap of a cloze, else one."""
        self.card = card
        self.gap_count = len(card.gaps) if isinstance(card, ClozeCard) else 1
        rows = list(self.query(GapRow))
        if len(rows) < self.gap_count:
            extra = [GapRow() for _ in range(self.gap_count - len(rows))]
            await self.mount_all(extra)
            rows += extra
        for i, row in enumerate(rows):
            row.display = i < self.gap_count
            if i < self.gap_count:
                row.configure(card, i, self.gap_count)

    def fill(self, values: list[str]) -> bool:
        """Put ``values`` back in the boxes (one per box), the cursor at the end of each;
        False (nothing changed) when their number is not the number of boxes."""
        inputs = self.inputs
        if len(values) != len(inputs):
            return False
        for box, value in zip(inputs, values, strict=True):
            box.value = value
            box.cursor_position = len(value)
        return True

    @property
    def values(self) -> list[str]:
        """What is typed in each box."""
        return [i.value for i in self.inputs]

    @property
    def inputs(self) -> list[Input]:
        return [row.input for row in self.query(GapRow)][: self.gap_count]

    @property
    def value(self) -> str | list[str]:
        """What is typed so far: a str, or one str per gap for a cloze with several gaps."""
        values = [i.value for i in self.inputs]
        if isinstance(self.card, ClozeCard) and self.gap_count > 1:
            return values
        return values[0] if values else ""

    @property
    def has_text(self) -> bool:
        return any(i.value.strip() for i in self.inputs)

    def first_empty(self) -> Input | None:
        """The first empty box (or the last one): where typing goes on."""
        inputs = self.inputs
        for box in inputs:
            if not box.value:
                return box
        return inputs[-1] if inputs else None

    def focus_first(self) -> None:
        """Focus the first empty box (or the last one)."""
        box = self.first_empty()
        if box is not None:
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self.inputs
        index = inputs.index(event.input) if event.input in inputs else len(inputs) - 1
        if index < len(inputs) - 1:
            inputs[index + 1].focus()
            return
        self.post_message(self.Submitted(self.value))
