"""Ratings and card states as named integers (the values stored in the database)."""

from __future__ import annotations

from enum import IntEnum


class Rating(IntEnum):
    """An answer's rating, as Anki and fsrs number them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """The word shown to people: "Again", "Hard", "Good", "Easy"."""
        return self.name.capitalize()


class State(IntEnum):
    """``card_states.state``: 0 is ours (never answered); 1-3 are fsrs's."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        """The word shown to people: "new", "learning", "review", "relearning"."""
        return self.name.lower()


def rating_label(value: int) -> str:
    """The label of a stored rating, or the number itself when it is not one."""
    try:
        return Rating(value).label
    except ValueError:
        return str(value)


def state_label(value: int | None) -> str:
    """The label of a stored state (``None`` counts as new)."""
    try:
        return State(value or 0).label
    except ValueError:
        return State.NEW.label
