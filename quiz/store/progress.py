"""Progress writes: reviews, undo, card actions (suspend, bury, flag) and replay.

Plain functions over an open sqlite-utils ``Database``, run inside the caller's transaction
(:meth:`quiz.store.Store.transaction`); the :class:`~quiz.store.Store` methods of the same
names resolve the learner's settings and schedulers and call them. Nothing here calls back
into the Store."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quiz.errors import QuizError, StoreError
from quiz.study.clock import to_iso
from quiz.study.options import DEFAULTS
from quiz.study.scheduling import (
    REVIEW,
    CardState,
    SchedulerSettings,
    fsrs_card_id,
    is_leech_lapse,
    replay,
    review_state,
    truncate_ms,
)

if TYPE_CHECKING:
    from fsrs import Scheduler
    from sqlite_utils import Database

    from quiz.study.studyday import StudyDay

STATE_COLUMNS = CardState.FIELDS
FLAG_COLUMNS = ("suspended", "buried_until", "flagged", "flag_comment", "leech")
CARD_ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "flag", "unflag", "leech", "restore")


@dataclass(frozen=True)
class ReviewRecord:
    """One committed review: its id and the card's state before and after."""

    id: str
    learner: str
    deck: str
    card_id: str
    rating: int
    reviewed_at: datetime
    mode: str
    before: CardState
    after: CardState
    leech: bool  # this review made the card a leech


@dataclass(frozen=True)
class ImportedReview:
    """A review from another database (``quiz progress import`` / ``merge``), already checked
    (:mod:`quiz.progress_records`): times in the stored UTC form, ``params_id`` local."""

    id: str
    learner: str
    deck: str
    card_id: str
    rating: int
    reviewed_at: str
    mode: str
    duration_ms: int | None = None
    answer: str | None = None
    correct: int | None = None
    verdict: str | None = None
    session_id: str | None = None
    params_id: int | None = None
    state_before: str | None = None
    state_after: str | None = None


REVIEW_FIELDS = tuple(ImportedReview.__dataclass_fields__)
"""The ``reviews`` columns, in table order."""


def check_learner_name(name: str) -> None:
    """Refuse an empty learner name or one that is not valid text."""
    if not isinstance(name, str) or not name.strip():
        raise StoreError("the learner name must not be empty")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError("the learner name is not valid text (UTF-8)") from None


def learner_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM learners WHERE name = ?", [name]).fetchone() is not None


def add_learner(db: Database, name: str, now: datetime) -> None:
    """A ``learners`` row for ``name`` unless there is one (the name is not checked)."""
    db.execute(
        "INSERT INTO learners (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        [name, to_iso(now)],
    )


def import_reviews(db: Database, reviews: Iterable[ImportedReview]) -> tuple[int, int]:
    """Add reviews to the log; a review whose id is there already is skipped (imports are
    idempotent). Returns ``(added, skipped)``. Card states are not touched: rebuild them
    with :func:`rebuild_states`."""
    added = skipped = 0
    sql = (
        f"INSERT INTO reviews ({', '.join(REVIEW_FIELDS)}) VALUES "
        f"({', '.join('?' for _ in REVIEW_FIELDS)}) ON CONFLICT DO NOTHING"
    )
    for r in reviews:
        cur = db.execute(sql, [getattr(r, f) for f in REVIEW_FIELDS])
        if cur.rowcount and cur.rowcount > 0:
            added += 1
        else:
            skipped += 1
    return added, skipped


