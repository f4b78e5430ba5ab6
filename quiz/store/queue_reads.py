"""The study queue's reads of ``card_states``: the next candidate of each queue, and counts.

Which queue comes first, limits and learn-ahead are decided in ``quiz.study.queue``;
this module only holds the SQL. Every query takes the parameters built by
:func:`queue_params`. Candidates are read through the ``(learner, deck, state,
due)`` and ``(learner, deck, state, position)`` indexes, one state at a time, so
the first visible row ends the search (no sort of every due card).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from quiz.study.states import State

# A card shown at all: not suspended, not buried, not retired, and (when
# :siblings is 1) not a sibling of a card answered today. cs = card_states.
_VISIBLE = (
    "cs.learner = :learner AND cs.deck = :deck AND cs.suspended = 0 "
    "AND (cs.buried_until IS NULL OR cs.buried_until <= :now) "
    "AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.deck = cs.deck AND c.card_id = cs.card_id "
    "AND (c.retired = 1 OR (:siblings = 1 AND c.grp IS NOT NULL "
    "AND c.grp IN (SELECT value FROM json_each(:groups)))))"
)
_NOT_EXCLUDED = "AND cs.card_id NOT IN (SELECT value FROM json_each(:exclude))"
_LEARNING_STATES = (int(State.LEARNING), int(State.RELEARNING))
# Scheduled states are written out as ``IN (1, 2, 3)`` below so the index on state applies.


def queue_params(
    learner: str,
    deck: str,
    now: str,
    end: str,
    *,
    groups: Collection[str] = (),
    exclude: Collection[str] = (),
) -> dict[str, Any]:
    """Named parameters for the queries below (times as stored ISO text)."""
    return {
        "learner": learner,
        "deck": deck,
        "now": now,
        "end": end,
        "groups": json.dumps(sorted(groups)),
        "siblings": 1,
        "exclude": json.dumps(sorted(exclude)),
    }


def first_learning(db: Any, p: dict[str, Any], due_by: str) -> str | None:
    """The learning or relearning card due first, at or before ``due_by`` (siblings allowed)."""
    best: tuple[str, str] | None = None
    for state in _LEARNING_STATES:
        row = db.execute(
            "SELECT cs.due, cs.card_id FROM card_states cs WHERE cs.state = :state "
            f"AND cs.due <= :due_by AND {_VISIBLE} {_NOT_EXCLUDED} "
            "ORDER BY cs.due, cs.card_id LIMIT 1",
            {**p, "state": state, "due_by": due_by, "siblings": 0},
        ).fetchone()
        if row and (best is None or (row[0], row[1]) < best):
            best = (row[0], row[1])
    return best[1] if best else None


def first_review(db: Any, p: dict[str, Any]) -> str | None:
    """The review card due first before the study day ends."""
    row = db.execute(
        f"SELECT cs.card_id FROM card_states cs WHERE cs.state = {int(State.REVIEW)} "
        f"AND cs.due < :end AND {_VISIBLE} {_NOT_EXCLUDED} ORDER BY cs.due, cs.card_id LIMIT 1",
        p,
    ).fetchone()
    return row[0] if row else None


def first_new(db: Any, p: dict[str, Any]) -> str | None:
    """The new card first in deck order."""
    row = db.execute(
        f"SELECT cs.card_id FROM card_states cs WHERE cs.state = {int(State.NEW)} "
        f"AND {_VISIBLE} {_NOT_EXCLUDED} ORDER BY cs.position, cs.card_id LIMIT 1",
        p,
    ).fetchone()
    return row[0] if row else None


def count_learning(db: Any, p: dict[str, Any]) -> int:
    """Learning and relearning cards due before the study day ends."""
    return sum(
        int(
            db.execute(
                "SELECT count(*) FROM card_states cs WHERE cs.state = :state AND cs.due < :end "
                f"AND {_VISIBLE}",
                {**p, "state": state, "siblings": 0},
            ).fetchone()[0]
        )
        for state in _LEARNING_STATES
    )


def count_review(db: Any, p: dict[str, Any], room: int) -> int:
    """Review cards due today, at most ``room``."""
    return int(
        db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_states cs "
            f"WHERE cs.state = {int(State.REVIEW)} AND cs.due < :end AND {_VISIBLE} LIMIT :room)",
            {**p, "room": room},
        ).fetchone()[0]
    )


def count_new(db: Any, p: dict[str, Any], room: int) -> int:
    """New cards that could be shown, at most ``room``."""
    return int(
        db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_states cs "
            f"WHERE cs.state = {int(State.NEW)} AND {_VISIBLE} LIMIT :room)",
            {**p, "room": room},
        ).fetchone()[0]
    )


def next_due(db: Any, p: dict[str, Any]) -> str | None:
    """The earliest due time after ``:now`` of a scheduled (not new) visible card."""
    row = db.execute(
        "SELECT min(cs.due) FROM card_states cs WHERE cs.state IN (1, 2, 3) "
        f"AND cs.due > :now AND {_VISIBLE}",
        {**p, "siblings": 0},
    ).fetchone()
    return row[0] if row and row[0] else None


def due_between(db: Any, learner: str, deck: str, start: str, end: str) -> int:
    """Scheduled cards (not suspended, not retired) due in ``[start, end)``."""
    return int(
        db.execute(
            "SELECT count(*) FROM card_states cs WHERE cs.learner = ? AND cs.deck = ? "
            "AND cs.state IN (1, 2, 3) AND cs.due >= ? AND cs.due < ? "
            "AND cs.suspended = 0 AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.deck = cs.deck "
            "AND c.card_id = cs.card_id AND c.retired = 1)",
            [learner, deck, start, end],
        ).fetchone()[0]
    )


def answered_since(db: Any, learner: str, deck: str, start: str) -> list[tuple[int | None, str]]:
    """(state before the answer, card id) of every study-mode answer since ``start``."""
    return [
        (r[0], r[1])
        for r in db.execute(
            "SELECT json_extract(state_before, '$.state'), card_id FROM reviews "
            "WHERE learner = ? AND deck = ? AND reviewed_at >= ? AND mode = 'study'",
            [learner, deck, start],
        ).fetchall()
    ]


def deck_groups(db: Any, deck: str) -> dict[str, str]:
    """Card id -> sibling group, for the deck's cards that have one."""
    return dict(
        db.execute(
            "SELECT card_id, grp FROM cards WHERE deck = ? AND grp IS NOT NULL", [deck]
        ).fetchall()
    )


def weakness(db: Any, learner: str, deck: str) -> dict[str, tuple[int, int, float | None]]:
    """Card id -> (state, lapses, stability) of the learner's cards in ``deck``."""
    return {
        r[0]: (r[1], r[2], r[3])
        for r in db.execute(
            "SELECT card_id, state, lapses, stability FROM card_states "
            "WHERE learner = ? AND deck = ?",
            [learner, deck],
        ).fetchall()
    }


def change_stamp(db: Any) -> tuple[int, int]:
    """Changes by other connections (``data_version``) and by this one (``total_changes``)."""
    conn = db.conn
    return int(conn.execute("PRAGMA data_version").fetchone()[0]), int(conn.total_changes)
