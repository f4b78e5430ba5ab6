"""Flag a card as faulty, with an optional comment for the instructor."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from quiz.tui.text import Builder, one_line


class FlagScreen(ModalScreen[str | None]):
    """Asks what is wrong with a card; Enter flags it, Esc cancels."""

    CSS_PATH = "modal.tcss"
    HELP_TITLE = "Flag a card"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, card_id: str, prompt: str | None = None) -> None:
        super().__init__()
        self.card_id = card_id
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            title = Builder().add("Flag this card as faulty", "bold")
            if self.prompt:  # the question people read, not the card's id
                title.add("\n").add(one_line(self.prompt, 120), "italic")
            title.add("\n").add(f"card {one_line(self.card_id, 60)}", "$text-muted")
            yield Static(title.build())
            yield Static(
                "What is wrong with it? (optional; your instructor sees this)",
                classes="hint",
                markup=False,
            )
            yield Input(placeholder="e.g. the answer is out of date", id="comment")
            yield Static("Enter flags it · Esc cancels", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskNumberScreen(ModalScreen[int | None]):
    """Asks for a whole number (e.g. how many exam questions); Enter accepts the default."""

    CSS_PATH = "modal.tcss"
    HELP_TITLE = "A number"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, default: int, maximum: int | None = None) -> None:
        super().__init__()
        self.question = question
        self.default = default
        self.maximum = maximum

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(Builder().add(self.question, "bold").build())
            yield Input(
                placeholder=str(self.default), type="integer", id="number", select_on_focus=False
            )
            yield Static(f"Enter for {self.default} · Esc cancels", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        try:
            n = int(text) if text else self.default
        except ValueError:
            self.notify("Type a whole number.", severity="warning", markup=False)
            return
        if n < 1:
            self.notify("At least 1.", severity="warning", markup=False)
            return
        if self.maximum is not None:
            n = min(n, self.maximum)
        self.dismiss(n)

    def action_cancel(self) -> None:
        self.dismiss(None)
