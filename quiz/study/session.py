"""The study session: the one object the TUI and plain mode drive.

Where the next card is chosen: ``quiz.study.queue``; where an answer is graded:
``quiz.study.grading``; where a review is written: ``quiz.store``. ``rate`` commits
the review (its own transaction) before it returns.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from quiz.deck.model import AnyCard, BasicCard, Deck, McqCard, TrueFalseCard
from quiz.errors import QuizError
from quiz.store import ReviewRecord, Store
from quiz.study import grading
from quiz.study.clock import Clock
from quiz.study.grading import Grade, Verdict
from quiz.study.queue import Limits, StudyQueue, exam_cards, weakest_first
from quiz.study.scheduling import (
    RATING_LABELS,
    CardState,
    fsrs_card_id,
    interval_text,
    preview_intervals,
    truncate_ms,
)

Mode = Literal["study", "practice", "exam"]
QueueKind = Literal["new", "learning", "review", "practice", "exam"]
MODES = ("study", "practice", "exam")
DEFAULT_EXAM_SIZE = 20


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
    flagged: bool = False  # flagged for the instructor when it was shown


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
    options: list[RatingOption]  # an exam answer graded automatically: only the suggested rating
    suggested: int


@dataclass
class SessionSummary:
    cards_studied: int = 0
    correct: int = 0
    wrong: int = 0
    time_ms: int = 0
    next_due: datetime | None = None
    due_tomorrow: int = 0
    exam_score: float | None = None  # right answers over every question of the exam
    exam_total: int = 0  # questions in the exam (some may be unanswered if it was left)
    by_rating: dict[int, int] = field(default_factory=dict)

    @property
    def accuracy(self) -> float | None:
        graded = self.correct + self.wrong
        return self.correct / graded if graded else None


@dataclass(frozen=True)
class _CardAction:
    """A bury, suspend or flag done in this session (for undo): the card's marks before."""

    kind: str  # bury | suspend | flag
    view: CardView
    flagged: bool
    flag_comment: str | None
    todo_index: int | None  # practice/exam: where the card was in the list


UNDO_NAMES = {"rate": "rating", "bury": "bury", "suspend": "suspension", "flag": "flag"}
"""What ``undo`` took back, as the UI names it."""


@dataclass
class _Done:
    """One rating given in this session (for undo and the summary)."""

    record: ReviewRecord
    view: CardView
    result: AnswerResult
    duration_ms: int
    correct: bool | None


