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
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fsrs import Card, Scheduler, State

from quiz.store import stats_reads as reads
from quiz.store.stats_reads import day_expression, offset_segments
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


# --------------------------------------------------------------------------- scheduler


def scheduler_for(db: Any, learner: str, deck: str | None = None) -> Scheduler:
    """The FSRS scheduler of the learner's latest review (its stored parameters), else the default."""
    decks = [deck] if deck is not None else learner_decks(db, learner)
    row = reads.latest_params(db, learner, decks)
    unfuzzed = SchedulerSettings(enable_fuzzing=False)
    if row is None:
        return unfuzzed.scheduler()
    try:
        settings = SchedulerSettings.from_row(row)
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
            lr = (
                datetime.fromisoformat(last_review)
                if isinstance(last_review, str)
                else to_utc(last_review)
            )
            if lr.tzinfo is None:
                lr = lr.replace(tzinfo=UTC)
            self.probe.stability = float(stability)
            self.probe.last_review = lr
            return float(self.scheduler.get_card_retrievability(self.probe, self.now))
        except (TypeError, ValueError, OverflowError):  # a damaged row: counted as forgotten
            return 0.0


# --------------------------------------------------------------------------- computing


learner_decks = reads.learner_decks


def _first_review(db: Any, learner: str, decks: Sequence[str]) -> datetime | None:
    firsts = []
    for text in reads.first_review_times(db, learner, decks):
        try:
            firsts.append(from_iso(text))
        except ValueError:  # a hand-edited time: ignored
            continue
    return min((f for f in firsts if f is not None), default=None)


PACK = reads.PACK


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
    out: list[DayRow] = []
    if old_days:
        for day_text, n in reads.answers_per_day(db, learner, decks, old_days):
            if n:
                out.append((date.fromisoformat(day_text), int(n), 0, 0, 0, 0, 0))
    if not recent_days:
        return out
    since, until = recent_days[0][1], recent_days[-1][2]
    if plan is None:
        plan = reads.read_plan(db, learner, decks, since, until, dense=DENSE_ROWS)
        if plan is None:
            return out
    packed_rows: list[tuple[str, float, float, float]]
    if plan == "index":
        packed_rows = reads.packed_days_by_index(db, learner, decks, recent_days)
    else:
        start = from_iso(since) or now
        end = from_iso(until) or now
        day_sql, day_params = day_expression("reviewed_at", study_day, start, end, number=True)
        epoch = date(1970, 1, 1)
        packed_rows = [
            ((epoch + timedelta(days=int(k))).isoformat(), n, ms, code)
            for k, n, ms, code in reads.packed_days_by_scan(
                db, learner, decks, since, until, day_sql, day_params
            )
        ]
    for day_text, answers, time_ms, packed in sorted(packed_rows):
        n, ms, code = int(answers), int(time_ms), int(packed)
        if not n:
            continue
        if n < PACK:
            classes = [(code // PACK**k) % PACK for k in range(4)]
        else:
            classes = reads.exact_classes(db, learner, decks, *bounds[day_text])
        out.append((date.fromisoformat(day_text), n, ms, *classes))  # type: ignore[arg-type]
    return out


def _daily_rows_from_buckets(
    db: Any, learner: str, decks: Sequence[str], study_day: StudyDay, now: datetime
) -> list[DayRow] | None:
    """:func:`daily_review_rows` from ``review_buckets``; None where it cannot be exact
    (no such table, or a UTC offset change that does not fall on a quarter hour)."""
    if not decks:
        return []
    span = reads.bucket_span(db, learner, decks)
    if span is None:
        return None if not reads.has_buckets(db) else []
    today = study_day.day_of(now)
    window_start = today - timedelta(days=HEATMAP_DAYS - 1)
    first_slot, _last = span
    first = datetime.fromtimestamp(first_slot * reads.BUCKET_SECONDS, UTC)
    day = max(study_day.day_of(first), today - timedelta(days=HISTORY_DAYS))
    start, end = study_day.start_of(day), study_day.start_of(today + timedelta(days=1))
    offsets = [
        (int(since.timestamp()), int(modifier.split()[0]))
        for since, modifier in offset_segments(study_day, start, end)
    ]
    if any(t % reads.BUCKET_SECONDS or off % reads.BUCKET_SECONDS for t, off in offsets[1:]) or (
        offsets[0][1] % reads.BUCKET_SECONDS
    ):
        return None
    epoch = date(1970, 1, 1)
    out: list[DayRow] = []
    for day_number, n, ms, yp, yf, mp, mf in reads.daily_sums(
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
    reads.prefer_mmap(db, MMAP_BYTES)
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
        total_reviews=reads.total_answers(db, learner, decks),
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


def _retention_row(
    name: str, rows: Sequence[tuple[date, int, int, int, int, int, int]]
) -> RetentionRow:
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
    day_sql, day_params = day_expression(
        "s.due", study_day, today_start - timedelta(days=1), horizon
    )
    rows = reads.card_rows(
        db, learner, decks, to_iso(today_start) or "", to_iso(horizon) or "", day_sql, day_params
    )

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
    failures = reads.again_answers_per_card(db, learner, decks)
    for (
        deck,
        card_id,
        section,
        state,
        stability,
        last_review,
        lapses,
        reps,
        suspended,
        leech,
        ivl,
        due_day,
    ) in rows:
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
        SectionMastery(
            deck=d,
            section=sec,
            cards=int(v[0]),
            seen=int(v[1]),
            mastery=v[2] / v[0] if v[0] else 0.0,
        )
        for (d, sec), v in sections.items()
    ]
    forecast = []
    for i in range(FORECAST_DAYS):
        d = today + timedelta(days=i)
        n = due_by_day.get(d.isoformat(), 0) + (overdue if i == 0 else 0)
        forecast.append(ForecastDay(d, n))
    hardest = [  # most lapses, then most Again answers, then lowest recall
        HardCard(
            deck=d,
            card_id=c,
            section=sec,
            lapses=-neg_lapses,
            reps=reps,
            retrievability=r,
            failures=-neg_failed,
        )
        for neg_lapses, neg_failed, r, d, c, sec, reps in heapq.nsmallest(
            hardest_limit, hard, key=lambda h: h[:5]
        )
    ]
    counts = CardCounts(
        new=new,
        learning=learning,
        young=young,
        mature=mature,
        suspended=suspended_n,
        relearning=relearning,
        leech=leech_n,
    )
    predicted = answered_r / answered if answered else None
    return counts, mastery, overdue, forecast, hardest, predicted
