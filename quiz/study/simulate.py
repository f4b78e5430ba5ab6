"""Workload simulator: reviews a day, minutes a day and knowledge at the end, for a choice
of desired retention, from a learner's FSRS parameters and current card states.

fsrs (py-fsrs) has no simulator, and fsrs-rs-python's ``simulate`` starts from an empty
deck; this one starts from the learner's cards and runs them through quiz's own
scheduling (:func:`quiz.study.scheduling.review_state`, so study-day counting, steps,
maximum interval and Anki's button order are the engine's). It is deliberately simple:

- one session a day; every card due that study day is reviewed (up to the daily review
  limit), then new cards up to the daily new limit, in deck order;
- whether a review is recalled is drawn from the card's FSRS retrievability at that
  moment (fsrs's ``get_card_retrievability`` with the learner's parameters): the
  learner is assumed to forget exactly as their parameters say;
- a recalled review is rated Hard/Good/Easy and a new card's first rating is drawn,
  in the proportions of the learner's own log (Anki's simulator defaults without one);
  learning and relearning steps are answered Good when due, the same day;
- time = answers (steps included) x the learner's median seconds per answer;
- knowledge at the end = the sum over all cards of their retrievability on the last
  day (the number of cards the learner is expected to recall then).

Fuzz is off, and the random draws come from ``seed``: the same inputs give the same result.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Scheduler

from quiz.study.options import DEFAULTS, DeckOptions
from quiz.study.scheduling import (
    NEW,
    REVIEW,
    CardState,
    SchedulerSettings,
    review_state,
)
from quiz.study.studyday import StudyDay

if TYPE_CHECKING:
    from quiz.store import Store

DEFAULT_RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97)
DEFAULT_SECONDS_PER_ANSWER = 10.0
FIRST_RATING_PROB = (0.24, 0.094, 0.495, 0.171)  # Anki's simulator: Again, Hard, Good, Easy
REVIEW_RATING_PROB = (0.224, 0.632, 0.144)  # Anki's simulator: Hard, Good, Easy when recalled
_DAY = StudyDay(0, UTC)  # the simulation's own calendar: days start at midnight UTC


@dataclass(frozen=True)
class LearnerProfile:
    """What the simulation knows of a learner beyond their cards."""

    parameters: tuple[float, ...] | None = None  # None: fsrs's defaults
    seconds_per_answer: float = DEFAULT_SECONDS_PER_ANSWER
    first_rating_prob: tuple[float, float, float, float] = FIRST_RATING_PROB
    review_rating_prob: tuple[float, float, float] = REVIEW_RATING_PROB


@dataclass(frozen=True)
class SimulationResult:
    """One simulated desired retention."""

    desired_retention: float
    days: int
    answers: int  # every answer, learning steps included
    reviews_per_day: float
    minutes_per_day: float
    knowledge: float  # expected cards recalled on the last day
    cards: int
    daily_answers: list[int] = field(default_factory=list, repr=False)

    @property
    def knowledge_share(self) -> float:
        return self.knowledge / self.cards if self.cards else 0.0


def _weighted(rng: random.Random, probs: Sequence[float], values: Sequence[int]) -> int:
    x = rng.random() * sum(probs)
    for p, v in zip(probs, values, strict=True):
        x -= p
        if x < 0:
            return v
    return values[-1]


def simulate(
    cards: Sequence[CardState],
    *,
    desired_retention: float,
    days: int = 365,
    options: DeckOptions = DEFAULTS,
    profile: LearnerProfile | None = None,
    start: datetime | None = None,
    seed: int = 0,
) -> SimulationResult:
    """Simulate ``days`` days of study of ``cards`` (new ones in the order given)."""
    profile = profile or LearnerProfile()
    settings = replace(
        SchedulerSettings.from_options(replace(options, desired_retention=desired_retention)),
        parameters=profile.parameters,
        enable_fuzzing=False,
    )
    sch: Scheduler = settings.scheduler()
    rng = random.Random(seed)
    # Sessions at 9:00 UTC, from the day after ``start`` (after every stored review).
    start = (start or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(UTC).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + timedelta(days=1)
    states = list(cards)
    new_queue = [i for i, s in enumerate(states) if s.state == NEW]
    new_queue.reverse()  # pop() from the end = deck order
    daily: list[int] = []
    for day in range(days):
        now = start + timedelta(days=day)
        end_of_day = _DAY.end_of(_DAY.day_of(now))
        answers = 0
        due = sorted(
            (
                i
                for i, s in enumerate(states)
                if s.state != NEW and s.due is not None and s.due < end_of_day
            ),
            key=lambda i: states[i].due,  # type: ignore[arg-type,return-value]
        )
        reviewed = 0
        todo: list[int] = []
        for i in due:
            if states[i].state == REVIEW:
                if reviewed >= options.reviews_per_day:
                    continue
                reviewed += 1
            todo.append(i)
        for _ in range(min(options.new_per_day, len(new_queue))):
            todo.append(new_queue.pop())
        for i in todo:
            answers += _study_card(states, i, now, end_of_day, sch, profile, rng, fsrs_id=i + 1)
        daily.append(answers)
    end = start + timedelta(days=days)
    knowledge = 0.0
    for i, s in enumerate(states):
        if s.state != NEW and s.stability:
            knowledge += sch.get_card_retrievability(s.to_fsrs(i + 1, end), end)
    total = sum(daily)
    return SimulationResult(
        desired_retention=desired_retention,
        days=days,
        answers=total,
        reviews_per_day=total / days if days else 0.0,
        minutes_per_day=total * profile.seconds_per_answer / 60 / days if days else 0.0,
        knowledge=knowledge,
        cards=len(states),
        daily_answers=daily,
    )


def _study_card(
    states: list[CardState],
    i: int,
    now: datetime,
    end_of_day: datetime,
    sch: Scheduler,
    profile: LearnerProfile,
    rng: random.Random,
    *,
    fsrs_id: int,
) -> int:
    """Answer card ``i`` at ``now``, then its same-day steps; returns the answers given."""
    state = states[i]
    answers = 0
    when = (
        max(now, state.due) if state.state != NEW and state.due and state.due < end_of_day else now
    )
    if state.state == NEW:
        rating = _weighted(rng, profile.first_rating_prob, (1, 2, 3, 4))
    else:
        r = sch.get_card_retrievability(_elapsed_card(state, when, fsrs_id), when)
        if rng.random() < r:
            rating = _weighted(rng, profile.review_rating_prob, (2, 3, 4))
        else:
            rating = 1
    state = review_state(sch, state, rating, when, fsrs_id=fsrs_id, study_day=_DAY)
    answers += 1
    # Learning/relearning steps: answered Good when due, while still today.
    while (
        state.state != REVIEW and state.due is not None and state.due < end_of_day and answers < 20
    ):
        state = review_state(sch, state, 3, state.due, fsrs_id=fsrs_id, study_day=_DAY)
        answers += 1
    states[i] = state
    return answers


def _elapsed_card(state: CardState, when: datetime, fsrs_id: int):  # type: ignore[no-untyped-def]
    """The fsrs card whose retrievability at ``when`` is the card's (study days elapsed)."""
    from quiz.study.scheduling import fsrs_input_card

    return fsrs_input_card(state, fsrs_id, when, _DAY)


