"""The help modal: every key binding of the screen it was opened from."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quiz.tui.text import Builder

NODE_NAMES = {
    "RatingBar": "Rating",
    "ChoiceList": "Choices",
    "TrueFalseChoice": "True / false",
    "RevealPrompt": "Basic card",
    "TypedAnswer": "Answer box",
    "DeckTable": "Deck list",
    "CardTable": "Card list",
}


def _declared_bindings(node: DOMNode) -> list[Binding]:
    """Bindings declared in quiz's own classes of ``node`` (and the app's), most specific first."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        own = cls.__dict__.get("BINDINGS")
        if not own:
            continue
        if not cls.__module__.startswith("quiz.") and cls is not App:
            continue
        found.extend(Binding.make_bindings(own))
    return found


def screen_bindings(screen: Screen) -> list[tuple[str, Binding, DOMNode]]:
    """(where, binding, owner) for the focused widget, the screen and the app, one per key."""
    chain: list[DOMNode] = []
    focused = screen.focused
    node: DOMNode | None = focused
    while node is not None and node is not screen:
        chain.append(node)
        node = node.parent  # type: ignore[assignment]
    chain.append(screen)
    chain.append(screen.app)
    seen: set[str] = set()
    result: list[tuple[str, Binding, DOMNode]] = []
    for node in chain:
        if node is screen:
            where = "This screen"
        elif node is screen.app:
            where = "Everywhere"
        else:
            where = NODE_NAMES.get(type(node).__name__, type(node).__name__)
        for binding in _declared_bindings(node):
            if binding.key in seen or not binding.description:
                continue
            seen.add(binding.key)
            result.append((where, binding, node))
    return result


ESC_Q_RULE = (
    "Esc and q go back one step, on every screen: Esc first leaves a text box (where q is "
    "just a letter), then the screen; a dialog is cancelled. On Home, q quits; Ctrl+Q quits "
    "from anywhere. Every rated answer is already saved. In an answer box, Esc then u undoes."
)
"""The one rule for Esc and q (also in the README)."""


class HelpScreen(ModalScreen[None]):
    """Lists every binding of the screen underneath."""

    CSS_PATH = "help.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", key_display="?", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        title = getattr(self.target, "HELP_TITLE", None) or type(self.target).__name__
        out = Builder()
        out.add(f"Keys: {title}", "bold $accent")
        doc = (type(self.target).__doc__ or "").strip().splitlines()
        if doc:
            out.add("\n").add(doc[0], "$text-muted")
        out.add("\n")
        where_now = None
        for where, binding, _owner in screen_bindings(self.target):
            if where != where_now:
                out.add("\n").add(where, "bold underline").add("\n")
                where_now = where
            key = binding.key_display or self.app.get_key_display(binding)
            out.add(f"  {key:<12}", "bold $accent").add(binding.description).add("\n")
        out.add("\n").add(ESC_Q_RULE, "$text-muted")
        out.add("\n").add(
            "Esc closes this help.  Ctrl+P: command palette (themes too).", "$text-muted"
        )
        with Vertical(id="help-box"), VerticalScroll():
            yield Static(out.build(), id="help-text")

    def action_close(self) -> None:
        self.dismiss()
