"""Read-only views of a learner's progress on a deck, for browsing and the home screen.

No UI and no SQL here: the TUI shows what these functions return; reads and
writes (suspend/unsuspend) go through :class:`quiz.store.Store`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from quiz.deck.model import AnyCard, Deck
from quiz.study.clock import from_iso
from quiz.study.states import state_label

if TYPE_CHECKING:
    from quiz.store import Store

FILTER_STATES = ("new", "learning", "review", "suspended", "leech", "flagged", "buried")
"""The states a card can be filtered by in Browse."""


@dataclass(frozen=True)
class DeckOverview:
    """One line of the home screen: cards left today, retention and mastery."""

    deck_id: str
    title: str
    cards: int
    new: int | None = None
    learning: int | None = None
    due: int | None = None
    retention: float | None = None  # true retention over the last 30 days
    mastery: float | None = None  # share of the deck recalled today
    due_tomorrow: int | None = None  # reviews falling due in the next study day


@dataclass(frozen=True)
class CardRow:
    """One card of a deck with the learner's state on it."""

    card: AnyCard
    state: str  # new | learning | review | relearning
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    flagged: bool = False
    flag_comment: str | None = None
    leech: bool = False
    buried_until: datetime | None = None

    @property
    def card_id(self) -> str:
        return self.card.id

    def is_buried(self, now: datetime) -> bool:
        return self.buried_until is not None and self.buried_until > now

    def matches_state(self, state: str, now: datetime) -> bool:
        """True when the card is in ``state`` (one of ``FILTER_STATES``)."""
        if state == "suspended":
            return self.suspended
        if state == "leech":
            return self.leech
        if state == "flagged":
            return self.flagged
        if state == "buried":
            return self.is_buried(now)
        if state == "learning":
            return self.state in ("learning", "relearning")
        return self.state == state

    def status(self, now: datetime) -> str:
        """``review, suspended, flagged``: the state and every mark on the card."""
        marks = [self.state]
        if self.suspended:
            marks.append("suspended")
        if self.leech:
            marks.append("leech")
        if self.flagged:
            marks.append("flagged")
        if self.is_buried(now):
            marks.append("buried")
        return ", ".join(marks)


@dataclass(frozen=True)
class ReviewEntry:
    """One answer in a card's history."""

    reviewed_at: datetime
    rating: int
    answer: str | None
    verdict: str | None
    mode: str
    duration_ms: int | None


@dataclass
class CardFilter:
    """What Browse shows: text search plus section, kind, type and state filters."""

    text: str = ""
    section: str | None = None
    kind: str | None = None
    type: str | None = None
    states: set[str] = field(default_factory=set)


def card_text(card: AnyCard) -> str:
    """Everything searchable about a card, casefolded."""
    parts = [card.id, card.prompt, card.canonical_answer, *(card.accepted_answers)]
    parts += [card.section or "", card.explanation or "", " ".join(card.tags)]
    parts += card.choice_list or []
    if card.source and card.source.quote:
        parts.append(card.source.quote)
    return " ".join(parts).casefold()


def filter_rows(rows: list[CardRow], flt: CardFilter, now: datetime) -> list[CardRow]:
    """The rows that pass every filter; words of the search text must all appear."""
    words = flt.text.casefold().split()
    out = []
    for row in rows:
        card = row.card
        if flt.section is not None and (card.section or "") != flt.section:
            continue
        if flt.kind is not None and card.kind != flt.kind:
            continue
        if flt.type is not None and card.type != flt.type:
            continue
        if flt.states and not any(row.matches_state(s, now) for s in flt.states):
            continue
        if words:
            hay = card_text(card)
            if not all(w in hay for w in words):
                continue
        out.append(row)
    return out


