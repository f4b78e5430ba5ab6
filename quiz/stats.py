"""Statistics of one learner's progress, computed from the progress database.

Everything comes from two tables: ``reviews`` (the append-only log of answers)
and ``card_states`` (the scheduler's current view of each card), plus ``cards``
for sections and retired cards. Aggregation over the review log is done in SQL,
grouped by local study day, so a learner with a million reviews costs one index
scan, never a Python object per review.

Definitions (the same as Anki's where Anki has one):

- **Study day**: a local day that begins at the rollover hour
  (:class:`quiz.study.studyday.StudyDay`); a review at 2 a.m. counts for the day before.
- **Card counts** (mutually exclusive, they add up to ``total``): ``suspended``
  (whatever its state), else ``new`` (never answered), ``learning`` (learning
  or relearning; ``relearning`` is given apart too), ``young`` (review state,
  interval < 21 days), ``mature`` (review state, interval >= 21 days). The
  *interval* is the scheduled one, ``due - last_review``, as Anki's ``ivl``.
  ``leech`` counts leeches whatever their state (usually also suspended).
  Retired cards are left out.
- **True retention**: among answers given in the review state (not learning or
  relearning) in ``study`` mode, the share not rated Again. Young / mature is
  decided by the interval the card had before the answer, as in Anki's
  true-retention table. Windows: today; yesterday; last 7 / 30 / 365 study
  days including today.
- **Predicted retention**: mean FSRS retrievability, now, of the answered
  cards (fsrs's ``Scheduler.get_card_retrievability``).
- **Mastery** of a section: the expected share of its cards the learner would
  recall now, the mean retrievability of its cards with never-answered cards
  counting 0.
- **Streak**: consecutive study days with at least one answer. The current
  streak ends today, or yesterday if nothing has been answered yet today (the
  day is not over).
- **Forecast**: cards due on each of the next 30 study days; cards already
  overdue are due today (and counted in ``overdue`` too). Suspended and new
  cards are not due.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fsrs import Card, Scheduler, State

from quiz.study.clock import from_iso, to_iso, to_utc
from quiz.study.scheduling import SchedulerSettings
from quiz.study.studyday import StudyDay

MATURE_DAYS = 21
"""A review card is mature once its interval reaches this many days (Anki's threshold)."""

HEATMAP_DAYS = 365
HISTORY_DAYS = 30 * 366
"""Streaks look back at most this far (a bogus year-1 timestamp must not mean 740,000 days)."""
FORECAST_DAYS = 30
HARDEST_LIMIT = 10
NO_SECTION = "(no section)"

RETENTION_WINDOWS: tuple[tuple[str, int, int], ...] = (
    # name, first day offset from today (days back), last day offset
    ("today", 0, 0),
    ("yesterday", 1, 1),
    ("last_7_days", 6, 0),
    ("last_30_days", 29, 0),
    ("last_365_days", 364, 0),
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DayActivity:
    """Answers given and time spent on one study day."""

    day: date
    reviews: int
    time_ms: int

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "reviews": self.reviews, "time_ms": self.time_ms}


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int
    days_studied: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CardCounts:
    """Cards by state; the first five add up to ``total``; ``relearning`` and ``leech`` overlap."""

    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    relearning: int = 0
    leech: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature + self.suspended

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "total": self.total}


def _rate(passed: int, failed: int) -> float | None:
    n = passed + failed
    return passed / n if n else None


@dataclass(frozen=True)
class RetentionRow:
    """True retention over one window: review-state answers passed / failed (Again)."""

    period: str
    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    @property
    def young(self) -> float | None:
        return _rate(self.young_passed, self.young_failed)

    @property
    def mature(self) -> float | None:
        return _rate(self.mature_passed, self.mature_failed)

    @property
    def total(self) -> float | None:
        return _rate(self.young_passed + self.mature_passed, self.young_failed + self.mature_failed)

    @property
    def count(self) -> int:
        return self.young_passed + self.young_failed + self.mature_passed + self.mature_failed

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "young": self.young,
            "mature": self.mature,
            "total": self.total,
            "count": self.count,
        }


