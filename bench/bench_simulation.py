"""Engine simulation: simulated learners studied through quiz's own StudySession, against
Anki's SM-2 and against fsrs driven directly, on the same learners, in the same run.

Each learner's memory follows an FSRS-form forgetting curve with *their own* parameters
(not fsrs's defaults): a faster forgetter with a steep curve, a slow forgetter, one in
between, and a control whose memory is exactly fsrs's defaults (``--no-control`` drops
it). Recall of a card is drawn from that learner's true retrievability at the moment it
is asked (continuous time); a recalled card is rated Hard/Good/Easy in fixed proportions,
a new card's first rating is drawn as in Anki's simulator. Each card has its own random
stream, so its n-th answer draws the same number under every scheduler (common random
numbers: differences between schedulers are not drowned by luck).

- **quiz default**: one ``StudySession`` a day at 9:00 (injected clock; learning steps
  answered within the session via learn-ahead), every card the queue offers answered,
  8 s each, fsrs's default parameters, desired retention 0.80, 0.90, 0.925 and 0.95,
  leeches tagged (Anki's default), not suspended (quiz's).
- **quiz fitted**: the same run's database at day 60, parameters fitted there by
  ``quiz progress optimize``'s code (:func:`optimize_learner`, saved only if better,
  refused under 400 reviews), studied on to the end at the same retention. Its answers
  include the first 60 days' (with default parameters).
- **fsrs alone**: py-fsrs's Scheduler driven directly (same parameters, steps, fuzz and
  session; elapsed days of review cards in study days): what quiz's engine (store,
  queue, session, limits, button ordering) adds or costs.
- **SM-2**: Anki's defaults (steps 1m 10m, graduating 1 d, easy 4 d, starting ease 2.5,
  Hard x1.2 and -0.15, Easy x1.3 and +0.15, lapse -0.2 with a 10m relearning step and a
  1-day new interval, minimum ease 1.3, Hard >= last + 1, Good >= Hard + 1, Easy >= Good
  + 1, Anki's fuzz), same daily session, same limits (20 new, 200 reviews a day).

Each learner is run with two seeds (--seeds), pooled (the control with one).
Printed per learner and run: realized true retention (share of review-queue answers
recalled, with its binomial standard error) and the expected one (mean true
retrievability at those answers: the same quantity without the coin flips' noise),
answers a day (learning steps included), knowledge at the end (sum of the true
retrievability of every card, mean over the last 30 mornings before the session), and
answers at SM-2's knowledge / SM-2's answers: the answers of the two runs whose knowledge
brackets SM-2's, interpolated linearly in log(cards - knowledge) (a straight line in
knowledge, the first version's method, printed beside it). Medians over learners (not the
control) for the summary.

    python bench/bench_simulation.py [--cards 150] [--days 150] [--learners 3] [--seeds 2]
"""

from __future__ import annotations

import argparse
import copy
import itertools
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fsrs import Card, Rating, Scheduler

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.optimize import NotEnoughReviews, optimize_learner
from quiz.study.scheduling import DEFAULT_PARAMETERS, fuzzed_days
from quiz.study.session import StudySession

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANSWER_SECONDS = 8
FIRST_RATING = (0.24, 0.094, 0.495, 0.171)  # Again, Hard, Good, Easy (Anki's simulator)
RECALLED_RATING = (0.15, 0.75, 0.10)  # Hard, Good, Easy when recalled
FIT_DAY = 60
RETENTIONS = (0.80, 0.90, 0.925, 0.95)  # 0.925: SM-2's knowledge falls between 0.90 and 0.95
TARGETS = (0.80, 0.90, 0.95)  # the retentions the issue's +-0.02 target is checked at
KNOWLEDGE_DAYS = 30  # knowledge at the end: mean over the last 30 mornings
LEARNER = "sim"
# Leeches are tagged, not suspended: Anki's default (LeechAction::TagOnly), and SM-2 and
# fsrs alone here suspend nothing. With quiz's default (suspend), a steep forgetter's
# leeches drop out of study and knowledge at the end falls by about 1.6 of 150 cards
# (0.925, 6 seeds), which is a choice about leeches, not the scheduler's efficiency.
LEECH = "tag"


def _params(**changes: float) -> tuple[float, ...]:
    p = list(DEFAULT_PARAMETERS)
    for key, value in changes.items():
        p[int(key[1:])] = value
    return tuple(p)


