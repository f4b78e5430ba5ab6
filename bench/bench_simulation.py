"""Engine simulation: simulated learners studied through quiz's own StudySession, against
Anki's SM-2 on the same learners, in the same run.

Each learner's memory follows an FSRS-form forgetting curve with *their own* parameters
(not fsrs's defaults): a faster forgetter with a steep curve, a slow forgetter, and one in
between. Recall of a card is drawn from that learner's true retrievability at the moment
it is asked (continuous time); a recalled card is rated Hard/Good/Easy in fixed
proportions, a new card's first rating is drawn as in Anki's simulator.

- **quiz**: one ``StudySession`` a day at 9:00 (injected clock; learning steps answered
  within the session via learn-ahead), every card the queue offers answered, 8 s each.
  Run with fsrs's default parameters at desired retention 0.80, 0.90 and 0.95; and
  with parameters fitted by ``quiz progress optimize`` (:func:`optimize_learner`) on the
  learner's first 60 days at 0.90, then studied on with them (days 60-end) at 0.80, 0.90
  and 0.95. Each learner is run with two seeds (--seeds), pooled.
- **SM-2**: Anki's defaults (steps 1m 10m, graduating 1 d, easy 4 d, starting ease 2.5,
  Hard x1.2 and -0.15, Easy x1.3 and +0.15, lapse -0.2 with a 10m relearning step and a
  1-day new interval, minimum ease 1.3), same daily session, same limits (20 new, 200
  reviews a day).

Printed per learner and run: realized true retention (share of review-queue answers
recalled), answers a day (learning steps included), knowledge at the end (sum of the
true retrievability of every card, mean over the last 30 mornings before the session), and the ratio of answers at SM-2's knowledge
(quiz's answers interpolated along its retention curve at the knowledge SM-2 reached,
divided by SM-2's answers). Medians over learners for the summary.

    /work/venv-sched/bin/python bench/bench_simulation.py [--cards 150] [--days 150] [--learners 3]
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
from quiz.study.scheduling import DEFAULT_PARAMETERS
from quiz.study.session import StudySession

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANSWER_SECONDS = 8
FIRST_RATING = (0.24, 0.094, 0.495, 0.171)  # Again, Hard, Good, Easy (Anki's simulator)
RECALLED_RATING = (0.15, 0.75, 0.10)  # Hard, Good, Easy when recalled
FIT_DAY = 60
RETENTIONS = (0.80, 0.90, 0.95)
FITTED_RETENTIONS = (0.80, 0.90, 0.95)
KNOWLEDGE_DAYS = 30  # knowledge at the end: mean over the last 30 mornings
LEARNER = "sim"


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
        self.truth = Scheduler(parameters=params, learning_steps=(), relearning_steps=(),
                               enable_fuzzing=False)
        self.decay = params[20]
        self.factor = 0.9 ** (-1 / self.decay) - 1
        self.memory: dict[str, Card] = {}
        self.rng = random.Random(seed)

    def retrievability(self, key: str, now: datetime) -> float:
        mem = self.memory.get(key)
        if mem is None or mem.last_review is None:
            return 0.0
        days = max(0.0, (now - mem.last_review).total_seconds() / 86400)
        return (1 + self.factor * days / mem.stability) ** -self.decay

    def answer(self, key: str, now: datetime) -> tuple[int, bool | None]:
        """(rating, recalled) for card ``key`` asked at ``now``; recalled None when new."""
        mem = self.memory.get(key)
        if mem is None:
            rating = self.rng.choices((1, 2, 3, 4), FIRST_RATING)[0]
            recalled = None
            mem = Card(card_id=len(self.memory) + 1)
        else:
            recalled = self.rng.random() < self.retrievability(key, now)
            rating = self.rng.choices((2, 3, 4), RECALLED_RATING)[0] if recalled else 1
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
    def per_day(self) -> float:
        return self.answers / self.days if self.days else 0.0


def make_deck(n: int) -> Deck:
    return Deck.model_validate({
        "deck": "sim", "title": "Simulated deck",
        "cards": [{"id": f"c{i:04d}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                  for i in range(n)],
    })


def _study_days(store: Store, deck: Deck, learner: Learner, clock: FixedClock, first: int,
                last: int, run: Run, count_from: int = 0) -> None:
    """One session a day at 9:00 for days [first, last)."""
    keys = [c.id for c in deck.cards]
    for day in range(first, last):
        clock.set(START + timedelta(days=day))
        if day >= run.total_days - KNOWLEDGE_DAYS:
            run.samples.append(learner.knowledge(keys, clock()))
        s = StudySession(store, deck, LEARNER, clock=clock, seed=day)
        while (view := s.next_card()) is not None:
            clock.advance(seconds=ANSWER_SECONDS)
            rating, recalled = learner.answer(view.card.id, clock())
            s.reveal()
            s.rate(rating)
            if day >= count_from:
                run.answers += 1
                if view.queue == "review":
                    run.review_answers += 1
                    run.review_recalled += int(bool(recalled))
        s.close()
    run.days += max(0, last - max(first, count_from))


def quiz_run(workdir: Path, deck: Deck, params: tuple[float, ...], seed: int, retention: float,
             days: int, snapshot_at: int | None = None) -> tuple[Run, tuple[Path, Learner] | None]:
    """quiz with fsrs's default parameters at ``retention``; optionally a copy of the
    database and learner at day ``snapshot_at``."""
    path = workdir / f"quiz-{retention:.2f}-{seed}.db"
    clock = FixedClock(START)
    learner = Learner(params, seed)
    run = Run(f"quiz default @{retention:.2f}", total_days=days)
    snap = None
    t = time.perf_counter()
    with Store.open(path, clock=clock) as store:
        store.set_options(LEARNER, deck.deck, desired_retention=retention)
        if snapshot_at is not None:
            _study_days(store, deck, learner, clock, 0, snapshot_at, run)
            store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy_path = workdir / f"snap-{seed}.db"
            shutil.copy(path, copy_path)
            snap = (copy_path, copy.deepcopy(learner))
            _study_days(store, deck, learner, clock, snapshot_at, days, run)
        else:
            _study_days(store, deck, learner, clock, 0, days, run)
    run.seconds = time.perf_counter() - t
    return run, snap


def fitted_runs(workdir: Path, deck: Deck, snap: tuple[Path, Learner], days: int,
                retentions: tuple[float, ...], before: Run) -> list[Run]:
    """From the day-60 snapshot: fit with quiz progress optimize's code, study on."""
    path0, learner0 = snap
    out = []
    fit_info: dict[str, object] = {}
    for retention in retentions:
        path = workdir / f"fitted-{retention:.2f}-{path0.stem}.db"
        shutil.copy(path0, path)
        learner = copy.deepcopy(learner0)
        clock = FixedClock(START + timedelta(days=FIT_DAY))
        run = Run(f"quiz fitted  @{retention:.2f}", total_days=days)
        t = time.perf_counter()
        with Store.open(path, clock=clock) as store:
            try:
                result = optimize_learner(store, LEARNER, deck.deck)
                fit_info = {"reviews": result.reviews, "log_loss": (result.before_eval.log_loss,
                            result.after_eval.log_loss), "saved": result.better}
            except NotEnoughReviews as exc:
                fit_info = {"reviews": 0, "log_loss": (math.nan, math.nan), "saved": str(exc)}
            store.set_options(LEARNER, deck.deck, desired_retention=retention)
            _study_days(store, deck, learner, clock, FIT_DAY, days, run, count_from=FIT_DAY)
        run.seconds = time.perf_counter() - t
        # The first 60 days (at 0.90 with default parameters) count too.
        run.answers += before.extra["answers_first_days"]  # type: ignore[operator]
        run.days += FIT_DAY
        run.extra = dict(fit_info)
        out.append(run)
    return out