@dataclass(frozen=True)
class SectionMastery:
    deck: str
    section: str
    cards: int
    seen: int
    mastery: float  # 0..1, expected share recalled now

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ForecastDay:
    day: date
    due: int

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "due": self.due}


@dataclass(frozen=True)
class HardCard:
    deck: str
    card_id: str
    section: str | None
    lapses: int
    reps: int
    retrievability: float
    failures: int = 0  # answers rated Again (a new card failed in learning has no lapse)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Stats:
    """Every statistic for one learner over one deck (or all their decks)."""

    learner: str
    deck: str | None
    decks: list[str]
    generated_at: datetime
    today: date
    rollover_hour: int
    timezone: str
    total_reviews: int
    time_ms_last_365_days: int
    activity: list[DayActivity]  # the last HEATMAP_DAYS study days, oldest first, zeros included
    streaks: Streaks
    cards: CardCounts
    retention: list[RetentionRow]  # one per RETENTION_WINDOWS
    predicted_retention: float | None
    mastery: list[SectionMastery] = field(default_factory=list)
    overdue: int = 0
    forecast: list[ForecastDay] = field(default_factory=list)
    hardest: list[HardCard] = field(default_factory=list)

    def retention_for(self, period: str) -> RetentionRow:
        for row in self.retention:
            if row.period == period:
                return row
        raise KeyError(period)

    @property
    def overall_mastery(self) -> float | None:
        n = sum(m.cards for m in self.mastery)
        return sum(m.mastery * m.cards for m in self.mastery) / n if n else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "learner": self.learner,
            "deck": self.deck,
            "decks": list(self.decks),
            "generated_at": to_iso(self.generated_at),
            "today": self.today.isoformat(),
            "rollover_hour": self.rollover_hour,
            "timezone": self.timezone,
            "total_reviews": self.total_reviews,
            "time_ms_last_365_days": self.time_ms_last_365_days,
            "streaks": self.streaks.to_dict(),
            "cards": self.cards.to_dict(),
            "retention": {row.period: row.to_dict() for row in self.retention},
            "predicted_retention": self.predicted_retention,
            "mastery": [m.to_dict() for m in self.mastery],
            "overall_mastery": self.overall_mastery,
            "overdue": self.overdue,
            "forecast": [f.to_dict() for f in self.forecast],
            "hardest": [h.to_dict() for h in self.hardest],
            "activity": [a.to_dict() for a in self.activity],
        }


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


