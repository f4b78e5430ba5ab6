"""The study session: the one object the TUI and plain mode drive.

(API contract; implementation in progress.) Where the next card is chosen:
``quiz.queue``; where an answer is graded: ``quiz.grading``; where a review is
written: ``quiz.store``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from quiz.clock import Clock
from quiz.deck.model import AnyCard, Deck
from quiz.grading import Grade

Mode = Literal["study", "practice", "exam"]
QueueKind = Literal["new", "learning", "review", "practice", "exam"]


@dataclass(frozen=True)
class Counts:
    """Cards left today: new, learning (incl. relearning), review."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class CardView:
    """The card being asked, as the UI needs it."""

    card: AnyCard
    queue: QueueKind
    choices: list[str] | None  # mcq: shuffled choices; truefalse: ["True", "False"]
    position: int  # 1-based index in this session
    started_at: datetime  # when it was shown (for duration_ms)


@dataclass(frozen=True)
class RatingOption:
    """One of the four rating buttons: ``3 Good 10m``."""

    rating: int  # 1..4
    label: str  # Again / Hard / Good / Easy
    interval: timedelta | None  # None in practice/exam mode (schedule unchanged)
    interval_text: str  # "<1m", "6m", "10m", "4d", "3mo"


@dataclass(frozen=True)
class AnswerResult:
    """What happened after submitting: the grade and the rating choices."""

    grade: Grade
    options: list[RatingOption]
    suggested: int


@dataclass
class SessionSummary:
    cards_studied: int = 0
    correct: int = 0
    wrong: int = 0
    time_ms: int = 0
    next_due: datetime | None = None
    due_tomorrow: int = 0
    exam_score: float | None = None
    by_rating: dict[int, int] = field(default_factory=dict)

    @property
    def accuracy(self) -> float | None:
        graded = self.correct + self.wrong
        return self.correct / graded if graded else None


class StudySession:
    """Drive one study, practice or exam session for a learner on a deck.

    Usage: ``view = s.next_card()``; ``res = s.submit(answer)`` (or
    ``s.reveal()`` for basic); ``s.rate(n)``; repeat until ``next_card()``
    returns None. ``rate`` commits the review before returning.
    """

    def __init__(
        self,
        store: Any,
        deck: Deck,
        learner: str,
        mode: Mode = "study",
        *,
        clock: Clock | None = None,
        new_limit: int | None = None,
        exam_size: int | None = None,
        practice_cards: list[str] | None = None,
        seed: int | None = None,
    ) -> None:
        raise NotImplementedError

    def next_card(self) -> CardView | None: ...
    def submit(self, response: Any) -> AnswerResult: ...
    def reveal(self) -> AnswerResult: ...
    def rate(self, rating: int | None = None) -> None: ...
    def undo(self) -> bool: ...
    def bury(self) -> None: ...
    def suspend(self) -> None: ...
    def flag(self, comment: str | None = None) -> None: ...
    def counts(self) -> Counts: ...
    def summary(self) -> SessionSummary: ...
    def close(self) -> None: ...
