"""Statistics' reads (:mod:`quiz.stats` computes, this module holds its SQL): the review
log by local study day, the cards as the scheduler sees them, and ``review_buckets``
(answers summed per quarter hour, kept by triggers)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from quiz.store.schema import BUCKET_SECONDS, MATURE_DAYS, _json_julianday, _json_state_is
from quiz.study.clock import to_iso, to_utc
from quiz.study.studyday import StudyDay

__all__ = [
    "BUCKET_SECONDS",
    "PACK",
    "again_answers_per_card",
    "answers_per_day",
    "bucket_span",
    "card_rows",
    "daily_sums",
    "day_expression",
    "exact_classes",
    "first_review_times",
    "has_buckets",
    "latest_params",
    "learner_decks",
    "offset_segments",
    "packed_days_by_index",
    "packed_days_by_scan",
    "prefer_mmap",
    "read_plan",
    "total_answers",
]

PACK = 8192
"""Answers of one class on one day are packed in base PACK into one float sum (exact to 2^53)."""

# Per answer: 0 unless a study answer to a card in the review state; then one of
# 1 (young passed), PACK (young failed), PACK^2 (mature passed), PACK^3 (mature failed).
_ANSWER_CLASS = f"""CASE WHEN mode = 'study' AND {_json_state_is("state_before", 2)}
    THEN CASE WHEN {_json_julianday("state_before", "due")}
                   - {_json_julianday("state_before", "last_review")} >= {MATURE_DAYS}
              THEN CASE WHEN rating = 1 THEN {PACK**3} ELSE {PACK**2} END
              ELSE CASE WHEN rating = 1 THEN {PACK} ELSE 1 END END
    ELSE 0 END"""

_PACKED = ("count(*)", "total(max(coalesce(duration_ms, 0), 0))", f"total({_ANSWER_CLASS})")
"""Per day: answers, time, and the four retention classes packed (see :data:`PACK`)."""

PARAMS_COLUMNS = (
    "parameters",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "enable_fuzzing",
)


# --------------------------------------------------------------------------- local days in SQL


def day_expression(
    column: str, study_day: StudyDay, start: datetime, end: datetime, *, number: bool = False
) -> tuple[str, list[str]]:
    """SQL computing the study day (``YYYY-MM-DD``) of a UTC ISO ``column``, and its parameters.

    Between ``start`` and ``end`` the zone's UTC offset changes only at a few
    instants (DST), so the local study day is ``date(column + offset - rollover)``
    with the offset chosen by a short ``CASE`` (newest first: most rows are
    recent). Exact for instants in ``[start, end]``.
    """
    segments = offset_segments(study_day, start, end)
    params: list[str] = []
    fn = "unixepoch" if number else "date"
    tail = " / 86400" if number else ""
    if len(segments) == 1:
        params.append(segments[0][1])
        return f"{fn}({column}, ?){tail}", params
    parts = []
    for since, modifier in reversed(segments[1:]):
        parts.append(f"WHEN {column} >= ? THEN ?")
        params += [to_iso(since) or "", modifier]
    params.append(segments[0][1])
    return f"{fn}({column}, CASE {' '.join(parts)} ELSE ? END){tail}", params


def offset_segments(
    study_day: StudyDay, start: datetime, end: datetime
) -> list[tuple[datetime, str]]:
    """``(from_instant, sqlite_modifier)`` for each run of constant UTC offset, oldest first."""
    tz = study_day.tz
    roll = timedelta(hours=study_day.rollover_hour)

    def offset(t: datetime) -> timedelta:
        return t.astimezone(tz).utcoffset() or timedelta(0)

    def modifier(off: timedelta) -> str:
        return f"{int((off - roll).total_seconds()):+d} seconds"

    start, end = to_utc(start), to_utc(end)
    segments = [(start, modifier(offset(start)))]
    t, off = start, offset(start)
    step = timedelta(days=1)
    while t < end:
        nxt = min(t + step, end)
        off_next = offset(nxt)
        if off_next != off:
            lo, hi = t, nxt  # offset(lo) == off, offset(hi) != off
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid <= lo:
                    break
                if offset(mid) == off:
                    lo = mid
                else:
                    hi = mid
            segments.append((hi, modifier(offset(hi))))
            off = offset(hi)
            t = hi
            continue
        t = nxt
    return segments


# --------------------------------------------------------------------------- the review log


def _in_decks(column: str, decks: Sequence[str]) -> tuple[str, list[str]]:
    if not decks:
        return "0", []
    return f"{column} IN ({', '.join('?' for _ in decks)})", list(decks)


def learner_decks(db: Any, learner: str) -> list[str]:
    """Decks the learner has answered or has card states in."""
    rows = db.execute(
        """SELECT id FROM decks d
           WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.learner = ? AND r.deck = d.id)
              OR EXISTS (SELECT 1 FROM card_states s WHERE s.learner = ? AND s.deck = d.id)
           ORDER BY id""",
        [learner, learner],
    ).fetchall()
    found = [r[0] for r in rows]
    # Reviews of decks missing from ``decks`` (imported logs): still the learner's.
    extra = db.execute(
        "SELECT DISTINCT deck FROM card_states WHERE learner = ? AND deck NOT IN (SELECT id FROM decks)",
        [learner],
    ).fetchall()
    return sorted(set(found) | {r[0] for r in extra})


def latest_params(db: Any, learner: str, decks: Sequence[str]) -> dict[str, Any] | None:
    """The ``scheduler_params`` row (by column) of the learner's latest review naming one
    in ``decks``; None without one."""
    latest: tuple[str, int] | None = None
    for d in decks:  # newest review per deck, through the (learner, deck, reviewed_at) index
        got = db.execute(
            "SELECT reviewed_at, params_id FROM reviews WHERE learner = ? AND deck = ?"
            " AND params_id IS NOT NULL ORDER BY reviewed_at DESC LIMIT 1",
            [learner, d],
        ).fetchone()
        if got is not None and (latest is None or got[0] > latest[0]):
            latest = (got[0], got[1])
    if latest is None:
        return None
    prow = db.execute(
        f"SELECT {', '.join(PARAMS_COLUMNS)} FROM scheduler_params WHERE id = ?", [latest[1]]
    ).fetchone()
    return None if prow is None else dict(zip(PARAMS_COLUMNS, prow, strict=True))


def first_review_times(db: Any, learner: str, decks: Sequence[str]) -> list[str]:
    """Per deck, the time of the learner's first answer that looks like a stored time."""
    firsts = []
    for d in decks:
        row = db.execute(
            "SELECT min(reviewed_at) FROM reviews WHERE learner = ? AND deck = ?"
            " AND reviewed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'",
            [learner, d],
        ).fetchone()
        if row and row[0]:
            firsts.append(str(row[0]))
    return firsts