def offset_segments(study_day: StudyDay, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
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


# --------------------------------------------------------------------------- scheduler


def scheduler_for(db: Any, learner: str, deck: str | None = None) -> Scheduler:
    """The FSRS scheduler of the learner's latest review (its stored parameters), else the default."""
    decks = [deck] if deck is not None else learner_decks(db, learner)
    latest: tuple[str, int] | None = None
    for d in decks:  # newest review per deck, through the (learner, deck, reviewed_at) index
        got = db.execute(
            "SELECT reviewed_at, params_id FROM reviews WHERE learner = ? AND deck = ?"
            " AND params_id IS NOT NULL ORDER BY reviewed_at DESC LIMIT 1",
            [learner, d],
        ).fetchone()
        if got is not None and (latest is None or got[0] > latest[0]):
            latest = (got[0], got[1])
    unfuzzed = SchedulerSettings(enable_fuzzing=False)
    if latest is None:
        return unfuzzed.scheduler()
    prow = db.execute(
        "SELECT parameters, desired_retention, learning_steps, relearning_steps, "
        "maximum_interval, enable_fuzzing FROM scheduler_params WHERE id = ?",
        [latest[1]],
    ).fetchone()
    if prow is None:
        return unfuzzed.scheduler()
    try:
        cols = ("parameters", "desired_retention", "learning_steps", "relearning_steps",
                "maximum_interval", "enable_fuzzing")
        settings = SchedulerSettings.from_row(dict(zip(cols, prow, strict=True)))
        return replace(settings, enable_fuzzing=False).scheduler()
    except (ValueError, TypeError):
        return unfuzzed.scheduler()


class Retrievability:
    """FSRS retrievability of many cards at one instant, through fsrs itself."""

    def __init__(self, scheduler: Scheduler, now: datetime) -> None:
        self.scheduler = scheduler
        self.now = to_utc(now)
        self.probe = Card(card_id=1, state=State.Review)

    def of(self, stability: float | None, last_review: str | datetime | None) -> float:
        """Probability of recall now; 0 for a card never answered."""
        try:
            if stability is None or last_review is None or stability <= 0:
                return 0.0
            lr = datetime.fromisoformat(last_review) if isinstance(last_review, str) else to_utc(last_review)
            if lr.tzinfo is None:
                lr = lr.replace(tzinfo=UTC)
            self.probe.stability = float(stability)
            self.probe.last_review = lr
            return float(self.scheduler.get_card_retrievability(self.probe, self.now))
        except (TypeError, ValueError, OverflowError):  # a damaged row: counted as forgotten
            return 0.0


# --------------------------------------------------------------------------- computing


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


def _in_decks(column: str, decks: Sequence[str]) -> tuple[str, list[str]]:
    if not decks:
        return "0", []
    return f"{column} IN ({', '.join('?' for _ in decks)})", list(decks)


def _total_answers(db: Any, learner: str, decks: Sequence[str]) -> int:
    from quiz.store import stats_reads

    return stats_reads.total_answers(db, learner, decks)


def _first_review(db: Any, learner: str, decks: Sequence[str]) -> datetime | None:
    firsts = []
    for d in decks:
        row = db.execute(
            "SELECT min(reviewed_at) FROM reviews WHERE learner = ? AND deck = ?"
            " AND reviewed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'",
            [learner, d],
        ).fetchone()
        if row and row[0]:
            try:
                firsts.append(from_iso(row[0]))
            except ValueError:  # a hand-edited time: ignored
                continue
    return min((f for f in firsts if f is not None), default=None)


def _json_state_is(col: str, value: int) -> str:
    """SQL: is the JSON ``state`` in ``col`` equal to ``value`` (a fast text search on the
    format quiz writes, ``json.dumps``, else a full JSON parse)."""
    return (
        f"""(instr({col}, '"state": {value}') > 0 """
        f"""OR (instr({col}, '"state": ') = 0 AND {col} ->> '$.state' = {value}))"""
    )


def _json_julianday(col: str, key: str) -> str:
    """SQL: the Julian day of the timestamp ``key`` in the JSON in ``col`` (fast path: the
    stored form ``YYYY-MM-DDTHH:MM:SS.mmm+00:00`` found by text search)."""
    needle = f'"{key}": "'
    return (
        f"coalesce(julianday(substr({col}, nullif(instr({col}, '{needle}'), 0) + {len(needle)}, 23)), "
        f"CASE WHEN instr({col}, '\"{key}\"') > 0 THEN julianday({col} ->> '$.{key}') END)"
    )


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

DayRow = tuple[date, int, int, int, int, int, int]
"""(day, answers, time_ms, young passed, young failed, mature passed, mature failed)."""


DENSE_ROWS = 0.5
"""Above this share of rows in their rowid span, the learner's recent answers are stored
together (the log is appended in time order): read them through the time index. Below,
they are scattered (bulk imports): one sequential scan of the table is cheaper."""


def daily_review_rows(
    db: Any,
    learner: str,
    decks: Sequence[str],
    study_day: StudyDay,
    now: datetime,
    *,
    plan: str | None = None,
) -> list[DayRow]:
    """Per study day with answers, oldest first.

    Days in the last ``HEATMAP_DAYS`` carry every figure; older days only the
    number of answers (enough for streaks), read from the index alone. The
    four retention counts of a day are summed in one packed number (each
    expensive per-answer expression is evaluated once); a day with more answers
    than the packing holds is counted again exactly. ``plan`` forces how recent
    days are read: ``"buckets"`` (the per-quarter-hour sums kept by triggers in
    ``review_buckets``, the default where the time zone allows), ``"index"`` (one
    index range per study day, nothing sorted) or ``"scan"`` (one sequential scan
    grouped by local day); ``"index"`` or ``"scan"`` is otherwise chosen from how
    the rows are stored.
    """
    if plan in (None, "buckets"):
        from_buckets = _daily_rows_from_buckets(db, learner, decks, study_day, now)
        if from_buckets is not None or plan == "buckets":
            return from_buckets or []
    first = _first_review(db, learner, decks)
    if first is None:
        return []
    today = study_day.day_of(now)
    window_start = today - timedelta(days=HEATMAP_DAYS - 1)
    day = max(study_day.day_of(first), today - timedelta(days=HISTORY_DAYS))
    bounds: dict[str, tuple[str, str]] = {}
    old_days: list[list[str]] = []
    recent_days: list[list[str]] = []
    lo = study_day.start_of(day)
    while day <= today:
        hi = study_day.start_of(day + timedelta(days=1))
        entry = [day.isoformat(), to_iso(lo) or "", to_iso(hi) or ""]
        bounds[entry[0]] = (entry[1], entry[2])
        (recent_days if day >= window_start else old_days).append(entry)
        day, lo = day + timedelta(days=1), hi
    in_sql, in_params = _in_decks("deck", decks)
    in_window = f"learner = ? AND {in_sql} AND reviewed_at >= ? AND reviewed_at < ?"
    window = [learner, *in_params, recent_days[0][1], recent_days[-1][2]] if recent_days else None

    out: list[DayRow] = []
    if old_days:
        where = f"learner = ? AND {in_sql} AND reviewed_at >= d.value ->> 1 AND reviewed_at < d.value ->> 2"
        for day_text, n in db.execute(
            f"SELECT d.value ->> 0, (SELECT count(*) FROM reviews WHERE {where}) FROM json_each(?) AS d",
            [learner, *in_params, json.dumps(old_days)],
        ).fetchall():
            if n:
                out.append((date.fromisoformat(day_text), int(n), 0, 0, 0, 0, 0))
    if window is None:
        return out

    if plan is None:
        plan = _read_plan(db, in_window, window)
        if plan is None:
            return out
    parts = ("count(*)", "total(max(coalesce(duration_ms, 0), 0))", f"total({_ANSWER_CLASS})")
    agg = ", ".join(parts)
    if plan == "index":
        where = f"learner = ? AND {in_sql} AND reviewed_at >= d.value ->> 1 AND reviewed_at < d.value ->> 2"
        sql = f"""SELECT d.value ->> 0, (SELECT {" || ',' || ".join(parts)} FROM reviews WHERE {where})
                  FROM json_each(?) AS d"""
        packed_rows = [
            (d, *(float(x) for x in str(p).split(",")))
            for d, p in db.execute(sql, [learner, *in_params, json.dumps(recent_days)]).fetchall()
        ]
    else:
        start = from_iso(recent_days[0][1]) or now
        end = from_iso(recent_days[-1][2]) or now
        day_sql, day_params = day_expression("reviewed_at", study_day, start, end, number=True)
        epoch = date(1970, 1, 1)
        packed_rows = [
            ((epoch + timedelta(days=int(k))).isoformat(), n, ms, code)
            for k, n, ms, code in db.execute(
                f"SELECT {day_sql} AS day, {agg} FROM reviews NOT INDEXED WHERE {in_window} GROUP BY day",
                [*day_params, *window],
            ).fetchall()
            if k is not None
        ]
    for day_text, n, ms, code in sorted(packed_rows):
        n, ms, code = int(n), int(ms), int(code)
        if not n:
            continue
        if n < PACK:
            classes = [(code // PACK**k) % PACK for k in range(4)]
        else:
            classes = _exact_classes(db, learner, in_sql, in_params, *bounds[day_text])
        out.append((date.fromisoformat(day_text), n, ms, *classes))  # type: ignore[arg-type]
    return out


def _daily_rows_from_buckets(
    db: Any, learner: str, decks: Sequence[str], study_day: StudyDay, now: datetime
) -> list[DayRow] | None:
    """:func:`daily_review_rows` from ``review_buckets``; None where it cannot be exact
    (no such table, or a UTC offset change that does not fall on a quarter hour)."""
    from quiz.store import stats_reads

    if not decks:
        return []
    span = stats_reads.bucket_span(db, learner, decks)
    if span is None:
        return None if not stats_reads.has_buckets(db) else []
    today = study_day.day_of(now)
    window_start = today - timedelta(days=HEATMAP_DAYS - 1)
    first_slot, _last = span
    first = datetime.fromtimestamp(first_slot * stats_reads.BUCKET_SECONDS, UTC)
    day = max(study_day.day_of(first), today - timedelta(days=HISTORY_DAYS))
    start, end = study_day.start_of(day), study_day.start_of(today + timedelta(days=1))
    offsets = [
        (int(since.timestamp()), int(modifier.split()[0]))
        for since, modifier in offset_segments(study_day, start, end)
    ]
    if any(t % stats_reads.BUCKET_SECONDS or off % stats_reads.BUCKET_SECONDS for t, off in offsets[1:]) or (
        offsets[0][1] % stats_reads.BUCKET_SECONDS
    ):
        return None
    epoch = date(1970, 1, 1)
    out: list[DayRow] = []
    for day_number, n, ms, yp, yf, mp, mf in stats_reads.daily_sums(
        db, learner, decks, int(start.timestamp()), int(end.timestamp()), offsets
    ):
        d = epoch + timedelta(days=int(day_number))
        if not n:
            continue
        if d < window_start:  # older days: the number of answers only, as the log path gives
            out.append((d, int(n), 0, 0, 0, 0, 0))
        else:
            out.append((d, int(n), int(ms), int(yp), int(yf), int(mp), int(mf)))
    return out


def _read_plan(db: Any, in_window: str, window: list[Any], sample: int = 256) -> str | None:
    """``"index"`` when answers next in time are stored next to each other (sampled at
    both ends of the window), ``"scan"`` when they are scattered; None without answers."""
    spans = []
    for order in ("", " DESC"):
        ids = [r[0] for r in db.execute(
            f"SELECT rowid FROM reviews WHERE {in_window} ORDER BY reviewed_at{order} LIMIT {sample}", window
        ).fetchall()]
        if not ids:
            return None
        spans.append(len(ids) / (max(ids) - min(ids) + 1))
    return "index" if min(spans) >= DENSE_ROWS else "scan"


def _exact_classes(db: Any, learner: str, in_sql: str, in_params: list[str], lo: str, hi: str) -> list[int]:
    """(young passed, young failed, mature passed, mature failed) of one very busy day."""
    rows = db.execute(
        f"""SELECT c, count(*) FROM (SELECT {_ANSWER_CLASS} AS c FROM reviews
            WHERE learner = ? AND {in_sql} AND reviewed_at >= ? AND reviewed_at < ?) GROUP BY c""",
        [learner, *in_params, lo, hi],
    ).fetchall()
    got = {int(c): int(n) for c, n in rows}
    return [got.get(PACK**k, 0) for k in range(4)]


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Current and longest runs of consecutive study days (see the module docstring)."""
    ordered = sorted(set(days))
    longest = run = 0
    prev: date | None = None
    for d in ordered:
        run = run + 1 if prev is not None and (d - prev).days == 1 else 1
        longest = max(longest, run)
        prev = d
    studied = set(ordered)
    current = 0
    cursor = today if today in studied else today - timedelta(days=1)
    while cursor in studied:
        current += 1
        cursor -= timedelta(days=1)
    return Streaks(current=current, longest=longest, days_studied=len(studied))


def compute_stats(
    db: Any,
    learner: str,
    deck: str | None = None,
    *,
    now: datetime,
    study_day: StudyDay,
    scheduler: Scheduler | None = None,
    hardest_limit: int = HARDEST_LIMIT,
) -> Stats:
    """All statistics for ``learner`` on ``deck`` (or every deck they study) at ``now``.

    ``db`` is a ``sqlite_utils.Database`` or a ``sqlite3.Connection`` (anything
    with ``execute``).
    """
    now = to_utc(now)
    _prefer_mmap(db)
    decks = [deck] if deck is not None else learner_decks(db, learner)
    if scheduler is None:
        scheduler = scheduler_for(db, learner, deck)
    today = study_day.day_of(now)

    # --- the review log, by study day
    daily = daily_review_rows(db, learner, decks, study_day, now)
    by_day = {row[0]: row for row in daily}
    first_heat = today - timedelta(days=HEATMAP_DAYS - 1)
    activity = []
    for i in range(HEATMAP_DAYS):
        d = first_heat + timedelta(days=i)
        row = by_day.get(d)
        activity.append(DayActivity(d, row[1], row[2]) if row else DayActivity(d, 0, 0))
    retention = []
    for name, back, until in RETENTION_WINDOWS:
        lo, hi = today - timedelta(days=back), today - timedelta(days=until)
        sel = [r for r in daily if lo <= r[0] <= hi]
        retention.append(_retention_row(name, sel))

    # --- the cards, as the scheduler sees them now
    cards, mastery, overdue, forecast, hardest, predicted = _card_figures(
        db, learner, decks, now, study_day, scheduler, hardest_limit
    )

    return Stats(
        learner=learner,
        deck=deck,
        decks=list(decks),
        generated_at=now,
        today=today,
        rollover_hour=study_day.rollover_hour,
        timezone=str(study_day.tz),
        total_reviews=_total_answers(db, learner, decks),
        time_ms_last_365_days=sum(r[2] for r in daily),
        activity=activity,
        streaks=streaks((r[0] for r in daily if r[1] > 0), today),
        cards=cards,
        retention=retention,
        predicted_retention=predicted,
        mastery=mastery,
        overdue=overdue,
        forecast=forecast,
        hardest=hardest,
    )


MMAP_BYTES = 1 << 30


def _prefer_mmap(db: Any) -> None:
    """Read the database through memory mapping (about 15% less CPU for a long log).

    A per-connection read setting; it changes nothing stored."""
    try:
        row = db.execute("PRAGMA mmap_size").fetchone()
        if row is not None and int(row[0]) < MMAP_BYTES:
            db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    except Exception:  # an SQLite built without mmap, or a wrapper refusing pragmas
        pass


def _retention_row(name: str, rows: Sequence[tuple[date, int, int, int, int, int, int]]) -> RetentionRow:
    return RetentionRow(
        period=name,
        young_passed=sum(r[3] for r in rows),
        young_failed=sum(r[4] for r in rows),
        mature_passed=sum(r[5] for r in rows),
        mature_failed=sum(r[6] for r in rows),
    )


def _card_figures(
    db: Any,
    learner: str,
    decks: Sequence[str],
    now: datetime,
    study_day: StudyDay,
    scheduler: Scheduler,
    hardest_limit: int,
) -> tuple[CardCounts, list[SectionMastery], int, list[ForecastDay], list[HardCard], float | None]:
    """Counts, mastery, forecast and hardest cards: one pass over the decks' cards and states."""
    today = study_day.day_of(now)
    today_start = study_day.start_of(today)
    horizon = study_day.start_of(today + timedelta(days=FORECAST_DAYS))
    day_sql, day_params = day_expression("s.due", study_day, today_start - timedelta(days=1), horizon)
    in_sql, in_params = _in_decks("c.deck", decks)
    order_sql = "coalesce(c.position, c.rowid)" if "position" in _table_columns(db, "cards") else "c.rowid"
    rows = db.execute(
        f"""SELECT c.deck, c.card_id, c.section, s.state, s.stability, s.last_review, s.lapses, s.reps,
                   s.suspended, s.leech,
                   CASE WHEN s.state = 2 THEN julianday(s.due) - julianday(s.last_review) END AS ivl,
                   CASE WHEN s.due < ? THEN 'overdue'
                        WHEN s.due < ? THEN {day_sql} END AS due_day
            FROM cards c
            LEFT JOIN card_states s ON s.learner = ? AND s.deck = c.deck AND s.card_id = c.card_id
            WHERE {in_sql} AND c.retired = 0
            ORDER BY c.deck, {order_sql}""",
        [to_iso(today_start), to_iso(horizon), *day_params, learner, *in_params],
    ).fetchall()

    retr = Retrievability(scheduler, now)
    probe, recall, parse = retr.probe, scheduler.get_card_retrievability, datetime.fromisoformat
    new = learning = relearning = young = mature = suspended_n = leech_n = 0
    # (deck, section) -> [cards, seen, sum of retrievability], in deck order
    sections: dict[tuple[str, str], list[float]] = {}
    due_by_day: dict[str, int] = {}
    overdue = 0
    answered_r = 0.0
    answered = 0
    hard: list[tuple[int, int, float, str, str, str | None, int]] = []
    fail_in, fail_params = _in_decks("deck", decks)
    failures = {
        (d, c): int(n)
        for d, c, n in db.execute(
            f"SELECT deck, card_id, count(*) FROM reviews WHERE learner = ? AND rating = 1 "
            f"AND {fail_in} GROUP BY deck, card_id",
            [learner, *fail_params],
        ).fetchall()
    }
    for deck, card_id, section, state, stability, last_review, lapses, reps, suspended, leech, ivl, due_day in rows:
        seen = state is not None and state != 0 and last_review is not None
        key = (deck, section or NO_SECTION)
        acc = sections.get(key)
        if acc is None:
            acc = sections[key] = [0, 0, 0.0]
        acc[0] += 1
        if leech:
            leech_n += 1
        if suspended:
            suspended_n += 1
        elif not seen:
            new += 1
        elif state == 1 or state == 3:
            learning += 1
            relearning += state == 3
        elif ivl is not None and ivl >= MATURE_DAYS:
            mature += 1
        else:
            young += 1
        if not seen:
            continue
        try:  # Retrievability.of, inlined: 50,000 cards in a tight loop
            if stability is None or stability <= 0:
                r = 0.0
            else:
                lr = parse(last_review)
                probe.stability = float(stability)
                probe.last_review = lr if lr.tzinfo is not None else lr.replace(tzinfo=UTC)
                r = float(recall(probe, retr.now))
        except (TypeError, ValueError, OverflowError):  # a damaged row: counted as forgotten
            r = 0.0
        acc[1] += 1
        acc[2] += r
        answered_r += r
        answered += 1
        if reps or lapses:
            failed = failures.get((deck, card_id), 0)
            hard.append((-int(lapses or 0), -failed, r, deck, card_id, section, int(reps or 0)))
        if not suspended and due_day is not None:
            if due_day == "overdue":
                overdue += 1
            else:
                due_by_day[due_day] = due_by_day.get(due_day, 0) + 1

    mastery = [
        SectionMastery(deck=d, section=sec, cards=int(v[0]), seen=int(v[1]), mastery=v[2] / v[0] if v[0] else 0.0)
        for (d, sec), v in sections.items()
    ]
    forecast = []
    for i in range(FORECAST_DAYS):
        d = today + timedelta(days=i)
        n = due_by_day.get(d.isoformat(), 0) + (overdue if i == 0 else 0)
        forecast.append(ForecastDay(d, n))
    hardest = [  # most lapses, then most Again answers, then lowest recall
        HardCard(deck=d, card_id=c, section=sec, lapses=-neg_lapses, reps=reps, retrievability=r,
                 failures=-neg_failed)
        for neg_lapses, neg_failed, r, d, c, sec, reps in heapq.nsmallest(
            hardest_limit, hard, key=lambda h: h[:5]
        )
    ]
    counts = CardCounts(new=new, learning=learning, young=young, mature=mature, suspended=suspended_n,
                        relearning=relearning, leech=leech_n)
    predicted = answered_r / answered if answered else None
    return counts, mastery, overdue, forecast, hardest, predicted


def _table_columns(db: Any, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
