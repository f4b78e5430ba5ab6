"""Scheduling: our card state around ``fsrs.Scheduler`` (never hand-written FSRS).

fsrs leaves out a New state, lapse counting and reps: :class:`CardState` adds
them. Three rules of Anki's that fsrs does not have are applied around it:

- **Elapsed time in study days.** For a card in the Review state, the time
  since its last review is counted in study days (rollover hour and time zone,
  as the queue counts "due today"), not in clock time: a card shown at 9:00 on
  its due study day, due at 9:05, is a normal review, not a same-day one. fsrs
  counts ``(now - last_review).days``, so we hand it a ``last_review`` moved so
  that this whole-day count equals the study-day difference
  (:func:`fsrs_input_card`). Learning and relearning steps keep clock time.
- **Unbiased, reproducible fuzz.** fsrs is always asked for the unfuzzed
  interval; the fuzz is Anki's (:func:`fuzzed_days`): a whole number of days
  drawn uniformly from fsrs's fuzz range around it. py-fsrs's own fuzz
  (6.3) rounds a uniform draw over ``[lower, upper + 1)``, which makes every
  fuzzed interval half a day longer on average (a 3-day interval becomes 3.5
  days: realized retention fell about 0.01 below the desired one in
  bench/bench_simulation.py). The draw is seeded from the card's id and its
  review count (:func:`fuzz_seed`), so the same answers at the same times give
  the same schedule, and replaying the ``reviews`` log through
  :func:`rebuild_card_states` reproduces every due date.
- **Ordered buttons.** When the ratings land in the Review state, Easy is at
  least a day longer than Good (as Anki constrains it), so "3 Good 1d  4 Easy 1d"
  never shows, and Hard at least a day shorter than Good (when Good is 2 days or
  more). Good is always fsrs's own interval: lengthening it (Anki's "Good >= Hard
  + 1") lowered realized retention by about 0.02 in bench/bench_simulation.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS as _FSRS_DEFAULT_PARAMETERS
from fsrs.scheduler import FUZZ_RANGES as _FSRS_FUZZ_RANGES

from quiz.study.clock import from_iso, to_iso, to_utc
from quiz.study.options import DEFAULTS, DeckOptions
from quiz.study.states import Rating as StudyRating
from quiz.study.states import State as StudyState

if TYPE_CHECKING:
    from quiz.store import Store
    from quiz.study.studyday import StudyDay

DEFAULT_DESIRED_RETENTION = DEFAULTS.desired_retention
DEFAULT_LEARNING_STEPS = DEFAULTS.learning_steps
DEFAULT_RELEARNING_STEPS = DEFAULTS.relearning_steps
DEFAULT_MAXIMUM_INTERVAL = DEFAULTS.maximum_interval
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(_FSRS_DEFAULT_PARAMETERS)
"""fsrs's default model weights (used until a learner fits their own)."""

NEW, LEARNING, REVIEW, RELEARNING = (
    StudyState.NEW,
    StudyState.LEARNING,
    StudyState.REVIEW,
    StudyState.RELEARNING,
)
"""``card_states.state`` values (:class:`quiz.study.states.State`)."""

RATING_LABELS = {int(r): r.label for r in StudyRating}


def check_parameters(parameters: Any) -> None:
    """Raise ``ValueError`` or ``TypeError`` (fsrs's own message) unless ``parameters`` is a
    usable FSRS parameter list (count and bounds as fsrs checks them)."""
    SchedulerSettings(parameters=tuple(parameters), enable_fuzzing=False).scheduler()


def fsrs_card_id(deck: str, card_id: str) -> int:
    """A stable positive integer id for fsrs, from the deck and card ids."""
    digest = hashlib.sha256(f"{deck}\x1f{card_id}".encode()).digest()
    return int.from_bytes(digest[:7], "big") or 1


