"""Statistics' reads of ``review_buckets``: answers summed per quarter hour (kept by triggers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quiz.store.schema import BUCKET_SECONDS

__all__ = ["BUCKET_SECONDS", "bucket_span", "daily_sums", "has_buckets", "total_answers"]


def has_buckets(db: Any) -> bool:
    """Does this database keep ``review_buckets`` (schema 4 and later)?"""
    return (
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_buckets'"
        ).fetchone()
        is not None
    )


def _decks(decks: Sequence[str]) -> str:
    return f"deck IN ({', '.join('?' for _ in decks)})"


def total_answers(db: Any, learner: str, decks: Sequence[str]) -> int:
    """Every answer of ``learner`` in ``decks``, whenever given (after "now" too: a clock set
    back must not empty the history); from the buckets when the database keeps them."""
    if not decks:
        return 0
    if has_buckets(db):
        sql = f"SELECT coalesce(sum(answers), 0) FROM review_buckets WHERE learner = ? AND {_decks(decks)}"
    else:
        sql = f"SELECT count(*) FROM reviews WHERE learner = ? AND {_decks(decks)}"
    return int(db.execute(sql, [learner, *decks]).fetchone()[0])


def bucket_span(db: Any, learner: str, decks: Sequence[str]) -> tuple[int, int] | None:
    """First and last slot with answers of ``learner`` in ``decks``; None if none (or no table)."""
    if not has_buckets(db):
        return None
    row = db.execute(
        f"SELECT min(slot), max(slot) FROM review_buckets WHERE learner = ? AND {_decks(decks)} "
        "AND answers != 0",
        [learner, *decks],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row and row[0] is not None else None


def daily_sums(
    db: Any,
    learner: str,
    decks: Sequence[str],
    start: int,
    end: int,
    offsets: Sequence[tuple[int, int]],
) -> list[tuple[int, int, int, int, int, int, int]]:
    """Per local day number (days since 1970-01-01 in the learner's study days), oldest
    first: answers, time_ms, young passed, young failed, mature passed, mature failed.

    ``start``/``end``: the Unix times read, ``[start, end)``. ``offsets``: ``(from_time,
    seconds)`` runs of the constant shift from UTC to study-day time (UTC offset minus
    the rollover), oldest first; each ``from_time`` on a quarter hour.
    """
    t = f"(slot * {BUCKET_SECONDS})"
    params: list[int] = []
    if len(offsets) == 1:
        shift = "?"
        params.append(offsets[0][1])
    else:
        parts = []
        for since, seconds in reversed(offsets[1:]):
            parts.append(f"WHEN {t} >= ? THEN ?")
            params += [since, seconds]
        params.append(offsets[0][1])
        shift = f"CASE {' '.join(parts)} ELSE ? END"
    return [
        tuple(int(v or 0) for v in row)  # type: ignore[misc]
        for row in db.execute(
            f"SELECT ({t} + {shift}) / 86400 AS day, sum(answers), sum(time_ms), "
            "sum(young_passed), sum(young_failed), sum(mature_passed), sum(mature_failed) "
            f"FROM review_buckets WHERE learner = ? AND {_decks(decks)} "
            "AND slot >= ? AND slot < ? GROUP BY day ORDER BY day",
            [*params, learner, *decks, start // BUCKET_SECONDS, -(-end // BUCKET_SECONDS)],
        ).fetchall()
    ]