def learner_profile(store: Store, learner: str, deck: str | None = None) -> LearnerProfile:
    """The learner's parameters and answer habits, from the store (defaults where the log
    is too thin: fewer than 20 answers of a kind)."""
    raw = store.answer_profile(learner, deck)
    first = raw["first_ratings"]
    recalled = raw["recalled_ratings"]
    params = (
        store.scheduler_settings(learner, deck).parameters
        if deck
        else (SchedulerSettings.from_options(store.options(learner)).parameters)
    )
    seconds = raw["seconds_per_answer"]
    return LearnerProfile(
        parameters=params,
        seconds_per_answer=min(float(seconds), 60.0) if seconds else DEFAULT_SECONDS_PER_ANSWER,
        first_rating_prob=(
            tuple(first[r] / sum(first.values()) for r in (1, 2, 3, 4))  # type: ignore[arg-type]
            if sum(first.values()) >= 20
            else FIRST_RATING_PROB
        ),
        review_rating_prob=(
            tuple(recalled[r] / sum(recalled.values()) for r in (2, 3, 4))  # type: ignore[arg-type]
            if sum(recalled.values()) >= 20
            else REVIEW_RATING_PROB
        ),
    )


def simulate_learner(
    store: Store,
    learner: str,
    deck: str | None = None,
    *,
    retentions: Sequence[float] = DEFAULT_RETENTIONS,
    days: int = 365,
    now: datetime | None = None,
    seed: int = 0,
) -> list[SimulationResult]:
    """:func:`simulate_retentions` from a learner's stored cards, options and log."""
    cards = store.simulation_cards(learner, deck)
    profile = learner_profile(store, learner, deck)
    options = store.options(learner, deck)
    return simulate_retentions(
        cards, retentions, days=days, options=options, profile=profile, start=now, seed=seed
    )


def simulate_retentions(
    cards: Sequence[CardState],
    retentions: Sequence[float] = DEFAULT_RETENTIONS,
    **kwargs: object,
) -> list[SimulationResult]:
    """:func:`simulate` once per desired retention, on the same cards and random draws."""
    return [simulate(cards, desired_retention=r, **kwargs) for r in retentions]  # type: ignore[arg-type]


def parse_retentions(text: str) -> tuple[float, ...]:
    """``0.9``, ``0.8,0.9,0.95`` or a range ``0.70..0.97`` (steps of 0.05, both ends kept).
    Raises ``ValueError`` with a one-line reason."""
    from quiz.study.options import RETENTION_RANGE

    low_ok, high_ok = RETENTION_RANGE
    text = text.strip()
    values: list[float] = []
    if ".." in text:
        a, _, b = text.partition("..")
        lo, hi = float(a), float(b)
        if lo > hi:
            raise ValueError(f"the range {text} goes backwards")
        x = lo
        while x < hi - 1e-9:
            values.append(round(x, 4))
            x += 0.05
        values.append(hi)
    else:
        values = [float(p) for p in text.split(",") if p.strip()]
    if not values:
        raise ValueError("no retention given")
    for v in values:
        if not low_ok <= v <= high_ok:
            raise ValueError(
                f"desired retention must be between {low_ok:.2f} and {high_ok:.2f}, not {v}"
            )
    return tuple(values)