def state_row(db: Database, learner: str, deck: str, card_id: str) -> dict[str, Any] | None:
    cur = db.execute(
        "SELECT * FROM card_states WHERE learner = ? AND deck = ? AND card_id = ?",
        [learner, deck, card_id],
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def _ensure_state(db: Database, learner: str, deck: str, card_id: str) -> dict[str, Any]:
    row = state_row(db, learner, deck, card_id)
    if row is None:
        db.execute(
            "INSERT INTO card_states (learner, deck, card_id, state, position) "
            "SELECT ?, deck, card_id, 0, position FROM cards WHERE deck = ? AND card_id = ?",
            [learner, deck, card_id],
        )
        row = state_row(db, learner, deck, card_id)
        if row is None:
            raise QuizError(f"card {card_id!r} is not in deck {deck!r} (sync the deck first)")
    return row


def _state_json(state: CardState, row: dict[str, Any]) -> str:
    data = state.to_row()
    data["leech"] = int(row.get("leech") or 0)
    data["suspended"] = int(row.get("suspended") or 0)
    return json.dumps(data, sort_keys=True)


def record_review(
    db: Database,
    *,
    scheduler: Scheduler,
    params_id: int,
    review_id: str,
    learner: str,
    deck: str,
    card_id: str,
    rating: int,
    now: datetime,
    mode: str = "study",
    duration_ms: int | None = None,
    answer: str | None = None,
    correct: bool | None = None,
    verdict: str | None = None,
    session_id: str | None = None,
    leech_threshold: int = DEFAULTS.leech_threshold,
    leech_action: str = DEFAULTS.leech_action,
    study_day: StudyDay | None = None,
) -> ReviewRecord:
    """Write one review and (in study mode) the card's new state, scheduled by
    ``scheduler`` (whose ``scheduler_params`` row is ``params_id``)."""
    if rating not in (1, 2, 3, 4):
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    if answer is not None:
        answer = storable(answer)
    row = _ensure_state(db, learner, deck, card_id)
    before = CardState.from_row(row)
    when = truncate_ms(now)
    if before.last_review and when < before.last_review:
        when = before.last_review  # clocks of two processes disagree: keep the log ordered
    became_leech = False
    new_row = dict(row)
    if mode == "study":
        after = review_state(
            scheduler,
            before,
            rating,
            when,
            fsrs_id=fsrs_card_id(deck, card_id),
            study_day=study_day,
        )
        new_row.update(after.to_row())
        if before.state == REVIEW and rating == 1 and is_leech_lapse(after.lapses, leech_threshold):
            became_leech = True
            new_row["leech"] = 1
            if leech_action == "suspend":
                new_row["suspended"] = 1
    else:
        after = before
    db.execute(
        "INSERT INTO reviews (id, learner, deck, card_id, rating, reviewed_at, duration_ms, "
        "answer, correct, verdict, mode, session_id, params_id, state_before, state_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            review_id,
            learner,
            deck,
            card_id,
            rating,
            to_iso(when),
            duration_ms,
            answer,
            None if correct is None else int(correct),
            verdict,
            mode,
            session_id,
            params_id,
            _state_json(before, row),
            _state_json(after, new_row),
        ],
    )
    if mode == "study":
        cols = [*STATE_COLUMNS, "leech", "suspended"]
        db.execute(
            f"UPDATE card_states SET {', '.join(c + ' = ?' for c in cols)} "
            "WHERE learner = ? AND deck = ? AND card_id = ?",
            [*(new_row[c] for c in cols), learner, deck, card_id],
        )
        if became_leech:
            _event(db, learner, deck, card_id, when, "leech", leech_action, review_id)
    return ReviewRecord(
        review_id, learner, deck, card_id, rating, when, mode, before, after, became_leech
    )


def undo_review(db: Database, review_id: str) -> bool:
    """Delete a review and put the card's state back.

    Refused (False) if the card was reviewed again since.
    """
    cur = db.execute("SELECT * FROM reviews WHERE id = ?", [review_id])
    r = cur.fetchone()
    if r is None:
        return False
    rev = dict(zip([d[0] for d in cur.description], r, strict=True))
    learner, deck, card_id = rev["learner"], rev["deck"], rev["card_id"]
    if rev["mode"] == "study":
        later = db.execute(
            "SELECT 1 FROM reviews WHERE learner = ? AND deck = ? AND card_id = ? "
            "AND mode = 'study' AND rowid > (SELECT rowid FROM reviews WHERE id = ?) LIMIT 1",
            [learner, deck, card_id, review_id],
        ).fetchone()
        if later:
            return False
        before = json.loads(rev["state_before"] or "{}")
        state = CardState.from_row(before).to_row()
        cols = list(STATE_COLUMNS)
        values = [state[c] for c in cols]
        for flag in ("leech", "suspended"):
            if flag in before:
                cols.append(flag)
                values.append(int(before[flag]))
        db.execute(
            f"UPDATE card_states SET {', '.join(c + ' = ?' for c in cols)} "
            "WHERE learner = ? AND deck = ? AND card_id = ?",
            [*values, learner, deck, card_id],
        )
    db.execute("DELETE FROM card_events WHERE review_id = ?", [review_id])
    db.execute("DELETE FROM reviews WHERE id = ?", [review_id])
    return True