LEARNERS = {
    # a fast forgetter on a steep curve
    "steep": _params(w0=0.1, w1=0.4, w2=0.9, w3=3.0, w20=0.5),
    # a slow forgetter whose memories grow fast
    "strong": _params(w0=0.5, w1=2.5, w2=5.0, w3=15.0, w8=2.2, w20=0.1),
    # shallower initial memory, average growth, a flat curve
    "flat": _params(w0=0.3, w1=0.8, w2=1.5, w3=6.0, w8=1.6, w20=0.25),
}
CONTROL = {"fsrs-default": tuple(DEFAULT_PARAMETERS)}  # a sanity check (--only fsrs-default)


class Learner:
    """A simulated person: true memory per card, answers drawn from it."""

    def __init__(self, params: tuple[float, ...], seed: int) -> None:
        self.params = params
        self.truth = Scheduler(
            parameters=params, learning_steps=(), relearning_steps=(), enable_fuzzing=False
        )
        self.decay = params[20]
        self.factor = 0.9 ** (-1 / self.decay) - 1
        self.memory: dict[str, Card] = {}
        self.seed = seed
        # One random stream per card: a card's n-th answer draws the same number under
        # every scheduler (common random numbers), so the schedulers' differences are
        # not drowned by which card happened to draw what.
        self.rngs: dict[str, random.Random] = {}

    def retrievability(self, key: str, now: datetime) -> float:
        mem = self.memory.get(key)
        if mem is None or mem.last_review is None:
            return 0.0
        days = max(0.0, (now - mem.last_review).total_seconds() / 86400)
        return (1 + self.factor * days / mem.stability) ** -self.decay

    def answer(self, key: str, now: datetime) -> tuple[int, bool | None]:
        """(rating, recalled) for card ``key`` asked at ``now``; recalled None when new."""
        mem = self.memory.get(key)
        rng = self.rngs.setdefault(key, random.Random(f"{self.seed}:{key}"))
        if mem is None:
            rating = rng.choices((1, 2, 3, 4), FIRST_RATING)[0]
            recalled = None
            mem = Card(card_id=len(self.memory) + 1)
        else:
            recalled = rng.random() < self.retrievability(key, now)
            rating = rng.choices((2, 3, 4), RECALLED_RATING)[0] if recalled else 1
            # Memory grows with the time really elapsed: fsrs counts whole days rounded
            # down, which would make a review 10 s before the same time N days later an
            # (N-1)-day review. Round to the nearest day instead (under half a day: same day).
            elapsed = (now - mem.last_review).total_seconds() / 86400
            if elapsed >= 0.5:
                mem = copy.copy(mem)
                mem.last_review = now - timedelta(days=round(elapsed))
        self.memory[key] = self.truth.review_card(mem, Rating(rating), now)[0]
        return rating, recalled

    def knowledge(self, keys: list[str], now: datetime) -> float:
        return sum(self.retrievability(k, now) for k in keys)


@dataclass
class Run:
    name: str
    answers: int = 0
    review_answers: int = 0
    review_recalled: int = 0
    review_r: float = 0.0  # sum of the true retrievability at each review-queue answer
    days: int = 0
    total_days: int = 0
    seconds: float = 0.0
    samples: list[float] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def knowledge(self) -> float:
        """Expected cards recalled, mean over the last KNOWLEDGE_DAYS mornings."""
        return statistics.fmean(self.samples) if self.samples else math.nan

    @property
    def retention(self) -> float:
        return self.review_recalled / self.review_answers if self.review_answers else math.nan

    @property
    def expected_retention(self) -> float:
        """Mean true retrievability at the review-queue answers: the retention the drawn
        one estimates, without the coin flips' noise."""
        return self.review_r / self.review_answers if self.review_answers else math.nan

    @property
    def per_day(self) -> float:
        return self.answers / self.days if self.days else 0.0