def truncate_ms(dt: datetime) -> datetime:
    """``dt`` in UTC with sub-millisecond precision dropped (what we store)."""
    dt = to_utc(dt)
    return dt.replace(microsecond=dt.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class CardState:
    """The scheduling part of one ``card_states`` row (what a review changes)."""

    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | None) -> CardState:
        """From a ``card_states`` row (or the JSON stored in ``reviews``); None is New."""
        if not row:
            return cls()
        return cls(
            state=int(row.get("state") or 0),
            step=row.get("step"),
            stability=row.get("stability"),
            difficulty=row.get("difficulty"),
            due=from_iso(row.get("due")),
            last_review=from_iso(row.get("last_review")),
            reps=int(row.get("reps") or 0),
            lapses=int(row.get("lapses") or 0),
        )

    def to_row(self) -> dict[str, Any]:
        """Column values for ``card_states``."""
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": to_iso(self.due),
            "last_review": to_iso(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_row(), sort_keys=True)

    def to_fsrs(self, fsrs_id: int, now: datetime) -> FsrsCard:
        """The fsrs card for this state (a New card is a fresh Learning card)."""
        if self.state == NEW:
            return FsrsCard(card_id=fsrs_id, state=State.Learning, step=0, due=now)
        return FsrsCard(
            card_id=fsrs_id,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )


def elapsed_days(before: CardState, now: datetime, study_day: StudyDay | None) -> int | None:
    """Days since the card's last review as scheduling counts them (None: never reviewed).

    Review-state cards count study days (0 on the same study day); every other
    state counts whole clock days, as fsrs does.
    """
    if before.last_review is None:
        return None
    if before.state == REVIEW and study_day is not None:
        return max(0, study_day.days_between(before.last_review, now))
    return max(0, (now - before.last_review).days)


def fsrs_input_card(
    before: CardState, fsrs_id: int, now: datetime, study_day: StudyDay | None
) -> FsrsCard:
    """The fsrs card to review at ``now``: for a Review-state card, ``last_review`` is
    moved to exactly N days before ``now``, N the study days elapsed, so fsrs's
    ``(now - last_review).days`` is the study-day count."""
    card = before.to_fsrs(fsrs_id, now)
    if before.state == REVIEW and before.last_review is not None and study_day is not None:
        days = elapsed_days(before, now, study_day)
        assert days is not None
        card.last_review = now - timedelta(days=days)
    return card


def fuzz_seed(fsrs_id: int, reps: int) -> str:
    """The fuzz seed of a card's review number ``reps`` (0 for its first review)."""
    return f"{fsrs_id}:{reps}"