def card_rows(store: Store, deck: Deck, learner: str) -> list[CardRow]:
    """Every active card of ``deck`` in deck order, with ``learner``'s state on each."""
    states = store.card_states_of_deck(learner, deck.deck)
    rows = []
    for card in deck.active_cards:
        r = states.get(card.id)
        if r is None or ((r["reps"] or 0) == 0 and (r["state"] or 0) == 0):
            rows.append(
                CardRow(
                    card,
                    "new",
                    suspended=bool(r and r["suspended"]),
                    flagged=bool(r and r["flagged"]),
                    flag_comment=r["flag_comment"] if r else None,
                    leech=bool(r and r["leech"]),
                    buried_until=from_iso(r["buried_until"]) if r else None,
                )
            )
            continue
        rows.append(
            CardRow(
                card,
                state_label(int(r["state"] or 0)),
                due=from_iso(r["due"]),
                last_review=from_iso(r["last_review"]),
                reps=int(r["reps"] or 0),
                lapses=int(r["lapses"] or 0),
                suspended=bool(r["suspended"]),
                flagged=bool(r["flagged"]),
                flag_comment=r["flag_comment"],
                leech=bool(r["leech"]),
                buried_until=from_iso(r["buried_until"]),
            )
        )
    return rows


def card_history(store: Store, learner: str, deck: str, card_id: str) -> list[ReviewEntry]:
    """Every answer ``learner`` gave to the card (under its current or previous ids), oldest first."""
    rows = store.review_history(learner, deck, card_id)
    return [
        ReviewEntry(
            from_iso(r["reviewed_at"]) or datetime.min,
            int(r["rating"]),
            r["answer"],
            r["verdict"],
            r["mode"],
            r["duration_ms"],
        )
        for r in rows
    ]


def set_suspended(store: Store, learner: str, deck: str, card_id: str, suspended: bool) -> None:
    """Suspend or unsuspend one card for ``learner``."""
    store.card_action(learner, deck, card_id, "suspend" if suspended else "unsuspend")


def learners(store: Store) -> list[str]:
    """Every learner in the database, by name."""
    return sorted(store.learners())


def deck_overview(store: Store, deck: Deck, learner: str, now: datetime) -> DeckOverview:
    """Cards left today, 30-day retention and mastery of ``deck`` for ``learner``.

    Brings the stored deck in line with the file first. Figures the statistics
    cannot give are None (shown as ``—``).
    """
    store.sync_deck(deck, getattr(deck, "path", None))
    new = learning = due = None
    counts = _queue_counts(store, deck, learner, now)
    if counts is not None:
        new, learning, due = counts
    retention, mastery = _stats_figures(store, deck, learner, now)
    return DeckOverview(
        deck.deck,
        deck.title,
        len(deck.active_cards),
        new,
        learning,
        due,
        retention,
        mastery,
        _due_tomorrow(store, deck.deck, learner, now),
    )


def _due_tomorrow(store: Store, deck: str, learner: str, now: datetime) -> int:
    """Cards due during the learner's next study day (as the session summary counts them)."""
    from datetime import timedelta

    from quiz.study.queue import Limits, StudyQueue

    day = store.study_day(learner, deck)
    tomorrow = day.day_of(now) + timedelta(days=1)
    queue = StudyQueue(store, learner, deck, Limits.for_learner(store, learner, deck, now))
    return queue.due_between(day.start_of(tomorrow), day.start_of(tomorrow + timedelta(days=1)))


def _queue_counts(
    store: Store, deck: Deck, learner: str, now: datetime
) -> tuple[int, int, int] | None:
    """New, learning and review cards left today, as the study queue counts them."""
    from quiz.study.queue import Limits, StudyQueue

    store.ensure_states(learner, deck.deck)
    limits = Limits.for_learner(store, learner, deck.deck, now)
    c = StudyQueue(store, learner, deck.deck, limits).counts(now)
    return int(c.new), int(c.learning), int(c.review)


def _stats_figures(
    store: Store, deck: Deck, learner: str, now: datetime
) -> tuple[float | None, float | None]:
    from quiz import stats

    try:
        result = stats.compute_stats(
            store.db, learner, deck.deck, now=now, study_day=store.study_day(learner, deck.deck)
        )
    except Exception:
        return None, None
    retention = None
    for row in result.retention:
        if row.period in ("30d", "month", "last_30_days"):
            retention = row.total
    return retention, result.overall_mastery