def make_deck(n: int) -> Deck:
    return Deck.model_validate(
        {
            "deck": "sim",
            "title": "Simulated deck",
            "cards": [
                {"id": f"c{i:04d}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(n)
            ],
        }
    )


def _study_days(
    store: Store,
    deck: Deck,
    learner: Learner,
    clock: FixedClock,
    first: int,
    last: int,
    run: Run,
    count_from: int = 0,
) -> None:
    """One session a day at 9:00 for days [first, last)."""
    keys = [c.id for c in deck.cards]
    for day in range(first, last):
        clock.set(START + timedelta(days=day))
        if day >= run.total_days - KNOWLEDGE_DAYS:
            run.samples.append(learner.knowledge(keys, clock()))
        s = StudySession(store, deck, LEARNER, clock=clock, seed=day)
        while (view := s.next_card()) is not None:
            clock.advance(seconds=ANSWER_SECONDS)
            r_true = learner.retrievability(view.card.id, clock())
            rating, recalled = learner.answer(view.card.id, clock())
            s.reveal()
            s.rate(rating)
            if day >= count_from:
                run.answers += 1
                if view.queue == "review":
                    run.review_answers += 1
                    run.review_recalled += int(bool(recalled))
                    run.review_r += r_true
        s.close()
    run.days += max(0, last - max(first, count_from))


def quiz_run(
    workdir: Path,
    deck: Deck,
    params: tuple[float, ...],
    seed: int,
    retention: float,
    days: int,
    snapshot_at: int | None = None,
) -> tuple[Run, tuple[Path, Learner] | None]:
    """quiz with fsrs's default parameters at ``retention``; optionally a copy of the
    database and learner at day ``snapshot_at`` (answers until then in
    ``run.extra["answers_first_days"]``)."""
    path = workdir / f"quiz-{retention:.2f}-{seed}.db"
    clock = FixedClock(START)
    learner = Learner(params, seed)
    run = Run(f"quiz default @{retention:.3g}", total_days=days)
    snap = None
    t = time.perf_counter()
    with Store.open(path, clock=clock) as store:
        store.set_options(LEARNER, deck.deck, desired_retention=retention, leech_action=LEECH)
        if snapshot_at is not None:
            _study_days(store, deck, learner, clock, 0, snapshot_at, run)
            run.extra["answers_first_days"] = run.answers
            store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy_path = workdir / f"snap-{retention:.3f}-{seed}.db"
            shutil.copy(path, copy_path)
            snap = (copy_path, copy.deepcopy(learner))
            _study_days(store, deck, learner, clock, snapshot_at, days, run)
        else:
            _study_days(store, deck, learner, clock, 0, days, run)
    run.seconds = time.perf_counter() - t
    return run, snap


def fitted_run(
    workdir: Path, deck: Deck, snap: tuple[Path, Learner], days: int, retention: float, before: Run
) -> Run:
    """From the day-60 snapshot of the default run at ``retention`` (``before``): fit with
    quiz progress optimize's code on those 60 days, study on at the same retention."""
    path0, learner0 = snap
    fit_info: dict[str, object] = {}
    path = workdir / f"fitted-{path0.stem}.db"
    shutil.copy(path0, path)
    learner = copy.deepcopy(learner0)
    clock = FixedClock(START + timedelta(days=FIT_DAY))
    run = Run(f"quiz fitted  @{retention:.3g}", total_days=days)
    t = time.perf_counter()
    with Store.open(path, clock=clock) as store:
        try:
            result = optimize_learner(store, LEARNER, deck.deck)
            fit_info = {
                "reviews": result.reviews,
                "log_loss": (result.before_eval.log_loss, result.after_eval.log_loss),
                "saved": result.better,
            }
        except NotEnoughReviews as exc:
            fit_info = {"reviews": 0, "log_loss": (math.nan, math.nan), "saved": str(exc)}
        store.set_options(LEARNER, deck.deck, desired_retention=retention, leech_action=LEECH)
        _study_days(store, deck, learner, clock, FIT_DAY, days, run, count_from=FIT_DAY)
    run.seconds = time.perf_counter() - t
    # The first 60 days (same retention, default parameters) count too.
    run.answers += before.extra["answers_first_days"]  # type: ignore[operator]
    run.days += FIT_DAY
    run.extra = dict(fit_info)
    return run


# --- fsrs alone: the same scheduler without quiz around it -------------------------------


def _study_day(when: datetime) -> int:
    """The study day of ``when`` (rollover 4:00 UTC; day 0 is START's)."""
    return (when - (START - timedelta(hours=5))) // timedelta(days=1)


def fsrs_run(
    deck: Deck,
    params: tuple[float, ...],
    seed: int,
    days: int,
    retention: float,
    new_per_day: int = 20,
    reviews_per_day: int = 200,
) -> Run:
    """py-fsrs's Scheduler driven directly (fsrs's default parameters, steps 1m 10m,
    relearning 10m), same daily session as SM-2, Anki's fuzz (as quiz and SM-2 here). The
    only rule added is the one fsrs lacks for daily study: a Review card's elapsed time is
    whole study days (its ``last_review`` moved back to exactly that many days), as Anki
    counts it. No store, queue, session, limits or button ordering of quiz's: the
    reference that tells what quiz's engine adds or costs."""
    sch = Scheduler(desired_retention=retention, enable_fuzzing=False)
    learner = Learner(params, seed)
    cards: dict[str, Card] = {}
    order = [c.id for c in deck.cards]
    run = Run(f"fsrs alone   @{retention:.3g}", total_days=days)
    t = time.perf_counter()
    for day in range(days):
        now = START + timedelta(days=day)
        if day >= days - KNOWLEDGE_DAYS:
            run.samples.append(learner.knowledge(order, now))
        end = now + timedelta(hours=19)  # the next 4:00 rollover
        due = sorted(
            (k for k, c in cards.items() if c.state == 2 and c.due < end),
            key=lambda k: cards[k].due,
        )[:reviews_per_day]
        news = [k for k in order if k not in cards][:new_per_day]
        queue = [(now, k) for k in due + news]
        clock = now
        while queue:
            queue.sort(key=lambda x: x[0])
            when, key = queue.pop(0)
            if when > clock + timedelta(minutes=20) and not any(w <= clock for w, _ in queue):
                clock = when - timedelta(minutes=20)  # learn ahead, as quiz does
            clock = clock + timedelta(seconds=ANSWER_SECONDS)
            card = cards.get(key) or Card(card_id=order.index(key) + 1, due=clock)
            is_review = key in cards and card.state == 2
            if is_review and card.last_review is not None:
                card = copy.copy(card)
                card.last_review = clock - timedelta(
                    days=max(0, _study_day(clock) - _study_day(card.last_review))
                )
            r_true = learner.retrievability(key, clock)
            rating, recalled = learner.answer(key, clock)
            run.answers += 1
            if is_review:
                run.review_answers += 1
                run.review_recalled += int(bool(recalled))
                run.review_r += r_true
            after = sch.review_card(card, Rating(rating), clock)[0]
            if after.state == 2:
                days_ = fuzzed_days((after.due - clock).days, f"{key}:{run.answers}", 36500)
                after.due = clock + timedelta(days=days_)
            cards[key] = after
            if cards[key].due < end and cards[key].state != 2:
                queue.append((cards[key].due, key))
    run.days = days
    run.seconds = time.perf_counter() - t
    return run


# --- SM-2, as Anki's defaults ------------------------------------------------------------


@dataclass
class Sm2Card:
    state: str = "new"  # new, learning, review, relearning
    step: int = 0
    ease: float = 2.5
    ivl: int = 0
    due: datetime | None = None
    last: datetime | None = None
    reps: int = 0
    key: str = ""


def sm2_run(
    deck: Deck,
    params: tuple[float, ...],
    seed: int,
    days: int,
    new_per_day: int = 20,
    reviews_per_day: int = 200,
) -> Run:
    steps = (timedelta(minutes=1), timedelta(minutes=10))
    relearn = timedelta(minutes=10)
    learner = Learner(params, seed)
    cards = {c.id: Sm2Card(key=c.id) for c in deck.cards}
    order = [c.id for c in deck.cards]
    run = Run("SM-2 (Anki defaults)", total_days=days)
    t = time.perf_counter()
    for day in range(days):
        now = START + timedelta(days=day)
        if day >= days - KNOWLEDGE_DAYS:
            run.samples.append(learner.knowledge(order, now))
        end = now + timedelta(hours=19)  # the next 4:00 rollover
        due = sorted(
            (k for k, c in cards.items() if c.state == "review" and c.due < end),
            key=lambda k: cards[k].due,
        )[:reviews_per_day]
        news = [k for k in order if cards[k].state == "new"][:new_per_day]
        queue = [(now, k) for k in due + news]
        clock = now
        while queue:
            queue.sort(key=lambda x: x[0])
            when, key = queue.pop(0)
            if when > clock + timedelta(minutes=20) and not any(w <= clock for w, _ in queue):
                clock = when - timedelta(minutes=20)  # learn ahead, as quiz does
            clock = max(clock, min(when, clock)) + timedelta(seconds=ANSWER_SECONDS)
            c = cards[key]
            r_true = learner.retrievability(key, clock)
            rating, recalled = learner.answer(key, clock)
            run.answers += 1
            if c.state == "review":
                run.review_answers += 1
                run.review_recalled += int(bool(recalled))
                run.review_r += r_true
            nxt = _sm2_answer(c, rating, clock, steps, relearn)
            if nxt is not None and nxt < end:
                queue.append((nxt, key))
    run.days = days
    run.seconds = time.perf_counter() - t
    return run


def _sm2_answer(
    c: Sm2Card, rating: int, now: datetime, steps: tuple[timedelta, ...], relearn: timedelta
) -> datetime | None:
    """Apply one answer; returns when the card is due again if that is a step (else None).
    Review intervals are fuzzed as Anki fuzzes them (also for SM-2), never below the
    ordering minimum."""
    day = timedelta(days=1)
    c.reps += 1

    def fuzz(ivl: int, minimum: int = 1) -> int:
        return fuzzed_days(ivl, f"{c.key}:{c.reps}", 36500, minimum)

    if c.state in ("new", "learning"):
        c.state = "learning"
        if rating == 1:
            c.step = 0
        elif rating == 2:
            pass
        elif rating == 3:
            c.step += 1
        if rating == 4 or c.step >= len(steps):
            c.state, c.ivl = "review", fuzz(4 if rating == 4 else 1)
            c.due, c.last = now + c.ivl * day, now
            return None
        delay = (steps[0] + steps[1]) / 2 if rating == 2 and c.step == 0 else steps[c.step]
        c.due = now + delay
        return c.due
    if c.state == "relearning":
        if rating == 1:
            c.due = now + relearn
            return c.due
        c.state = "review"
        c.due, c.last = now + c.ivl * day, now
        return None
    # review
    late = max(0, (now - c.due).days) if c.due else 0
    if rating == 1:
        c.ease = max(1.3, c.ease - 0.2)
        c.ivl = 1
        c.state = "relearning"
        c.due = now + relearn
        return c.due
    # Anki's ordering: Hard >= previous + 1, Good >= Hard + 1, Easy >= Good + 1
    hard = fuzz(round(c.ivl * 1.2), c.ivl + 1)
    good = fuzz(round((c.ivl + late / 2) * c.ease), hard + 1)
    if rating == 2:
        ivl = hard
        c.ease = max(1.3, c.ease - 0.15)
    elif rating == 3:
        ivl = good
    else:
        ivl = fuzz(round((c.ivl + late) * c.ease * 1.3), good + 1)
        c.ease += 0.15
    c.ivl = min(ivl, 36500)
    c.due, c.last = now + c.ivl * day, now
    return None


# --- comparing --------------------------------------------------------------------------


def answers_at_knowledge(
    runs: list[Run], knowledge: float, cards: int, linear: bool = False
) -> tuple[float, bool]:
    """Answers along ``runs`` (one per desired retention) at ``knowledge``, interpolated
    between the two runs around it; True when it had to extrapolate beyond the runs.

    Answers are interpolated linearly in log(cards - knowledge), the expected number of
    cards forgotten: each step up in retention buys a smaller drop in forgetting for more
    answers, so answers are convex in knowledge and a straight line between two runs
    overstates the answers between them (``linear=True``: that straight line, the method
    of the first version of this bench, for comparison)."""

    def x(k: float) -> float:
        return k if linear else -math.log(max(cards - k, 1e-9))

    pts = sorted((x(r.knowledge), r.answers) for r in runs)
    target = x(knowledge)
    if len(pts) == 1:
        return float(pts[0][1]), True
    for (k0, a0), (k1, a1) in itertools.pairwise(pts):
        if k0 <= target <= k1 and k1 > k0:
            return a0 + (a1 - a0) * (target - k0) / (k1 - k0), False
    (k0, a0), (k1, a1) = (pts[0], pts[1]) if target < pts[0][0] else (pts[-2], pts[-1])
    if k1 == k0:
        return float(a1), True
    return a0 + (a1 - a0) * (target - k0) / (k1 - k0), True


def learner_runs(
    work: Path, deck: Deck, params: tuple[float, ...], seed: int, days: int
) -> tuple[list[Run], list[Run], Run, list[Run]]:
    """quiz default, quiz fitted and fsrs alone at each of RETENTIONS, and SM-2: one
    learner, one seed."""
    runs, fitted, alone = [], [], []
    for r in RETENTIONS:
        run, snap = quiz_run(work, deck, params, seed, r, days, snapshot_at=FIT_DAY)
        assert snap is not None
        runs.append(run)
        fitted.append(fitted_run(work, deck, snap, days, r, run))
        snap[0].unlink()
        alone.append(fsrs_run(deck, params, seed, days, r))
    return runs, fitted, sm2_run(deck, params, seed, days), alone


def pooled(runs: list[Run]) -> Run:
    """Several seeds' runs of one configuration as one: answers and days added, retention
    over all review answers, knowledge averaged."""
    out = Run(runs[0].name, total_days=runs[0].total_days, extra=dict(runs[0].extra))
    for r in runs:
        out.answers += r.answers
        out.review_answers += r.review_answers
        out.review_recalled += r.review_recalled
        out.review_r += r.review_r
        out.days += r.days
        out.seconds += r.seconds
        out.samples.extend(r.samples)
    out.extra["fits"] = [r.extra for r in runs]
    return out


def _ratio_line(label: str, runs: list[Run], sm2: Run, cards: int) -> tuple[float, str]:
    a, ext = answers_at_knowledge(runs, sm2.knowledge, cards)
    a_lin, _ = answers_at_knowledge(runs, sm2.knowledge, cards, linear=True)
    return a / sm2.answers, (
        f"  at SM-2's knowledge {sm2.knowledge:.1f}: quiz {label} {a:.0f} answers"
        f"{' (extrapolated)' if ext else ''} = {a / sm2.answers:.3f}x SM-2's {sm2.answers} "
        f"(straight line in knowledge: {a_lin / sm2.answers:.3f}x)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=150)
    ap.add_argument("--days", type=int, default=150)
    ap.add_argument("--learners", type=int, default=3, help="1-3 of: " + ", ".join(LEARNERS))
    ap.add_argument("--seeds", type=int, default=2, help="Independent runs per learner, pooled.")
    ap.add_argument("--seed", type=int, default=100, help="Seed of the first learner.")
    ap.add_argument(
        "--control",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Also run the control learner fsrs-default, whose memory follows "
        "fsrs's default parameters exactly (one seed; reported apart, not in the "
        "medians).",
    )
    ap.add_argument("--only", help="One learner by name (also: fsrs-default)")
    args = ap.parse_args()
    chosen = list(LEARNERS.items())[: args.learners]
    if args.control:
        chosen += list(CONTROL.items())
    if args.only:
        everyone = {**LEARNERS, **CONTROL}
        if args.only not in everyone:
            ap.error(f"--only: one of {', '.join(everyone)}")
        chosen = [(args.only, everyone[args.only])]
    os.environ.setdefault("QUIZ_TZ", "UTC")
    os.environ["QUIZ_BACKUPS"] = "0"
    deck = make_deck(args.cards)
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    t_all = time.perf_counter()
    summary: dict[str, list[float]] = {"ratio_default": [], "ratio_fitted": []}
    retention_err: dict[str, list[float]] = {}
    control_lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="quiz-bench-sim-", dir=base) as tmp:
        work = Path(tmp)
        print(
            f"{args.cards} cards, {args.days} days, {args.seeds} runs per learner pooled, one "
            f"session a day at 9:00, {ANSWER_SECONDS} s an answer; fitted runs: fit on days "
            f"0-{FIT_DAY} of the default run at the same retention, then study on"
        )
        for i, (name, params) in enumerate(chosen):
            control = name in CONTROL
            seeds = 1 if control and not args.only else args.seeds  # (keeps the run short)
            per_seed = [
                learner_runs(work, deck, params, args.seed + 10 * i + j, args.days)
                for j in range(seeds)
            ]
            runs = [pooled([ps[0][k] for ps in per_seed]) for k in range(len(RETENTIONS))]
            fitted = [pooled([ps[1][k] for ps in per_seed]) for k in range(len(RETENTIONS))]
            sm2 = pooled([ps[2] for ps in per_seed])
            alone = [pooled([ps[3][k] for ps in per_seed]) for k in range(len(RETENTIONS))]
            r_def, line_def = _ratio_line("default", runs, sm2, args.cards)
            r_fit, line_fit = _ratio_line("fitted", fitted, sm2, args.cards)
            r_alone, line_alone = _ratio_line("fsrs alone", alone, sm2, args.cards)
            summary.setdefault("ratio_alone", [])
            if not control:
                summary["ratio_alone"].append(r_alone)
            if not control:
                summary["ratio_default"].append(r_def)
                summary["ratio_fitted"].append(r_fit)
            print(
                f"\nlearner {name!r}{' (control)' if control else ''} (decay {params[20]}, "
                f"initial S {params[0:4]})"
            )
            print(
                f"  {'run':<22} {'retention':>15} {'expected':>8} {'answers/day':>11} "
                f"{'knowledge':>9} {'s':>6}"
            )
            errs = []
            for run in [*runs, *fitted, *alone, sm2]:
                se = (
                    math.sqrt(run.retention * (1 - run.retention) / run.review_answers)
                    if run.review_answers
                    else math.nan
                )
                print(
                    f"  {run.name:<22} {run.retention:9.3f}+-{se:.3f} "
                    f"{run.expected_retention:8.3f} {run.per_day:11.1f} "
                    f"{run.knowledge:9.1f} {run.seconds:6.1f}"
                )
                for want in TARGETS:
                    if run.name.endswith(f"@{want:.3g}"):
                        key = run.name.split("@")[0].replace("quiz", "").strip() + f" {want:.2f}"
                        errs.append(
                            f"{key} {run.retention - want:+.3f} "
                            f"(expected {run.expected_retention - want:+.3f})"
                        )
                        if not control:
                            retention_err.setdefault(key, []).append(run.retention - want)
                            retention_err.setdefault(key + " expected", []).append(
                                run.expected_retention - want
                            )
            for run in fitted:
                fits = run.extra["fits"]
                saved = sum(f["saved"] is True for f in fits)  # type: ignore[index]
                print(
                    f"  {run.name}: fit on days 0-{FIT_DAY}, "
                    + "; ".join(
                        f"{f['reviews']} reviews, log loss {f['log_loss'][0]:.4f} -> "  # type: ignore[index]
                        f"{f['log_loss'][1]:.4f}"
                        if f["reviews"]
                        else "refused (too few reviews)"  # type: ignore[index]
                        for f in fits
                    )
                    + f"; saved {saved}/{len(fits)}"
                )
            print(line_def)
            print(line_fit)
            print(line_alone)
            if control:
                control_lines.append(
                    f"  control {name}: answers at SM-2's knowledge {r_def:.3f}x "
                    f"default, {r_fit:.3f}x fitted, {r_alone:.3f}x fsrs alone; "
                    "realized - desired: " + ", ".join(errs)
                )
    if summary["ratio_default"]:
        print(
            "\nsummary (median over learners; 'retention +-' above is one binomial standard error)"
        )
        print(
            f"  answers at equal knowledge, quiz default / SM-2: "
            f"{statistics.median(summary['ratio_default']):.3f} (target <= 1.05; per learner "
            f"{', '.join(f'{x:.3f}' for x in summary['ratio_default'])})"
        )
        print(
            f"  answers at equal knowledge, fsrs alone   / SM-2: "
            f"{statistics.median(summary['ratio_alone']):.3f} (reference: fsrs without quiz; "
            f"per learner {', '.join(f'{x:.3f}' for x in summary['ratio_alone'])})"
        )
        print(
            f"  answers at equal knowledge, quiz fitted  / SM-2: "
            f"{statistics.median(summary['ratio_fitted']):.3f} (target < 1; per learner "
            f"{', '.join(f'{x:.3f}' for x in summary['ratio_fitted'])})"
        )
        for key in sorted(retention_err):
            errs_k = retention_err[key]
            print(
                f"  realized - desired retention, {key}: median "
                f"{statistics.median(errs_k):+.3f} (per learner "
                f"{', '.join(f'{e:+.3f}' for e in errs_k)}; target within +-0.02)"
            )
    for line in control_lines:
        print(line)
    print(f"  total time {time.perf_counter() - t_all:.0f} s")


if __name__ == "__main__":
    main()