class StudySession:
    """Drive one study, practice or exam session for a learner on a deck.

    Usage: ``view = s.next_card()``; ``res = s.submit(answer)`` (or
    ``s.reveal()`` for basic); ``s.rate(n)``; repeat until ``next_card()``
    returns None. ``rate`` commits the review before returning.
    """

    def __init__(
        self,
        store: Store,
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
        if mode not in MODES:
            raise QuizError(f"unknown mode {mode!r} (study, practice or exam)")
        if not isinstance(learner, str) or not learner.strip():
            raise QuizError("the learner name must not be empty")
        self.store: Store = store
        self.deck = deck
        self.learner = learner
        self.mode: Mode = mode
        self.clock: Clock = clock or store.clock
        self.rng = random.Random(seed)
        self.session_id = str(uuid.uuid4())
        self._cards = {c.id: c for c in deck.active_cards}

        store.daily_backup()  # the first session of the day copies the database
        store.sync_deck(deck, getattr(deck, "path", None))
        store.ensure_states(learner, deck.deck)
        self.limits = Limits.for_learner(store, learner, deck.deck, self.clock(), new_limit)
        self.queue = StudyQueue(store, learner, deck.deck, self.limits)
        self.scheduler_settings = store.scheduler_settings(learner, deck.deck)
        self._scheduler = store.scheduler(self.scheduler_settings)

        self._todo: list[str] = []  # practice/exam: card ids still to ask
        if mode == "practice":
            self._todo = self._practice_list(practice_cards)
        elif mode == "exam":
            ids = list(self._cards)
            size = DEFAULT_EXAM_SIZE if exam_size is None else int(exam_size)
            if size < 1:
                raise QuizError("an exam needs at least 1 card")
            self._todo = exam_cards(ids, size, self.rng)
        self.exam_total = len(self._todo) if mode == "exam" else 0

        self._current: CardView | None = None
        self._review_id: str | None = None  # id of the pending review
        self._before: CardState | None = None
        self._result: AnswerResult | None = None
        self._answered_at: datetime | None = None
        self._done: list[_Done] = []
        self._undoable: list[_Done | _CardAction] = []  # every action, newest last
        self._position = 0
        self._skipped: set[str] = set()  # buried/suspended here: not picked again
        self.last_record: ReviewRecord | None = None
        self.closed = False
        store.start_session(self.session_id, learner, deck.deck, mode)

    # --- choosing ------------------------------------------------------------
    def _practice_list(self, wanted: list[str] | None) -> list[str]:
        if wanted:
            ids = [self.store.resolve_card_id(self.deck.deck, w) for w in wanted]
            missing = [w for w, i in zip(wanted, ids, strict=True) if i not in self._cards]
            if missing:
                raise QuizError(f"no active card {missing[0]!r} in deck {self.deck.deck!r}")
            return list(dict.fromkeys(ids))
        return weakest_first(self.store, self.learner, self.deck.deck, list(self._cards))

    def next_card(self) -> CardView | None:
        """The card to ask now, or None when the session is over."""
        if self._current is not None:
            return self._current
        now = self.clock()
        card_id: str | None = None
        queue: QueueKind = self.mode  # type: ignore[assignment]
        if self.mode == "study":
            pick = None
            while True:
                pick = self.queue.next_card(now, exclude=self._skipped)
                if pick is None or pick.card_id in self._cards:
                    break
                self._skipped.add(pick.card_id)  # in the store but not in this deck file
            if pick is None:
                return None
            card_id, queue = pick.card_id, pick.queue
        else:
            while self._todo and self._todo[0] in self._skipped:
                self._todo.pop(0)
            if not self._todo:
                return None
            card_id = self._todo[0]
        card = self._cards[card_id]
        self._show(card, queue, now)
        return self._current

    def _show(self, card: AnyCard, queue: QueueKind, now: datetime) -> None:
        choices: list[str] | None = None
        if isinstance(card, McqCard):
            choices = list(card.choices)
            self.rng.shuffle(choices)
        elif isinstance(card, TrueFalseCard):
            choices = ["True", "False"]
        self._position += 1
        self._current = CardView(card, queue, choices, self._position, truncate_ms(now))
        self._review_id = str(uuid.uuid4())
        row = self.store.card_state(self.learner, self.deck.deck, card.id)
        self._before = CardState.from_row(row)
        if row and row.get("flagged"):
            self._current = CardView(
                card, queue, choices, self._position, self._current.started_at, True
            )
        self._result = None
        self._answered_at = None

    # --- answering -----------------------------------------------------------
    def _require_current(self) -> CardView:
        if self._current is None:
            raise QuizError("no card is being asked; call next_card() first")
        return self._current

    def submit(self, response: Any) -> AnswerResult:
        """Grade an answer to the current card; returns the verdict and rating choices."""
        view = self._require_current()
        if self.mode == "exam" and self._result is not None:
            return self._result  # one attempt each
        if isinstance(view.card, McqCard) and view.choices and isinstance(response, int):
            if not 1 <= response <= len(view.choices):
                raise QuizError(f"choose 1 to {len(view.choices)}")
            response = view.choices[response - 1]
        grade = grading.grade(view.card, response)
        return self._answered(grade)

    def reveal(self) -> AnswerResult:
        """Show the answer of a self-graded (basic) card."""
        view = self._require_current()
        if self._result is not None:
            return self._result
        return self._answered(grading.grade(view.card, None))

    def _answered(self, grade: Grade) -> AnswerResult:
        self._answered_at = self.clock()
        suggested = int(grade.suggested_rating) if grade.suggested_rating in RATING_LABELS else 3
        options = self.rating_options()
        if self.mode == "exam" and grade.verdict is not Verdict.SELF:
            options = [
                o for o in options if o.rating == suggested
            ]  # one attempt, scored by the verdict
        self._result = AnswerResult(grade, options, suggested)
        return self._result

    def rating_options(self) -> list[RatingOption]:
        """The four ratings with the interval each would give the current card."""
        view = self._require_current()
        if self.mode != "study":
            return [RatingOption(r, label, None, "") for r, label in RATING_LABELS.items()]
        intervals = preview_intervals(
            self._scheduler,
            self._before or CardState(),
            self.clock(),
            fsrs_id=fsrs_card_id(self.deck.deck, view.card.id),
            study_day=self.queue.study_day,
        )
        return [
            RatingOption(r, label, intervals[r], interval_text(intervals[r]))
            for r, label in RATING_LABELS.items()
        ]

    def rate(self, rating: int | None = None) -> None:
        """Rate the answered card (None: the suggested rating) and commit the review."""
        view = self._require_current()
        result = self._result
        if result is None:
            if isinstance(view.card, BasicCard):
                result = self.reveal()
            else:
                raise QuizError("answer the card before rating it")
        if rating is None:
            rating = result.suggested
        if rating not in RATING_LABELS:
            raise QuizError("rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
        answered_at = self._answered_at or self.clock()
        duration_ms = max(0, int((answered_at - view.started_at).total_seconds() * 1000))
        grade = result.grade
        correct = grade.correct
        stamp = self.queue.change_stamp()
        record = self.store.record_review(
            review_id=self._review_id or str(uuid.uuid4()),
            learner=self.learner,
            deck=self.deck.deck,
            card_id=view.card.id,
            rating=rating,
            now=self.clock(),
            mode=self.mode,
            duration_ms=duration_ms,
            answer=grade.response,
            correct=correct,
            verdict=str(
                grade.verdict.value if isinstance(grade.verdict, Verdict) else grade.verdict
            ),
            session_id=self.session_id,
            settings=self.scheduler_settings,
            study_day=self.queue.study_day,
        )
        self.last_record = record
        self.queue.note_answer(
            stamp, record.reviewed_at, record.card_id, record.before.state, self.mode
        )
        done = _Done(record, view, result, duration_ms, correct)
        self._done.append(done)
        self._undoable.append(done)
        if self._todo and self._todo[0] == view.card.id:
            self._todo.pop(0)
            if self.mode == "practice" and rating == 1:
                self._todo.append(view.card.id)  # cram: again at the end
        self._current = None
        self._result = None

    def undo(self) -> str | None:
        """Take back this session's last action: a rating (review row and state together),
        a bury, a suspension or a flag. The card is asked again. Returns what was undone
        (``"rate"``, ``"bury"``, ``"suspend"``, ``"flag"``; see :data:`UNDO_NAMES`), or
        None when there is nothing to undo (and always in an exam)."""
        if self.mode == "exam" or not self._undoable:
            return None
        last = self._undoable[-1]
        if isinstance(last, _CardAction):
            self._undo_card_action(last)
            self._undoable.pop()
            return last.kind
        if not self.store.undo_review(last.record.id):
            return None
        self._undoable.pop()
        self._done.remove(last)
        if self.mode == "practice":
            if self._todo and self._todo[-1] == last.view.card.id and last.record.rating == 1:
                self._todo.pop()
            self._todo.insert(0, last.view.card.id)
        self._ask_again(last.view)
        self.last_record = self._done[-1].record if self._done else None
        return "rate"

    def _ask_again(self, view: CardView) -> None:
        """Make ``view``'s card the current one again, in its old place."""
        self._show(view.card, view.queue, self.clock())
        assert self._current is not None
        self._position = view.position
        choices = view.choices if view.choices is not None else self._current.choices
        self._current = CardView(
            view.card,
            view.queue,
            choices,
            view.position,
            self._current.started_at,
            self._current.flagged,
        )

    def _undo_card_action(self, action: _CardAction) -> None:
        card_id = action.view.card.id
        learner, deck = self.learner, self.deck.deck
        if action.kind == "flag":
            if action.flagged:
                self.store.flag(learner, deck, card_id, action.flag_comment)
            else:
                self.store.card_action(learner, deck, card_id, "unflag")
            return
        self.store.card_action(
            learner, deck, card_id, "unbury" if action.kind == "bury" else "unsuspend"
        )
        self._skipped.discard(card_id)
        if action.todo_index is not None and card_id not in self._todo:
            self._todo.insert(0, card_id)
        self._ask_again(action.view)

    def _card_action(self, kind: str) -> tuple[CardView, dict[str, Any] | None]:
        view = self._require_current()
        row = self.store.card_state(self.learner, self.deck.deck, view.card.id) or {}
        todo_index = 0 if self._todo and self._todo[0] == view.card.id else None
        self._undoable.append(
            _CardAction(kind, view, bool(row.get("flagged")), row.get("flag_comment"), todo_index)
        )
        return view, row

    # --- card actions ----------------------------------------------------------
    def bury(self) -> None:
        """Hide the current card until the next study day."""
        view, _ = self._card_action("bury")
        self.store.bury(self.learner, self.deck.deck, view.card.id, self.clock())
        self._skip(view.card.id)

    def suspend(self) -> None:
        """Suspend the current card (never shown until restored)."""
        view, _ = self._card_action("suspend")
        self.store.suspend(self.learner, self.deck.deck, view.card.id)
        self._skip(view.card.id)

    def flag(self, comment: str | None = None) -> None:
        """Flag the current card for the instructor (it stays current)."""
        view, _ = self._card_action("flag")
        self.store.flag(self.learner, self.deck.deck, view.card.id, comment)

    def is_flagged(self, card_id: str) -> bool:
        """Is this card flagged for the instructor (by this learner)?"""
        row = self.store.card_state(self.learner, self.deck.deck, card_id) or {}
        return bool(row.get("flagged"))

    @property
    def can_undo(self) -> bool:
        return self.mode != "exam" and bool(self._undoable)

    def _skip(self, card_id: str) -> None:
        self._skipped.add(card_id)
        if self._todo and self._todo[0] == card_id:
            self._todo.pop(0)
        self._current = None
        self._result = None
        self._position -= 1

    # --- editing ---------------------------------------------------------------
    def use_deck(self, deck: Deck) -> CardView | None:
        """Carry on with ``deck``, the same deck edited (its file re-read): the stored deck
        is synced (progress is kept by card id) and the current card is shown again as
        edited, unanswered. Returns the current card (None if the edit removed it)."""
        if deck.deck != self.deck.deck:
            raise QuizError(f"the deck id changed from {self.deck.deck!r} to {deck.deck!r}")
        self.store.sync_deck(deck, getattr(deck, "path", None))
        self.store.ensure_states(self.learner, deck.deck)
        self.deck = deck
        self._cards = {c.id: c for c in deck.active_cards}
        view = self._current
        if view is None:
            return None
        card = self._cards.get(view.card.id)
        if card is None:  # removed, renamed or retired: on to the next card
            self._skip(view.card.id)
            return None
        self._ask_again(CardView(card, view.queue, None, view.position, view.started_at))
        return self._current

    # --- progress ------------------------------------------------------------
    def counts(self) -> Counts:
        """Cards left: today's new/learning/review in study mode; cards left otherwise."""
        if self.mode != "study":
            left = len(self._todo)
            return Counts(new=0, learning=0, review=left)
        c = self.queue.counts(self.clock())
        return Counts(new=c.new, learning=c.learning, review=c.review)

    def summary(self) -> SessionSummary:
        s = SessionSummary()
        for d in self._done:
            s.cards_studied += 1
            s.time_ms += d.duration_ms
            s.by_rating[d.record.rating] = s.by_rating.get(d.record.rating, 0) + 1
            ok = (
                d.correct
                if d.correct is not None
                else (d.record.rating >= 3 if self.mode == "exam" else None)
            )
            if ok is True:
                s.correct += 1
            elif ok is False:
                s.wrong += 1
        now = self.clock()
        s.next_due = self.queue.next_due(now)
        sd = self.store.study_day(self.learner, self.deck.deck)
        tomorrow = sd.day_of(now) + timedelta(days=1)
        s.due_tomorrow = self.queue.due_between(
            sd.start_of(tomorrow), sd.start_of(tomorrow + timedelta(days=1))
        )
        if self.mode == "exam" and self.exam_total:
            s.exam_score = s.correct / self.exam_total
            s.exam_total = self.exam_total
        return s

    @property
    def answered(self) -> int:
        """Ratings given (and kept) in this session."""
        return len(self._done)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.store.end_session(self.session_id)

    def __enter__(self) -> StudySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
