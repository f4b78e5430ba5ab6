"""The SQL of moving progress between databases (``quiz.progress_io``): the reads of an
export and of the optimizer CSV, and the writes of an import (reviews are written by
:func:`quiz.store.progress.import_reviews`).

Every write here runs inside the caller's ``store.transaction()``; imports are
idempotent (``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

IMPORTED_TABLES = ("decks", "cards", "card_aliases", "sessions")
"""The tables :func:`insert_ignore` may write (rows already present are kept)."""


def columns(db: Any, table: str) -> set[str]:
    """The columns ``table`` has in this database (older schemas lack some)."""
    return {row[1] for row in db.execute(f"PRAGMA table_info([{table}])").fetchall()}


def has_table(db: Any, table: str) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()
        is not None
    )


def _select(db: Any, cols: Sequence[str], sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
    return [dict(zip(cols, row, strict=True)) for row in db.execute(sql, list(args)).fetchall()]


# --------------------------------------------------------------------------- learners


def learner_names(db: Any) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM learners ORDER BY name").fetchall()]


def learner_row(db: Any, name: str) -> tuple[str, str, float | None, str | None] | None:
    """``(name, created_at, desired_retention, settings JSON)`` of a learner, or None."""
    row = db.execute(
        "SELECT name, created_at, desired_retention, settings FROM learners WHERE name = ?", [name]
    ).fetchone()
    return tuple(row) if row is not None else None  # type: ignore[return-value]


def learner_settings_rows(db: Any) -> list[tuple[str, str, str | None]]:
    """``(name, created_at, settings JSON)`` of every learner."""
    return [tuple(r) for r in db.execute("SELECT name, created_at, settings FROM learners")]  # type: ignore[misc]


def insert_learner(
    db: Any, name: str, created_at: str, desired_retention: float | None, settings_json: str
) -> None:
    db.execute(
        "INSERT INTO learners (name, created_at, desired_retention, settings) VALUES (?, ?, ?, ?)",
        [name, created_at, desired_retention, settings_json],
    )


def set_learner_settings(db: Any, name: str, settings_json: str) -> None:
    db.execute("UPDATE learners SET settings = ? WHERE name = ?", [settings_json, name])


def learner_deck_ids(db: Any, name: str) -> list[str]:
    """Decks the learner has card states or reviews in."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT deck FROM card_states WHERE learner = ? UNION "
            "SELECT id FROM decks d WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.learner = ? AND r.deck = d.id)",
            [name, name],
        ).fetchall()
    ]


# --------------------------------------------------------------------------- decks and cards


def deck_ids(db: Any) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM decks").fetchall()}


def deck_record(db: Any, deck: str, cols: Sequence[str]) -> dict[str, Any] | None:
    rows = _select(db, cols, f"SELECT {', '.join(cols)} FROM decks WHERE id = ?", [deck])
    return rows[0] if rows else None


def card_records(db: Any, deck: str, cols: Sequence[str]) -> list[dict[str, Any]]:
    return _select(
        db, cols, f"SELECT {', '.join(cols)} FROM cards WHERE deck = ? ORDER BY rowid", [deck]
    )


def alias_pairs(db: Any, deck: str) -> list[tuple[str, str]]:
    if not has_table(db, "card_aliases"):
        return []
    return [
        tuple(r)
        for r in db.execute(  # type: ignore[misc]
            "SELECT old_id, new_id FROM card_aliases WHERE deck = ?", [deck]
        ).fetchall()
    ]


def alias_map(db: Any) -> dict[tuple[str, str], str]:
    """``(deck, old id) -> new id`` for every renamed card."""
    if not has_table(db, "card_aliases"):
        return {}
    return {(d, o): n for d, o, n in db.execute("SELECT deck, old_id, new_id FROM card_aliases")}


def insert_ignore(db: Any, table: str, row: dict[str, Any]) -> bool:
    """Insert ``row`` into ``table`` (one of :data:`IMPORTED_TABLES`) unless its key is taken;
    returns whether it was added."""
    if table not in IMPORTED_TABLES:
        raise ValueError(f"not an imported table: {table}")
    cols = list(row)
    cur = db.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        "ON CONFLICT DO NOTHING",
        [row[c] for c in cols],
    )
    return bool(cur.rowcount and cur.rowcount > 0)


# --------------------------------------------------------------------------- scheduler parameters


def params_records(db: Any, cols: Sequence[str]) -> list[dict[str, Any]]:
    return _select(db, cols, f"SELECT {', '.join(cols)} FROM scheduler_params ORDER BY id", [])


def local_params_id(db: Any, row: dict[str, Any]) -> int:
    """The id of these scheduler parameters here (added if new)."""
    cols = list(row)
    values = [row[c] for c in cols]
    db.execute(
        f"INSERT INTO scheduler_params ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        "ON CONFLICT DO NOTHING",
        values,
    )
    found = db.execute(
        f"SELECT id FROM scheduler_params WHERE {' AND '.join(c + ' = ?' for c in cols)}", values
    ).fetchone()
    return int(found[0])


# --------------------------------------------------------------------------- sessions, reviews, events


def session_records(db: Any, learner: str, cols: Sequence[str]) -> list[dict[str, Any]]:
    return _select(
        db,
        cols,
        f"SELECT {', '.join(cols)} FROM sessions WHERE learner = ? ORDER BY started_at",
        [learner],
    )


def review_records(db: Any, learner: str, cols: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The learner's reviews in log order (streamed)."""
    for row in db.execute(
        f"SELECT {', '.join(cols)} FROM reviews WHERE learner = ? ORDER BY reviewed_at, rowid",
        [learner],
    ):
        yield dict(zip(cols, row, strict=True))


def event_records(db: Any, learner: str, cols: Sequence[str]) -> list[dict[str, Any]]:
    return _select(
        db,
        cols,
        f"SELECT {', '.join(cols)} FROM card_events WHERE learner = ? ORDER BY at, id",
        [learner],
    )


def add_event_once(db: Any, row: dict[str, Any]) -> bool:
    """Add a ``card_events`` row unless the same event (learner, card, time, action and
    comment) is there; returns whether it was added."""
    exists = db.execute(
        "SELECT 1 FROM card_events WHERE learner = ? AND deck = ? AND card_id = ? AND at = ? "
        "AND action = ? AND coalesce(comment, '') = coalesce(?, '')",
        [row["learner"], row["deck"], row["card_id"], row["at"], row["action"], row.get("comment")],
    ).fetchone()
    if exists:
        return False
    cols = list(row)
    db.execute(
        f"INSERT INTO card_events ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [row[c] for c in cols],
    )
    return True


def study_reviews(db: Any, learner: str, deck: str | None = None) -> Iterator[tuple[Any, ...]]:
    """``(deck, card_id, reviewed_at, rating, state_before, duration_ms)`` of the learner's
    study-mode reviews, in log order (for the optimizer CSV)."""
    sql = (
        "SELECT deck, card_id, reviewed_at, rating, state_before, duration_ms FROM reviews "
        "WHERE learner = ? AND mode = 'study'"
    )
    args: list[Any] = [learner]
    if deck is not None:
        sql += " AND deck = ?"
        args.append(deck)
    yield from db.execute(sql + " ORDER BY reviewed_at, rowid", args)