# --- SM-2, as Anki's defaults ------------------------------------------------------------

@dataclass
class Sm2Card:
    state: str = "new"  # new, learning, review, relearning
    step: int = 0
    ease: float = 2.5
    ivl: int = 0
    due: datetime | None = None
    last: datetime | None = None


def sm2_run(deck: Deck, params: tuple[float, ...], seed: int, days: int,
            new_per_day: int = 20, reviews_per_day: int = 200) -> Run:
    steps = (timedelta(minutes=1), timedelta(minutes=10))
    relearn = timedelta(minutes=10)
    learner = Learner(params, seed)
    cards = {c.id: Sm2Card() for c in deck.cards}
    order = [c.id for c in deck.cards]
    run = Run("SM-2 (Anki defaults)", total_days=days)
    t = time.perf_counter()
    for day in range(days):
        now = START + timedelta(days=day)
        if day >= days - KNOWLEDGE_DAYS:
            run.samples.append(learner.knowledge(order, now))
        end = now + timedelta(hours=19)  # the next 4:00 rollover
        due = sorted((k for k, c in cards.items() if c.state == "review" and c.due < end),
                     key=lambda k: cards[k].due)[:reviews_per_day]
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
            rating, recalled = learner.answer(key, clock)
            run.answers += 1
            if c.state == "review":
                run.review_answers += 1
                run.review_recalled += int(bool(recalled))
            nxt = _sm2_answer(c, rating, clock, steps, relearn)
            if nxt is not None and nxt < end:
                queue.append((nxt, key))
    run.days = days
    run.seconds = time.perf_counter() - t
    return run


