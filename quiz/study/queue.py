"""The study queue: the ONE place the next card is chosen, and today's counts.

Order (as Anki): learning and relearning cards that are due; then reviews due
today (before the next rollover); then new cards in deck order, up to the daily
new limit. When only learning cards remain and none is due, the nearest within
the learn-ahead window is shown. Limits count today's reviews in the database,
so restarting grants nothing more. Siblings (same ``group``) of a card answered
today wait for tomorrow, except learning cards. Buried cards wait for the next
study day; suspended and retired cards are never shown.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from quiz.store import queue_reads as reads
from quiz.study.clock import from_iso, to_iso
from quiz.study.options import DEFAULTS, DeckOptions
from quiz.study.states import State

if TYPE_CHECKING:
    import random

    from quiz.store import Store

QueueName = Literal["new", "learning", "review"]


@dataclass(frozen=True)
class Limits:
    """Daily limits for one deck."""

    new_per_day: int = DEFAULTS.new_per_day
    reviews_per_day: int = DEFAULTS.reviews_per_day
    learn_ahead: timedelta = timedelta(minutes=DEFAULTS.learn_ahead_minutes)

    @classmethod
    def from_options(
        cls, options: DeckOptions, day: date | None = None, new_limit: int | None = None
    ) -> Limits:
        """From a learner's deck options on study day ``day`` (custom study adds to that
        day's new limit); ``new_limit`` overrides (``--new N``)."""
        new = options.new_limit_on(day.isoformat()) if day else options.new_per_day
        return cls(
            new_per_day=int(new_limit if new_limit is not None else new),
            reviews_per_day=int(options.reviews_per_day),
            learn_ahead=timedelta(minutes=float(options.learn_ahead_minutes)),
        )

    @classmethod
    def for_learner(
        cls, store: Store, learner: str, deck: str, now: datetime, new_limit: int | None = None
    ) -> Limits:
        """The limits in force for ``learner`` in ``deck`` on the study day of ``now``."""
        day = store.study_day(learner, deck).day_of(now)
        return cls.from_options(store.options(learner, deck), day, new_limit)


@dataclass(frozen=True)
class DayCounts:
    """Cards left today by queue, after limits."""

    new: int
    learning: int
    review: int


@dataclass(frozen=True)
class Today:
    """Studied so far today: new cards introduced, reviews answered, sibling groups seen."""

    new: int
    review: int
    groups: list[str]


@dataclass(frozen=True)
class Pick:
    """The chosen card and the queue it came from."""

    card_id: str
    queue: QueueName


