"""Reads of stored rows as they are: the log (``reviews``, ``card_events``, ``sessions``,
in the order written), every ``card_states`` row, and the synced ``cards`` of a deck. For exports and checks (tests among
them) that need the rows themselves rather than a figure computed from them."""

from __future__ import annotations

from typing import Any, NamedTuple


class Review(NamedTuple):
    """One row of ``reviews``."""

    id: str
    learner: str
    deck: str
    card_id: str
    rating: int
    reviewed_at: str
    mode: str
    duration_ms: int | None
    answer: str | None
    correct: int | None
    verdict: str | None
    session_id: str | None
    params_id: int | None
    state_before: str | None
    state_after: str | None


class CardEvent(NamedTuple):
    """One row of ``card_events``: a suspend, bury, flag, leech mark or restore."""

    learner: str
    deck: str
    card_id: str
    at: str
    action: str
    comment: str | None
    review_id: str | None


class SessionRow(NamedTuple):
    """One row of ``sessions``."""

    id: str
    learner: str
    deck: str
    mode: str
    started_at: str
    ended_at: str | None


def _where(**given: Any) -> tuple[str, list[Any]]:
    parts, params = ["1 = 1"], []
    for column, value in given.items():
        if value is not None:
            parts.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(parts), params


def reviews(
    db: Any,
    *,
    learner: str | None = None,
    deck: str | None = None,
    card_id: str | None = None,
    mode: str | None = None,
) -> list[Review]:
    """The reviews matching every given field, in the order they were written."""
    cond, params = _where(learner=learner, deck=deck, card_id=card_id, mode=mode)
    return [
        Review(*row)
        for row in db.execute(
            f"SELECT {', '.join(Review._fields)} FROM reviews WHERE {cond} ORDER BY rowid", params
        ).fetchall()
    ]


def card_events(
    db: Any, *, learner: str | None = None, deck: str | None = None, card_id: str | None = None
) -> list[CardEvent]:
    """The card events matching every given field, oldest first."""
    cond, params = _where(learner=learner, deck=deck, card_id=card_id)
    return [
        CardEvent(*row)
        for row in db.execute(
            f"SELECT {', '.join(CardEvent._fields)} FROM card_events WHERE {cond} ORDER BY id",
            params,
        ).fetchall()
    ]


def sessions(db: Any, *, learner: str | None = None) -> list[SessionRow]:
    """The study sessions (of ``learner``), in the order they started."""
    cond, params = _where(learner=learner)
    return [
        SessionRow(*row)
        for row in db.execute(
            f"SELECT {', '.join(SessionRow._fields)} FROM sessions WHERE {cond} ORDER BY rowid",
            params,
        ).fetchall()
    ]


def review_parameters(db: Any, review_id: str) -> dict[str, Any] | None:
    """The ``scheduler_params`` row (by column) a review was scheduled with; None if it
    names none."""
    cur = db.execute(
        "SELECT p.* FROM reviews r JOIN scheduler_params p ON p.id = r.params_id WHERE r.id = ?",
        [review_id],
    )
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))


def card_states(
    db: Any, *, learner: str | None = None, deck: str | None = None
) -> list[dict[str, Any]]:
    """Every ``card_states`` row (all columns; of ``learner`` / ``deck``), by learner, deck
    and card id."""
    cond, params = _where(learner=learner, deck=deck)
    cur = db.execute(
        f"SELECT * FROM card_states WHERE {cond} ORDER BY learner, deck, card_id", params
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def stored_cards(db: Any, deck: str) -> list[dict[str, Any]]:
    """The ``cards`` rows of ``deck`` (retired ones too), in deck order."""
    cur = db.execute("SELECT * FROM cards WHERE deck = ? ORDER BY position, rowid", [deck])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
