"""Grading: is an answer right? (API contract; implementation in progress)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from quiz.deck.model import AnyCard


class Verdict(StrEnum):
    CORRECT = "correct"
    CLOSE = "close"  # the learner decides
    WRONG = "wrong"
    SELF = "self"  # basic cards: self-graded


@dataclass(frozen=True)
class DiffSpan:
    """One run of a character diff between the learner's answer and the canonical one."""

    op: str  # "equal" | "insert" (missing from the learner's answer) | "delete" (extra) | "replace"
    given: str
    expected: str


@dataclass(frozen=True)
class Grade:
    """The verdict on one response."""

    verdict: Verdict
    suggested_rating: int  # 1 Again for wrong, 3 Good for correct/self, 3 for close
    response: str  # what the learner typed or chose, as text
    canonical: str  # the canonical answer as text
    diff: list[DiffSpan] = field(default_factory=list)  # empty unless typed
    matched: str | None = None  # the accepted answer that matched, if any

    @property
    def correct(self) -> bool | None:
        if self.verdict is Verdict.SELF:
            return None
        return self.verdict is Verdict.CORRECT


def grade(card: AnyCard, response: Any) -> Grade:
    """Grade a response to a card.

    ``response`` is a ``str`` for short/numeric/mcq, a ``str`` or ``list[str]``
    (one per gap) for cloze, a ``bool`` (or "t"/"f"/"true"/"false") for truefalse,
    and ``None`` for basic (self-graded).
    """
    raise NotImplementedError