def storable(text: str) -> str:
    """``text`` as valid UTF-8 (lone surrogates from undecodable input become U+FFFD), without
    NUL characters (a stored answer is exported, and an export must import). Other control
    characters are kept: whatever prints stored text escapes them (quiz.wording.literal)."""
    return str(text).replace("\x00", "").encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _event(
    db: Database,
    learner: str,
    deck: str,
    card_id: str,
    at: datetime,
    action: str,
    comment: str | None = None,
    review_id: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO card_events (learner, deck, card_id, at, action, comment, review_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            learner,
            deck,
            card_id,
            to_iso(at),
            action,
            None if comment is None else storable(comment),
            review_id,
        ],
    )


def _apply_action(flags: dict[str, Any], action: str, comment: str | None) -> None:
    """How one ``card_events`` action changes a card's flags."""
    if action == "suspend":
        flags["suspended"] = 1
    elif action == "unsuspend":
        flags["suspended"] = 0
    elif action == "bury":
        flags["buried_until"] = comment
    elif action == "unbury":
        flags["buried_until"] = None
    elif action == "flag":
        flags["flagged"], flags["flag_comment"] = 1, comment
    elif action == "unflag":
        flags["flagged"], flags["flag_comment"] = 0, None
    elif action == "leech":
        flags["leech"] = 1
        if comment == "suspend":
            flags["suspended"] = 1
    elif action == "restore":
        flags.update(suspended=0, flagged=0, flag_comment=None, leech=0, buried_until=None)


def card_action(
    db: Database,
    learner: str,
    deck: str,
    card_id: str,
    action: str,
    comment: str | None,
    now: datetime,
) -> None:
    """Suspend, unsuspend, bury (``comment`` = until, ISO), unbury, flag, unflag or restore."""
    if action not in CARD_ACTIONS:
        raise ValueError(f"unknown card action {action!r}")
    row = _ensure_state(db, learner, deck, card_id)
    flags = {c: row[c] for c in FLAG_COLUMNS}
    if comment is not None:
        comment = storable(comment)
    _apply_action(flags, action, comment)
    db.execute(
        f"UPDATE card_states SET {', '.join(c + ' = ?' for c in FLAG_COLUMNS)} "
        "WHERE learner = ? AND deck = ? AND card_id = ?",
        [*(flags[c] for c in FLAG_COLUMNS), learner, deck, card_id],
    )
    _event(db, learner, deck, card_id, now, action, comment)


PARAMS_COLUMNS = (
    "parameters",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "enable_fuzzing",
)


def _where(learner: str | None, deck: str | None) -> tuple[str, list[str]]:
    where, params = ["1 = 1"], []
    if learner is not None:
        where.append("learner = ?")
        params.append(learner)
    if deck is not None:
        where.append("deck = ?")
        params.append(deck)
    return " AND ".join(where), params


def stored_scheduler_settings(db: Database) -> dict[int, SchedulerSettings]:
    """Every ``scheduler_params`` row, by id."""
    return {
        pid: SchedulerSettings.from_row(dict(zip(PARAMS_COLUMNS, rest, strict=True)))
        for pid, *rest in db.execute(
            f"SELECT id, {', '.join(PARAMS_COLUMNS)} FROM scheduler_params"
        )
    }


def unparameterised_pairs(
    db: Database, learner: str | None = None, deck: str | None = None
) -> list[tuple[str, str]]:
    """The (learner, deck) pairs with study reviews naming no stored ``scheduler_params``
    (imported, or from before parameters were recorded): :func:`rebuild_states` replays
    them with the pair's current settings."""
    cond, params = _where(learner, deck)
    return [
        (lr, dk)
        for lr, dk in db.execute(
            f"SELECT DISTINCT learner, deck FROM reviews WHERE mode = 'study' AND {cond} AND "
            "(params_id IS NULL OR params_id NOT IN (SELECT id FROM scheduler_params)) "
            "ORDER BY learner, deck",
            params,
        )
    ]