def _sm2_answer(c: Sm2Card, rating: int, now: datetime, steps: tuple[timedelta, ...],
                relearn: timedelta) -> datetime | None:
    """Apply one answer; returns when the card is due again if that is a step (else None)."""
    day = timedelta(days=1)
    if c.state in ("new", "learning"):
        c.state = "learning"
        if rating == 1:
            c.step = 0
        elif rating == 2:
            pass
        elif rating == 3:
            c.step += 1
        if rating == 4 or c.step >= len(steps):
            c.state, c.ivl = "review", 4 if rating == 4 else 1
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
    if rating == 2:
        ivl = max(c.ivl + 1, round(c.ivl * 1.2))
        c.ease = max(1.3, c.ease - 0.15)
    elif rating == 3:
        ivl = max(c.ivl + 1, round((c.ivl + late / 2) * c.ease))
    else:
        ivl = max(c.ivl + 1, round((c.ivl + late) * c.ease * 1.3))
        c.ease += 0.15
    c.ivl = min(ivl, 36500)
    c.due, c.last = now + c.ivl * day, now
    return None


# --- comparing --------------------------------------------------------------------------

def answers_at_knowledge(runs: list[Run], knowledge: float) -> tuple[float, bool]:
    """Answers interpolated (linearly in knowledge) along ``runs`` at ``knowledge``;
    True when it had to extrapolate beyond the runs."""
    pts = sorted((r.knowledge, r.answers) for r in runs)
    if len(pts) == 1:
        return float(pts[0][1]), True
    for (k0, a0), (k1, a1) in itertools.pairwise(pts):
        if k0 <= knowledge <= k1 and k1 > k0:
            return a0 + (a1 - a0) * (knowledge - k0) / (k1 - k0), False
    (k0, a0), (k1, a1) = (pts[0], pts[1]) if knowledge < pts[0][0] else (pts[-2], pts[-1])
    if k1 == k0:
        return float(a1), True
    return a0 + (a1 - a0) * (knowledge - k0) / (k1 - k0), True


def learner_runs(work: Path, deck: Deck, params: tuple[float, ...], seed: int,
                 days: int) -> tuple[list[Run], list[Run], Run]:
    """quiz default at RETENTIONS, quiz fitted at FITTED_RETENTIONS, SM-2: one learner, one seed."""
    runs = []
    snap = None
    for r in RETENTIONS:
        run, s = quiz_run(work, deck, params, seed, r, days,
                          snapshot_at=FIT_DAY if r == 0.90 else None)
        runs.append(run)
        if s is not None:
            snap = s
            # answers in the first FIT_DAY days of this run count for the fitted runs
            first_path = work / "first.db"
            shutil.copy(s[0], first_path)
            with Store.open(first_path, clock=FixedClock(START)) as st:
                run.extra["answers_first_days"] = st.db.execute(
                    "SELECT count(*) FROM reviews WHERE mode = 'study'").fetchone()[0]
    base90 = next(r for r in runs if r.name.endswith("0.90"))
    assert snap is not None
    fitted = fitted_runs(work, deck, snap, days, FITTED_RETENTIONS, base90)
    return runs, fitted, sm2_run(deck, params, seed, days)


