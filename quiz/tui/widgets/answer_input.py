"""Typed answers: one text box, or one per gap of a cloze card."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label

from quiz.deck.model import AnyCard, ClozeCard, NumericCard
from quiz.tui.text import one_line
from quiz.tui.widgets.question import gap_label


class TypedAnswer(Vertical):
    """Text boxes for a short, numeric or cloze answer; Enter moves on, then submits."""

    DEFAULT_CSS = """
    TypedAnswer { height: auto; }
    TypedAnswer > Horizontal { height: auto; }
    TypedAnswer .gap-label { width: auto; padding: 1 1 0 0; color: $text-muted; }
    TypedAnswer .unit { width: auto; padding: 1 0 0 1; color: $text-muted; }
    TypedAnswer Input { width: 1fr; }
    """

    class Submitted(Message):
        """The learner pressed Enter in the last box: ``value`` is a str or one str per gap."""

        def __init__(self, value: str | list[str]) -> None:
            super().__init__()
            self.value = value

    def __init__(self, card: AnyCard, **kwargs) -> None:
        super().__init__(**kwargs)
        self.card = card
        self.gap_count = len(card.gaps) if isinstance(card, ClozeCard) else 1

    def compose(self) -> ComposeResult:
        card = self.card
        for i in range(self.gap_count):
            with Horizontal():
                if self.gap_count > 1:
                    yield Label(gap_label(i), classes="gap-label", markup=False)
                placeholder = "your answer (Enter to check, empty if you don't know)"
                if isinstance(card, NumericCard):
                    placeholder = "a number (Enter to check)"
                elif self.gap_count > 1:
                    placeholder = f"gap {i + 1} (Enter for the next gap)"
                    if i == self.gap_count - 1:
                        placeholder = f"gap {i + 1} (Enter to check)"
                yield Input(placeholder=placeholder, id=f"gap-{i}", select_on_focus=False)
                if isinstance(card, NumericCard) and card.unit:
                    yield Label(one_line(card.unit, 20), classes="unit", markup=False)

    @property
    def inputs(self) -> list[Input]:
        return list(self.query(Input))

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

    def focus_first(self) -> None:
        """Focus the first empty box (or the last one)."""
        inputs = self.inputs
        for box in inputs:
            if not box.value:
                box.focus()
                return
        if inputs:
            inputs[-1].focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self.inputs
        index = inputs.index(event.input) if event.input in inputs else len(inputs) - 1
        if index < len(inputs) - 1:
            inputs[index + 1].focus()
            return
        self.post_message(self.Submitted(self.value))
