"""The four ratings with their next intervals: ``1 Again <1m  2 Hard 6m  3 Good 10m  4 Easy 4d``."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from quiz.study.session import RatingOption
from quiz.tui.text import Builder

RATING_CLASSES = {1: "again", 2: "hard", 3: "good", 4: "easy"}


class RatingButton(Static):
    """One rating; clicking it rates."""

    def __init__(self, rating: int) -> None:
        super().__init__(classes=f"rating {RATING_CLASSES.get(rating, '')}")
        self.rating = rating

    def set_option(self, option: RatingOption | None, suggested: bool) -> None:
        """Show ``option`` (hidden when None), marked when it is the suggested rating."""
        self.display = option is not None
        if option is None:
            return
        self.set_class(suggested, "suggested")
        label = Builder().add(f"{option.rating} ", "bold").add(option.label)
        if option.interval_text:
            label.add(f" {option.interval_text}", "italic")
        if suggested:
            label.add(" ⏎")
        self.update(label.build())

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(RatingBar.Rated(self.rating))


class RatingBar(Horizontal, can_focus=True):
    """Rate how well you knew it: keys 1-4, Enter takes the suggested rating."""

    DEFAULT_CSS = """
    RatingBar { height: 1; width: 100%; }
    RatingBar .rating { width: auto; padding: 0 1; margin: 0 1 0 0; }
    RatingBar .again { color: $error; }
    RatingBar .hard { color: $warning; }
    RatingBar .good { color: $success; }
    RatingBar .easy { color: $accent; }
    RatingBar .suggested { background: $boost; text-style: bold reverse; }
    RatingBar #rating-note { width: 1fr; color: $text-muted; text-align: right; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "rate_suggested", "Suggested"),
        Binding("1", "rate(1)", "Again", show=False),  # the buttons show 1-4 themselves
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("space", "rate_suggested", "Suggested", show=False),
    ]

    class Rated(Message):
        """The learner chose ``rating`` (1-4)."""

        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def __init__(self, note: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.options: list[RatingOption] = []
        self.suggested = 3
        self.note = note

    def compose(self) -> ComposeResult:
        for rating in (1, 2, 3, 4):
            yield RatingButton(rating)
        yield Static(self.note, id="rating-note", markup=False)

    def set_options(self, options: list[RatingOption], suggested: int) -> None:
        """Show the rating choices for the card just answered."""
        self.options = list(options)
        self.suggested = suggested
        by_rating = {o.rating: o for o in options}
        for button in self.query(RatingButton):
            button.set_option(by_rating.get(button.rating), button.rating == suggested)

    def action_rate(self, rating: int) -> None:
        if any(o.rating == rating for o in self.options):
            self.post_message(self.Rated(rating))

    def action_rate_suggested(self) -> None:
        self.post_message(self.Rated(self.suggested))