def answers_per_day(
    db: Any, learner: str, decks: Sequence[str], days: list[list[str]]
) -> list[tuple[str, int]]:
    """``(day, answers)`` for each ``[day, start, end]`` of ``days`` (times in the stored
    form), from the time index alone."""
    in_sql, in_params = _in_decks("deck", decks)
    where = (
        f"learner = ? AND {in_sql} AND reviewed_at >= d.value ->> 1 AND reviewed_at < d.value ->> 2"
    )
    return [
        (day, int(n))
        for day, n in db.execute(
            f"SELECT d.value ->> 0, (SELECT count(*) FROM reviews WHERE {where}) FROM json_each(?) AS d",
            [learner, *in_params, json.dumps(days)],
        ).fetchall()
    ]


def read_plan(
    db: Any,
    learner: str,
    decks: Sequence[str],
    lo: str,
    hi: str,
    *,
    dense: float,
    sample: int = 256,
) -> str | None:
    """``"index"`` when answers between ``lo`` and ``hi`` next in time are stored next to each
    other (at least ``dense`` of their rowid span, sampled at both ends of the window),
    ``"scan"`` when they are scattered; None without answers."""
    in_sql, in_params = _in_decks("deck", decks)
    in_window = f"learner = ? AND {in_sql} AND reviewed_at >= ? AND reviewed_at < ?"
    spans = []
    for order in ("", " DESC"):
        ids = [
            r[0]
            for r in db.execute(
                f"SELECT rowid FROM reviews WHERE {in_window} ORDER BY reviewed_at{order} LIMIT {sample}",
                [learner, *in_params, lo, hi],
            ).fetchall()
        ]
        if not ids:
            return None
        spans.append(len(ids) / (max(ids) - min(ids) + 1))
    return "index" if min(spans) >= dense else "scan"


def packed_days_by_index(
    db: Any, learner: str, decks: Sequence[str], days: list[list[str]]
) -> list[tuple[str, float, float, float]]:
    """``(day, answers, time_ms, packed classes)`` for each ``[day, start, end]`` of
    ``days``: one index range per day, nothing sorted."""
    in_sql, in_params = _in_decks("deck", decks)
    where = (
        f"learner = ? AND {in_sql} AND reviewed_at >= d.value ->> 1 AND reviewed_at < d.value ->> 2"
    )
    sql = f"""SELECT d.value ->> 0, (SELECT {" || ',' || ".join(_PACKED)} FROM reviews WHERE {where})
              FROM json_each(?) AS d"""
    out = []
    for d, p in db.execute(sql, [learner, *in_params, json.dumps(days)]).fetchall():
        n, ms, code = (float(x) for x in str(p).split(","))
        out.append((d, n, ms, code))
    return out