class StudyQueue:
    """Chooses cards for one learner in one deck."""

    def __init__(self, store: Store, learner: str, deck: str, limits: Limits | None = None) -> None:
        self.store = store
        self.learner = learner
        self.deck = deck
        self.limits = limits or Limits()
        self.study_day = store.study_day(learner, deck)
        self._card_groups: dict[str, str] | None = None
        self._today: tuple[tuple[str, int, int], Today] | None = None

    # --- today's history ---------------------------------------------------
    def _window(self, now: datetime) -> tuple[str, str]:
        """Start and end (UTC ISO) of the study day at ``now``."""
        day = self.study_day.day_of(now)
        start = self.study_day.start_of(day)
        end = self.study_day.start_of(day + timedelta(days=1))
        return to_iso(start) or "", to_iso(end) or ""

    def today(self, now: datetime) -> Today:
        """What was studied today (study mode): new cards, reviews, sibling groups.

        Cached until the database changes (here or in another process) or the day ends.
        """
        start, _end = self._window(now)
        key = (start, *reads.change_stamp(self.store.db))
        if self._today is not None and self._today[0] == key:
            return self._today[1]
        rows = reads.answered_since(self.store.db, self.learner, self.deck, start)
        new = sum(1 for state, _ in rows if state == State.NEW)
        review = sum(1 for state, _ in rows if state == State.REVIEW)
        groups = self._groups_of({cid for _, cid in rows}) if rows else []
        today = Today(new, review, groups)
        self._today = (key, today)
        return today

    def change_stamp(self) -> tuple[int, int]:
        """The database's change stamp; take it just before writing an answer."""
        return reads.change_stamp(self.store.db)

    def note_answer(
        self,
        stamp_before: tuple[int, int],
        now: datetime,
        card_id: str,
        state_before: int,
        mode: str,
    ) -> None:
        """Count an answer this connection just committed without reading today's log again.

        ``stamp_before`` is :meth:`change_stamp` taken just before the write. The cached
        figures are carried forward only when they were current at that moment and no
        other connection wrote since; otherwise the next :meth:`today` reads the log.
        """
        if self._today is None:
            return
        start, _end = self._window(now)
        (old_start, *old_stamp), old = self._today
        version, changes = reads.change_stamp(self.store.db)
        if old_start != start or tuple(old_stamp) != stamp_before or version != stamp_before[0]:
            return
        if mode != "study":
            self._today = ((start, version, changes), old)
            return
        groups = set(old.groups) | set(self._groups_of({card_id}))
        today = Today(
            old.new + (state_before == State.NEW),
            old.review + (state_before == State.REVIEW),
            sorted(groups),
        )
        self._today = ((start, version, changes), today)

    def _groups_of(self, card_ids: set[str]) -> list[str]:
        """The sibling groups of these cards (the deck's groups are read once)."""
        if self._card_groups is None:
            self._card_groups = reads.deck_groups(self.store.db, self.deck)
        found = {self._card_groups[c] for c in card_ids if c in self._card_groups}
        return sorted(found)

    def _params(
        self, now: datetime, exclude: Collection[str] = (), groups: Collection[str] = ()
    ) -> dict[str, Any]:
        _start, end = self._window(now)
        return reads.queue_params(
            self.learner, self.deck, to_iso(now) or "", end, groups=groups, exclude=exclude
        )

    # --- choosing ----------------------------------------------------------
    def next_card(self, now: datetime, exclude: Collection[str] = ()) -> Pick | None:
        """The card to show at ``now`` (``exclude``: ids not to pick, e.g. just skipped)."""
        db = self.store.db
        p = self._params(now, exclude)
        card = reads.first_learning(db, p, due_by=str(p["now"]))
        if card:
            return Pick(card, "learning")
        today = self.today(now)
        p = self._params(now, exclude, groups=today.groups)
        if today.review < self.limits.reviews_per_day:
            card = reads.first_review(db, p)
            if card:
                return Pick(card, "review")
        if today.new < self.limits.new_per_day:
            card = reads.first_new(db, p)
            if card:
                return Pick(card, "new")
        card = reads.first_learning(db, p, due_by=to_iso(now + self.limits.learn_ahead) or "")
        if card:
            return Pick(card, "learning")
        return None

    def counts(self, now: datetime) -> DayCounts:
        """Cards left today: new (within the limit), learning (due today), review (within the limit)."""
        today = self.today(now)
        db = self.store.db
        p = self._params(now, groups=today.groups)
        review_room = max(0, self.limits.reviews_per_day - today.review)
        new_room = max(0, self.limits.new_per_day - today.new)
        return DayCounts(
            new=reads.count_new(db, p, new_room),
            learning=reads.count_learning(db, p),
            review=reads.count_review(db, p, review_room),
        )

    def next_due(self, now: datetime) -> datetime | None:
        """When the next scheduled card (learning or review) falls due after ``now``."""
        due = reads.next_due(self.store.db, self._params(now))
        return from_iso(due) if due else None

    def due_between(self, start: datetime, end: datetime) -> int:
        """Scheduled cards (not suspended, not retired) due in ``[start, end)``."""
        return reads.due_between(
            self.store.db, self.learner, self.deck, to_iso(start) or "", to_iso(end) or ""
        )


def weakest_first(store: Store, learner: str, deck: str, card_ids: Sequence[str]) -> list[str]:
    """``card_ids`` in practice order: most lapses first, then least stable; never-studied
    cards last; deck order (the order given) breaks ties."""
    info = reads.weakness(store.db, learner, deck)
    order = {cid: i for i, cid in enumerate(card_ids)}

    def weakness(cid: str) -> tuple[int, int, float, int]:
        state, lapses, stability = info.get(cid, (0, 0, None))
        return (int(state == 0), -int(lapses or 0), float(stability or 0.0), order[cid])

    return sorted(card_ids, key=weakness)


def exam_cards(card_ids: Sequence[str], size: int, rng: random.Random) -> list[str]:
    """``size`` of ``card_ids`` (all of them if fewer), drawn at random in the order asked."""
    return rng.sample(list(card_ids), min(size, len(card_ids)))
