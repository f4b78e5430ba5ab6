"""Switch to another learner, or create a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quiz.tui.text import Builder

if TYPE_CHECKING:
    from quiz.tui.app import QuizApp

MAX_NAME = 64


def clean_name(text: str) -> str | None:
    """A learner name as typed, trimmed; None when empty, too long or with control characters."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME:
        return None
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        return None
    return name


class LearnerScreen(ModalScreen[str | None]):
    """Pick who is studying: Enter on a name, or type a new one."""

    CSS_PATH = "modal.tcss"
    HELP_TITLE = "Learner"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "new", "New learner"),
    ]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current
        self.names: list[str] = []

    @property
    def quiz_app(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(Builder().add("Who is studying?", "bold").build())
            yield OptionList(id="learners")
            yield Input(placeholder="new learner's name, then Enter", id="new-name")
            yield Static(
                "Enter picks · n or Tab to type a new name · Esc cancels",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#learners", OptionList).focus()
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        from quiz.study.catalog import learners

        app = self.quiz_app
        try:
            names = await app.db.call(learners, app.store)
        except Exception as exc:
            self.notify(f"{type(exc).__name__}: {exc}", severity="error", markup=False)
            names = []
        if self.current not in names:
            names = [self.current, *names]
        self.names = names
        options = self.query_one("#learners", OptionList)
        options.clear_options()
        for i, name in enumerate(names):
            label = Builder().add(name, "bold" if name == self.current else "", newlines=False)
            if name == self.current:
                label.add("  (now)", "$text-muted")
            options.add_option(Option(label.build(), id=f"learner-{i}"))
        options.highlighted = names.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.names[event.option_index])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = clean_name(event.value)
        if name is None:
            self.notify(
                f"A name is 1 to {MAX_NAME} characters, without control characters.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(name)

    def action_new(self) -> None:
        self.query_one("#new-name", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