def packed_days_by_scan(
    db: Any,
    learner: str,
    decks: Sequence[str],
    lo: str,
    hi: str,
    day_sql: str,
    day_params: list[str],
) -> list[tuple[int, float, float, float]]:
    """``(day number, answers, time_ms, packed classes)`` per local day between ``lo`` and
    ``hi`` (``day_sql``: :func:`day_expression` with ``number=True``): one sequential scan."""
    in_sql, in_params = _in_decks("deck", decks)
    in_window = f"learner = ? AND {in_sql} AND reviewed_at >= ? AND reviewed_at < ?"
    return [
        (int(k), n, ms, code)
        for k, n, ms, code in db.execute(
            f"SELECT {day_sql} AS day, {', '.join(_PACKED)} FROM reviews NOT INDEXED "
            f"WHERE {in_window} GROUP BY day",
            [*day_params, learner, *in_params, lo, hi],
        ).fetchall()
        if k is not None
    ]


def exact_classes(db: Any, learner: str, decks: Sequence[str], lo: str, hi: str) -> list[int]:
    """(young passed, young failed, mature passed, mature failed) of one very busy day."""
    in_sql, in_params = _in_decks("deck", decks)
    rows = db.execute(
        f"""SELECT c, count(*) FROM (SELECT {_ANSWER_CLASS} AS c FROM reviews
            WHERE learner = ? AND {in_sql} AND reviewed_at >= ? AND reviewed_at < ?) GROUP BY c""",
        [learner, *in_params, lo, hi],
    ).fetchall()
    got = {int(c): int(n) for c, n in rows}
    return [got.get(PACK**k, 0) for k in range(4)]


def prefer_mmap(db: Any, size: int) -> None:
    """Read the database through memory mapping (about 15% less CPU for a long log).

    A per-connection read setting; it changes nothing stored."""
    try:
        row = db.execute("PRAGMA mmap_size").fetchone()
        if row is not None and int(row[0]) < size:
            db.execute(f"PRAGMA mmap_size = {size}")
    except Exception:  # an SQLite built without mmap, or a wrapper refusing pragmas
        pass


# --------------------------------------------------------------------------- cards


def card_rows(
    db: Any,
    learner: str,
    decks: Sequence[str],
    today_start: str,
    horizon: str,
    day_sql: str,
    day_params: list[str],
) -> list[tuple[Any, ...]]:
    """Every active card of ``decks`` in deck order, with the learner's state: deck, card_id,
    section, state, stability, last_review, lapses, reps, suspended, leech, the interval in
    days (review state), and the study day it is due (``day_sql`` of ``s.due``) before
    ``horizon``, or ``'overdue'`` before ``today_start``."""
    in_sql, in_params = _in_decks("c.deck", decks)
    order_sql = (
        "coalesce(c.position, c.rowid)" if "position" in _table_columns(db, "cards") else "c.rowid"
    )
    return list(
        db.execute(
            f"""SELECT c.deck, c.card_id, c.section, s.state, s.stability, s.last_review, s.lapses, s.reps,
                   s.suspended, s.leech,
                   CASE WHEN s.state = 2 THEN julianday(s.due) - julianday(s.last_review) END AS ivl,
                   CASE WHEN s.due < ? THEN 'overdue'
                        WHEN s.due < ? THEN {day_sql} END AS due_day
            FROM cards c
            LEFT JOIN card_states s ON s.learner = ? AND s.deck = c.deck AND s.card_id = c.card_id
            WHERE {in_sql} AND c.retired = 0
            ORDER BY c.deck, {order_sql}""",
            [today_start, horizon, *day_params, learner, *in_params],
        ).fetchall()
    )


def again_answers_per_card(
    db: Any, learner: str, decks: Sequence[str]
) -> dict[tuple[str, str], int]:
    """(deck, card id) -> how many times the learner answered Again."""
    in_sql, in_params = _in_decks("deck", decks)
    return {
        (d, c): int(n)
        for d, c, n in db.execute(
            f"SELECT deck, card_id, count(*) FROM reviews WHERE learner = ? AND rating = 1 "
            f"AND {in_sql} GROUP BY deck, card_id",
            [learner, *in_params],
        ).fetchall()
    }


def _table_columns(db: Any, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


# --------------------------------------------------------------------------- review_buckets


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