@dataclass(frozen=True)
class SchedulerSettings:
    """Everything that determines how fsrs schedules; stored in ``scheduler_params``."""

    parameters: tuple[float, ...] | None = None  # None: fsrs's defaults
    desired_retention: float = DEFAULT_DESIRED_RETENTION
    learning_steps: tuple[timedelta, ...] = DEFAULT_LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = DEFAULT_RELEARNING_STEPS
    maximum_interval: int = DEFAULT_MAXIMUM_INTERVAL
    enable_fuzzing: bool = True

    @classmethod
    def from_options(cls, options: DeckOptions) -> SchedulerSettings:
        """The scheduling part of a learner's deck options."""
        return cls(
            parameters=options.fsrs_parameters,
            desired_retention=options.desired_retention,
            learning_steps=options.learning_steps,
            relearning_steps=options.relearning_steps,
            maximum_interval=options.maximum_interval,
        )

    def scheduler(self) -> Scheduler:
        """THE place a ``fsrs.Scheduler`` is built (from stored settings, via
        :meth:`from_row` or :meth:`from_options`)."""
        kwargs: dict[str, Any] = {}
        if self.parameters is not None:
            kwargs["parameters"] = self.parameters
        return Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval,
            enable_fuzzing=self.enable_fuzzing,
            **kwargs,
        )

    def to_row(self) -> dict[str, Any]:
        """Column values for ``scheduler_params`` (all JSON text or numbers)."""
        sch = self.scheduler()
        return {
            "parameters": json.dumps(list(sch.parameters)),
            "desired_retention": float(self.desired_retention),
            "learning_steps": json.dumps([s.total_seconds() for s in self.learning_steps]),
            "relearning_steps": json.dumps([s.total_seconds() for s in self.relearning_steps]),
            "maximum_interval": int(self.maximum_interval),
            "enable_fuzzing": int(bool(self.enable_fuzzing)),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SchedulerSettings:
        """From a ``scheduler_params`` row."""
        return cls(
            parameters=tuple(json.loads(row["parameters"])),
            desired_retention=float(row["desired_retention"]),
            learning_steps=tuple(timedelta(seconds=s) for s in json.loads(row["learning_steps"])),
            relearning_steps=tuple(
                timedelta(seconds=s) for s in json.loads(row["relearning_steps"])
            ),
            maximum_interval=int(row["maximum_interval"]),
            enable_fuzzing=bool(row["enable_fuzzing"]),
        )


def _unfuzzed(scheduler: Scheduler) -> Scheduler:
    """``scheduler`` with fsrs's own fuzz off (we fuzz, :func:`fuzzed_days`)."""
    if not scheduler.enable_fuzzing:
        return scheduler
    plain = copy.copy(scheduler)
    plain.enable_fuzzing = False
    return plain


def _fsrs_review(scheduler: Scheduler, card: FsrsCard, rating: int, now: datetime) -> FsrsCard:
    after, _log = _unfuzzed(scheduler).review_card(card, Rating(rating), now)
    return after


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def fuzz_range(days: int, maximum: int, minimum: int = 1) -> tuple[int, int]:
    """The whole days an interval of ``days`` may be fuzzed to (Anki's bounds, with
    fsrs's fuzz ranges): none under 2.5 days, then 1 day plus 15% of the days from
    2.5 to 7, 10% from 7 to 20 and 5% above 20, either way, kept within
    ``minimum``-``maximum``; at least two choices when the interval is over 2 days
    and under ``maximum``."""
    minimum = min(max(minimum, 1), maximum)
    days = min(max(days, minimum), maximum)
    if days < 2.5:
        return days, days
    delta = 1.0
    for r in _FSRS_FUZZ_RANGES:
        delta += r["factor"] * max(min(float(days), r["end"]) - r["start"], 0.0)
    lower = min(max(_round_half_up(days - delta), minimum), maximum)
    upper = min(max(_round_half_up(days + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def fuzzed_days(days: int, seed: str, maximum: int, minimum: int = 1) -> int:
    """``days`` fuzzed: each whole day of :func:`fuzz_range` equally likely, drawn from
    ``seed`` (so the mean stays ``days``, as Anki's fuzz; fsrs's own adds half a day)."""
    lower, upper = fuzz_range(days, maximum, minimum)
    u = random.Random(seed).random()
    return min(math.floor(lower + u * (upper - lower + 1)), upper)


def _ordered_days(rating: int, days: int, good_days: int, maximum: int) -> int:
    """Days until due of a card rated ``rating`` (landing in the Review state) with the
    buttons ordered: Easy at least a day longer than Good, Hard at least a day shorter
    than Good (never under a day). Good itself is always fsrs's interval (fuzzed)."""
    if rating == 4:
        return min(max(days, good_days + 1), maximum)
    if rating == 2 and good_days >= 2:
        return min(days, good_days - 1)
    return days


def review_state(
    scheduler: Scheduler,
    before: CardState,
    rating: int,
    now: datetime,
    *,
    fsrs_id: int,
    seed: str | None = None,
    study_day: StudyDay | None = None,
) -> CardState:
    """The state after rating a card ``rating`` (1-4) at ``now``.

    ``study_day``: the learner's study day, for elapsed time of Review-state
    cards (None: clock days, as fsrs). ``seed`` seeds the fuzz; by default
    :func:`fuzz_seed` of the card and its review count, so the same review always
    gives the same due date, on any machine.
    """
    if rating not in RATING_LABELS:
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    now = truncate_ms(now)
    if seed is None:
        seed = fuzz_seed(fsrs_id, before.reps)
    card = fsrs_input_card(before, fsrs_id, now, study_day)
    after = _fsrs_review(scheduler, card, rating, now)
    due = truncate_ms(after.due)
    if after.state == State.Review:
        maximum = scheduler.maximum_interval

        def days_of(result: FsrsCard) -> int:
            days = (result.due - now).days
            return fuzzed_days(days, seed, maximum) if scheduler.enable_fuzzing else days

        days = days_of(after)
        if rating in (2, 4):
            good = _fsrs_review(scheduler, card, 3, now)
            if good.state == State.Review:
                days = _ordered_days(rating, days, days_of(good), maximum)
        due = now + timedelta(days=days)
    lapse = before.state == REVIEW and rating == 1
    return CardState(
        state=int(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=due,
        last_review=now,
        reps=before.reps + 1,
        lapses=before.lapses + (1 if lapse else 0),
    )


def preview_intervals(
    scheduler: Scheduler,
    before: CardState,
    now: datetime,
    *,
    fsrs_id: int,
    seed: str | None = None,
    study_day: StudyDay | None = None,
) -> dict[int, timedelta]:
    """The interval each rating 1-4 would give now (exactly what rating it would store)."""
    now = truncate_ms(now)
    out: dict[int, timedelta] = {}
    for rating in RATING_LABELS:
        after = review_state(
            scheduler, before, rating, now, fsrs_id=fsrs_id, seed=seed, study_day=study_day
        )
        assert after.due is not None
        out[rating] = after.due - now
    return out


def interval_text(td: timedelta) -> str:
    """An interval as Anki shows it (a minute or less is ``<1m``): ``<1m``, ``6m``, ``10m``, ``3h``, ``4d``, ``3mo``, ``1.2y``."""
    seconds = td.total_seconds()
    if seconds <= 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4375
        return f"{months:.1f}".rstrip("0").rstrip(".") + "mo"
    years = days / 365.25
    return f"{years:.1f}".rstrip("0").rstrip(".") + "y"


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Does reaching ``lapses`` trigger the leech action? (At the threshold, then every half.)"""
    if threshold <= 0 or lapses < threshold:
        return False
    if lapses == threshold:
        return True
    half = max(1, (threshold + 1) // 2)
    return (lapses - threshold) % half == 0


def replay(
    reviews: Iterable[Mapping[str, Any]],
    schedulers: Mapping[int | None, Scheduler],
    *,
    fsrs_id: int,
    study_day: StudyDay | None = None,
) -> CardState:
    """The state after replaying one card's study reviews (oldest first).

    A review may carry ``fuzz_id``: the fsrs id of the card id it was recorded
    under (a card renamed through ``previous_ids`` keeps its old reviews' fuzz).
    """
    state = CardState()
    for r in reviews:
        scheduler = schedulers[r.get("params_id")]
        reviewed_at = from_iso(r["reviewed_at"])
        assert reviewed_at is not None
        seed = fuzz_seed(int(r.get("fuzz_id") or fsrs_id), state.reps)
        state = review_state(
            scheduler,
            state,
            int(r["rating"]),
            reviewed_at,
            fsrs_id=fsrs_id,
            seed=seed,
            study_day=study_day,
        )
    return state


def rebuild_card_states(store: Store, learner: str | None = None, deck: str | None = None) -> int:
    """Recompute ``card_states`` scheduling fields by replaying the ``reviews`` log.

    Only ``mode = 'study'`` reviews count (practice and exam never change the
    schedule). Reviews of a card's ``previous_ids`` count for the card. Flags
    set by people (suspended, buried, flagged, leech) come from ``card_events``
    when a row is rebuilt from nothing. Returns the number of card states rebuilt.
    """
    return store.rebuild_states(learner=learner, deck=deck)
