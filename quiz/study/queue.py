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

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from quiz.study.clock import to_iso

if TYPE_CHECKING:
    import random

    from quiz.store import Store

QueueName = Literal["new", "learning", "review"]

# Rows a card must pass to be shown at all (cs = card_states, c = cards).
_VISIBLE = (
    "cs.learner = :learner AND cs.deck = :deck AND cs.suspended = 0 "
    "AND (cs.buried_until IS NULL OR cs.buried_until <= :now) "
    "AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.deck = cs.deck AND c.card_id = cs.card_id "
    "AND (c.retired = 1 OR (c.grp IS NOT NULL AND c.grp IN (SELECT value FROM json_each(:groups))"
    " AND :siblings = 1)))"
)
_NOT_EXCLUDED = "AND cs.card_id NOT IN (SELECT value FROM json_each(:exclude))"


@dataclass(frozen=True)
class Limits:
    """Daily limits for one deck."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    learn_ahead: timedelta = timedelta(minutes=20)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], new_limit: int | None = None) -> Limits:
        """From ``store.settings(learner, deck)``; ``new_limit`` overrides (``--new N``)."""
        return cls(
            new_per_day=int(new_limit if new_limit is not None else settings["new_per_day"]),
            reviews_per_day=int(settings["reviews_per_day"]),
            learn_ahead=timedelta(minutes=float(settings["learn_ahead_minutes"])),
        )


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
        conn = self.store.db.conn
        key = (start, conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        if self._today is not None and self._today[0] == key:
            return self._today[1]
        rows = conn.execute(
            "SELECT json_extract(state_before, '$.state'), card_id FROM reviews "
            "WHERE learner = ? AND deck = ? AND reviewed_at >= ? AND mode = 'study'",
            [self.learner, self.deck, start],
        ).fetchall()
        new = sum(1 for state, _ in rows if state == 0)
        review = sum(1 for state, _ in rows if state == 2)
        groups = self._groups_of({cid for _, cid in rows}) if rows else []
        today = Today(new, review, groups)
        self._today = (key, today)
        return today

    def _groups_of(self, card_ids: set[str]) -> list[str]:
        """The sibling groups of these cards (the deck's groups are read once)."""
        if self._card_groups is None:
            self._card_groups = dict(
                self.store.db.execute(
                    "SELECT card_id, grp FROM cards WHERE deck = ? AND grp IS NOT NULL",
                    [self.deck],
                ).fetchall()
            )
        found = {self._card_groups[c] for c in card_ids if c in self._card_groups}
        return sorted(found)

    def _params(
        self, now: datetime, exclude: Collection[str] = (), groups: list[str] | None = None
    ) -> dict[str, object]:
        _start, end = self._window(now)
        return {
            "learner": self.learner,
            "deck": self.deck,
            "now": to_iso(now),
            "end": end,
            "groups": json.dumps(groups or []),
            "siblings": 1,
            "exclude": json.dumps(sorted(exclude)),
        }

    # --- choosing ----------------------------------------------------------
    def next_card(self, now: datetime, exclude: Collection[str] = ()) -> Pick | None:
        """The card to show at ``now`` (``exclude``: ids not to pick, e.g. just skipped)."""
        p = self._params(now, exclude)
        db = self.store.db
        row = db.execute(
            f"SELECT cs.card_id FROM card_states cs WHERE cs.state IN (1, 3) AND cs.due <= :now "
            f"AND {_VISIBLE.replace(':siblings = 1', '0')} {_NOT_EXCLUDED} "
            "ORDER BY cs.due, cs.card_id LIMIT 1",
            p,
        ).fetchone()
        if row:
            return Pick(row[0], "learning")
        today = self.today(now)
        new_done, reviews_done = today.new, today.review
        p["groups"] = json.dumps(today.groups)
        if reviews_done < self.limits.reviews_per_day:
            row = db.execute(
                f"SELECT cs.card_id FROM card_states cs WHERE cs.state = 2 AND cs.due < :end "
                f"AND {_VISIBLE} {_NOT_EXCLUDED} ORDER BY cs.due, cs.card_id LIMIT 1",
                p,
            ).fetchone()
            if row:
                return Pick(row[0], "review")
        if new_done < self.limits.new_per_day:
            row = db.execute(
                f"SELECT cs.card_id FROM card_states cs WHERE cs.state = 0 "
                f"AND {_VISIBLE} {_NOT_EXCLUDED} ORDER BY cs.position, cs.card_id LIMIT 1",
                p,
            ).fetchone()
            if row:
                return Pick(row[0], "new")
        p["ahead"] = to_iso(now + self.limits.learn_ahead)
        row = db.execute(
            f"SELECT cs.card_id FROM card_states cs WHERE cs.state IN (1, 3) AND cs.due <= :ahead "
            f"AND {_VISIBLE.replace(':siblings = 1', '0')} {_NOT_EXCLUDED} "
            "ORDER BY cs.due, cs.card_id LIMIT 1",
            p,
        ).fetchone()
        if row:
            return Pick(row[0], "learning")
        return None

    def counts(self, now: datetime) -> DayCounts:
        """Cards left today: new (within the limit), learning (due today), review (within the limit)."""
        today = self.today(now)
        p = self._params(now, groups=today.groups)
        db = self.store.db
        new_done, reviews_done = today.new, today.review
        learning = db.execute(
            "SELECT count(*) FROM card_states cs WHERE cs.state IN (1, 3) AND cs.due < :end "
            f"AND {_VISIBLE.replace(':siblings = 1', '0')}",
            p,
        ).fetchone()[0]
        review_room = max(0, self.limits.reviews_per_day - reviews_done)
        new_room = max(0, self.limits.new_per_day - new_done)
        review = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_states cs WHERE cs.state = 2 "
            f"AND cs.due < :end AND {_VISIBLE} LIMIT :room)",
            {**p, "room": review_room},
        ).fetchone()[0]
        new = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_states cs WHERE cs.state = 0 "
            f"AND {_VISIBLE} LIMIT :room)",
            {**p, "room": new_room},
        ).fetchone()[0]
        return DayCounts(new=int(new), learning=int(learning), review=int(review))

    def next_due(self, now: datetime) -> datetime | None:
        """When the next scheduled card (learning or review) falls due after ``now``."""
        from quiz.study.clock import from_iso

        row = self.store.db.execute(
            "SELECT min(cs.due) FROM card_states cs WHERE cs.state IN (1, 2, 3) "
            f"AND cs.due > :now AND {_VISIBLE.replace(':siblings = 1', '0')}",
            self._params(now),
        ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def due_between(self, start: datetime, end: datetime) -> int:
        """Scheduled cards (not suspended, not retired) due in ``[start, end)``."""
        return int(
            self.store.db.execute(
                "SELECT count(*) FROM card_states cs WHERE cs.learner = ? AND cs.deck = ? "
                "AND cs.state IN (1, 2, 3) AND cs.due >= ? AND cs.due < ? AND cs.suspended = 0 "
                "AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.deck = cs.deck AND "
                "c.card_id = cs.card_id AND c.retired = 1)",
                [self.learner, self.deck, to_iso(start), to_iso(end)],
            ).fetchone()[0]
        )


def weakest_first(store: Store, learner: str, deck: str, card_ids: Sequence[str]) -> list[str]:
    """``card_ids`` in practice order: most lapses first, then least stable; never-studied
    cards last; deck order (the order given) breaks ties."""
    rows = store.db.execute(
        "SELECT card_id, state, lapses, stability FROM card_states WHERE learner = ? AND deck = ?",
        [learner, deck],
    ).fetchall()
    info = {r[0]: r[1:] for r in rows}
    order = {cid: i for i, cid in enumerate(card_ids)}

    def weakness(cid: str) -> tuple[int, int, float, int]:
        state, lapses, stability = info.get(cid, (0, 0, None))
        return (int(state == 0), -int(lapses or 0), float(stability or 0.0), order[cid])

    return sorted(card_ids, key=weakness)


def exam_cards(card_ids: Sequence[str], size: int, rng: random.Random) -> list[str]:
    """``size`` of ``card_ids`` (all of them if fewer), drawn at random in the order asked."""
    return rng.sample(list(card_ids), min(size, len(card_ids)))