def progress_pairs(
    db: Database, learner: str | None = None, deck: str | None = None
) -> list[tuple[str, str]]:
    """The (learner, deck) pairs having card states, study reviews or card events."""
    cond, params = _where(learner, deck)
    return [
        (lr, dk)
        for lr, dk in db.execute(
            f"SELECT learner, deck FROM card_states WHERE {cond} UNION "
            f"SELECT learner, deck FROM reviews WHERE mode = 'study' AND {cond} UNION "
            f"SELECT learner, deck FROM card_events WHERE {cond} ORDER BY 1, 2",
            params * 3,
        )
    ]


def rebuild_states(
    db: Database,
    *,
    schedulers: dict[int | None, Scheduler],
    current_params: dict[tuple[str, str], int],
    study_days: dict[tuple[str, str], StudyDay],
    now: datetime,
    learner: str | None = None,
    deck: str | None = None,
) -> int:
    """Recompute ``card_states`` from ``reviews`` (study mode) and ``card_events``.

    ``schedulers``: by ``scheduler_params`` id, every stored row's; ``current_params``: the
    params id to replay a pair's reviews naming none with (see :func:`unparameterised_pairs`);
    ``study_days``: each pair's (see :func:`progress_pairs`); ``now``: when a learner row
    created here was created."""
    cond, params = _where(learner, deck)
    aliases = {
        (d, old): new for d, old, new in db.execute("SELECT deck, old_id, new_id FROM card_aliases")
    }
    known_cards = {
        (d, c)
        for d, c in db.execute(
            "SELECT deck, card_id FROM cards" + (" WHERE deck = ?" if deck else ""),
            [deck] if deck else [],
        )
    }
    histories: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    cur = db.execute(
        f"SELECT id, learner, deck, card_id, rating, reviewed_at, params_id FROM reviews "
        f"WHERE mode = 'study' AND {cond} ORDER BY reviewed_at, rowid",
        params,
    )
    for rid, lr, dk, recorded_cid, rating, at, pid in cur:
        cid = aliases.get((dk, recorded_cid), recorded_cid)
        if pid is None or pid not in schedulers:
            pid = current_params[(lr, dk)]  # reviews that name no parameters
        histories[(lr, dk, cid)].append(
            {
                "id": rid,
                "rating": rating,
                "reviewed_at": at,
                "params_id": pid,
                "fuzz_id": fsrs_card_id(dk, recorded_cid),
            }
        )
    events: dict[tuple[str, str, str], list[tuple[str, str | None]]] = defaultdict(list)
    for lr, dk, cid, action, comment in db.execute(
        f"SELECT learner, deck, card_id, action, comment FROM card_events WHERE {cond} ORDER BY id",
        params,
    ):
        events[(lr, dk, aliases.get((dk, cid), cid))].append((action, comment))
    cols = list(STATE_COLUMNS)
    existing = {
        (r[0], r[1], r[2]): tuple(r[3:])
        for r in db.execute(
            f"SELECT learner, deck, card_id, {', '.join(cols)} FROM card_states WHERE {cond}",
            params,
        )
    }
    written = 0
    updates = []
    for key in existing.keys() | histories.keys() | events.keys():
        lr, dk, cid = key
        if (dk, cid) not in known_cards:
            continue
        state = replay(
            histories.get(key, []),
            schedulers,
            fsrs_id=fsrs_card_id(dk, cid),
            study_day=study_days[(lr, dk)],
        )
        values = state.to_row()
        written += 1
        if key in existing:
            new_values = tuple(values[c] for c in cols)
            if new_values != existing[key]:
                updates.append((*new_values, lr, dk, cid))
            continue
        add_learner(db, lr, now)
        flags: dict[str, Any] = {
            "suspended": 0,
            "buried_until": None,
            "flagged": 0,
            "flag_comment": None,
            "leech": 0,
        }
        for action, comment in events.get(key, []):
            _apply_action(flags, action, comment)
        all_cols = [*cols, *FLAG_COLUMNS]
        values.update(flags)
        db.execute(
            f"INSERT INTO card_states (learner, deck, card_id, position, "
            f"{', '.join(all_cols)}) VALUES (?, ?, ?, (SELECT position FROM cards "
            f"WHERE deck = ? AND card_id = ?), {', '.join('?' for _ in all_cols)})",
            [lr, dk, cid, dk, cid, *(values[c] for c in all_cols)],
        )
    if updates:
        db.conn.executemany(
            f"UPDATE card_states SET {', '.join(c + ' = ?' for c in cols)} "
            "WHERE learner = ? AND deck = ? AND card_id = ?",
            updates,
        )
    return written