def pooled(runs: list[Run]) -> Run:
    """Several seeds' runs of one configuration as one: answers and days added, retention
    over all review answers, knowledge averaged."""
    out = Run(runs[0].name, total_days=runs[0].total_days, extra=dict(runs[0].extra))
    for r in runs:
        out.answers += r.answers
        out.review_answers += r.review_answers
        out.review_recalled += r.review_recalled
        out.days += r.days
        out.seconds += r.seconds
        out.samples.extend(r.samples)
    out.extra["fits"] = [r.extra for r in runs]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=150)
    ap.add_argument("--days", type=int, default=150)
    ap.add_argument("--learners", type=int, default=3, help="1-3 of: " + ", ".join(LEARNERS))
    ap.add_argument("--seeds", type=int, default=2, help="Independent runs per learner, pooled.")
    ap.add_argument("--seed", type=int, default=100, help="Seed of the first learner.")
    ap.add_argument("--only", help="One learner by name (also: fsrs-default, a learner whose "
                    "memory follows fsrs's default parameters exactly)")
    args = ap.parse_args()
    chosen = list(LEARNERS.items())[: args.learners]
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
    with tempfile.TemporaryDirectory(prefix="quiz-bench-sim-", dir=base) as tmp:
        work = Path(tmp)
        print(f"{args.cards} cards, {args.days} days, {args.seeds} runs per learner pooled, one "
              f"session a day at 9:00, {ANSWER_SECONDS} s an answer; fit on days 0-{FIT_DAY}")
        for i, (name, params) in enumerate(chosen):
            per_seed = [learner_runs(work, deck, params, args.seed + 10 * i + j, args.days)
                        for j in range(args.seeds)]
            runs = [pooled([ps[0][k] for ps in per_seed]) for k in range(len(RETENTIONS))]
            fitted = [pooled([ps[1][k] for ps in per_seed]) for k in range(len(FITTED_RETENTIONS))]
            sm2 = pooled([ps[2] for ps in per_seed])
            k = sm2.knowledge
            a_def, ext_def = answers_at_knowledge(runs, k)
            a_fit, ext_fit = answers_at_knowledge(fitted, k)
            summary["ratio_default"].append(a_def / sm2.answers)
            summary["ratio_fitted"].append(a_fit / sm2.answers)
            print(f"\nlearner {name!r} (decay {params[20]}, initial S {params[0:4]})")
            print(f"  {'run':<22} {'retention':>9} {'answers/day':>11} {'knowledge':>9} {'s':>6}")
            for run in [*runs, *fitted, sm2]:
                print(f"  {run.name:<22} {run.retention:9.3f} {run.per_day:11.1f} "
                      f"{run.knowledge:9.1f} {run.seconds:6.1f}")
                for want in (0.80, 0.90, 0.95):
                    if run.name.endswith(f"@{want:.2f}"):
                        key = ("fitted " if "fitted" in run.name else "default ") + f"{want:.2f}"
                        retention_err.setdefault(key, []).append(run.retention - want)
            for fit in fitted[0].extra["fits"]:  # type: ignore[union-attr]
                print(f"  fit on days 0-{FIT_DAY}: {fit['reviews']} reviews, log loss "
                      f"{fit['log_loss'][0]:.4f} -> {fit['log_loss'][1]:.4f}, saved: {fit['saved']}")
            print(f"  at SM-2's knowledge {k:.1f}: quiz default {a_def:.0f} answers"
                  f"{' (extrapolated)' if ext_def else ''} = {a_def / sm2.answers:.3f}x SM-2's "
                  f"{sm2.answers}; quiz fitted {a_fit:.0f}{' (extrapolated)' if ext_fit else ''} "
                  f"= {a_fit / sm2.answers:.3f}x")
    print("\nsummary (median over learners)")
    print(f"  answers at equal knowledge, quiz default / SM-2: "
          f"{statistics.median(summary['ratio_default']):.3f} (target <= 1.05; per learner "
          f"{', '.join(f'{x:.3f}' for x in summary['ratio_default'])})")
    print(f"  answers at equal knowledge, quiz fitted  / SM-2: "
          f"{statistics.median(summary['ratio_fitted']):.3f} (target < 1; per learner "
          f"{', '.join(f'{x:.3f}' for x in summary['ratio_fitted'])})")
    for key in sorted(retention_err):
        errs = retention_err[key]
        print(f"  realized - desired retention, {key}: median {statistics.median(errs):+.3f} "
              f"(per learner {', '.join(f'{e:+.3f}' for e in errs)}; target within +-0.02)")
    print(f"  total time {time.perf_counter() - t_all:.0f} s")


if __name__ == "__main__":
    main()
