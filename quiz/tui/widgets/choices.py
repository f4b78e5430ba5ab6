"""Numbered choices for multiple-choice and true/false cards."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quiz.tui.text import Builder


class ChoiceList(OptionList):
    """Numbered choices; a number key (or Enter on the highlighted one) answers."""

    KEYS: ClassVar[tuple[str, ...]] = ("1", "2", "3", "4", "5", "6")
    """The key that picks each choice, shown beside it."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 14; border: none; padding: 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(0)", "Pick", key_display="1-n"),
        Binding("2", "pick(1)", "Pick 2", show=False),
        Binding("3", "pick(2)", "Pick 3", show=False),
        Binding("4", "pick(3)", "Pick 4", show=False),
        Binding("5", "pick(4)", "Pick 5", show=False),
        Binding("6", "pick(5)", "Pick 6", show=False),
    ]

    class Picked(Message):
        """A choice was picked: its 0-based ``index`` and ``text``."""

        def __init__(self, index: int, text: str) -> None:
            super().__init__()
            self.index = index
            self.text = text

    def __init__(self, choices: list[str] | None = None, **kwargs) -> None:
        self.choices = list(choices or [])
        super().__init__(*self._choice_options(), **kwargs)

    def _choice_options(
        self, picked: int | None = None, correct: str | None = None
    ) -> list[Option]:
        options = []
        for i, choice in enumerate(self.choices):
            key = self.KEYS[i] if i < len(self.KEYS) else " "
            label = Builder()
            if correct is not None and choice == correct:
                label.add(f"{key} ✔ ", "bold $success").add(choice, "bold $success")
            elif picked == i:
                label.add(f"{key} ✘ ", "bold $error").add(choice, "strike $error")
            else:
                pad = "   " if correct is not None else "  "  # line up with ✔ / ✘ marks
                label.add(f"{key}{pad}", "bold $accent").add(choice)
            options.append(Option(label.build()))
        return options

    def mark(self, picked: int | None, correct: str | None) -> None:
        """After answering: the right choice ticked, a wrong pick crossed out."""
        self.clear_options()
        self.add_options(self._choice_options(picked, correct))
        self._marked = True

    def set_choices(self, choices: list[str]) -> None:
        """Show ``choices`` (numbered from 1), the first highlighted."""
        self.disabled = False
        if choices != self.choices or getattr(self, "_marked", False):
            self._marked = False
            self.choices = list(choices)
            self.clear_options()
            self.add_options(self._choice_options())
        self.highlighted = 0 if choices else None
        self._show_key_range(len(choices))

    def _show_key_range(self, count: int) -> None:
        """The key bar and help say ``1-4 Pick`` for four choices (not a fixed ``1-6``)."""
        keys = self._bindings.key_to_bindings.get("1")
        if keys and keys[0].key_display and keys[0].key_display.startswith("1-"):
            shown = f"1-{max(1, min(count, len(self.KEYS)))}"
            if keys[0].key_display != shown:
                keys[0] = replace(keys[0], key_display=shown)
                self.refresh_bindings()

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            self.highlighted = index
            self.post_message(self.Picked(index, self.choices[index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index, self.choices[event.option_index]))


class TrueFalseChoice(ChoiceList):
    """True or False: ``t``/``f`` (or ``1``/``2``)."""

    KEYS: ClassVar[tuple[str, ...]] = ("t", "f")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "pick(0)", "True"),
        Binding("f", "pick(1)", "False"),
        Binding("1", "pick(0)", "True", show=False),
        Binding("2", "pick(1)", "False", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(["True", "False"], **kwargs)
