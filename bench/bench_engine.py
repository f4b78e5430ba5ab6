"""Engine benchmark: next card, record an answer and today's counts on a big store.

Builds (once, cached in bench/out/) a progress database with 50,000 cards and
1,000,000 reviews for one learner, copies it, then times the three operations
over many runs and prints medians. Targets on the 2-core machine: next card
< 5 ms, record an answer < 5 ms, counts < 20 ms.

    python bench/bench_engine.py [--cards 50000] [--reviews 1000000] [--runs 200] [--baseline COMMIT]

``--baseline COMMIT`` also runs the same benchmark with that commit's code, on
the same database in the same run, and prints both side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.store import Store
from quiz.study.clock import FixedClock, to_iso
from quiz.study.queue import Limits, StudyQueue
from quiz.study.scheduling import SchedulerSettings

OUT = Path(__file__).resolve().parent / "out"
NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)
LEARNER = "bench"
DECK = "bench-deck"


def build(path: Path, n_cards: int, n_reviews: int, seed: int = 1) -> None:
    """Create the store with bulk inserts (one transaction per table)."""
    rng = random.Random(seed)
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    store = Store.open(tmp, clock=FixedClock(NOW))
    store.ensure_learner(LEARNER)
    params_id = store.params_id(SchedulerSettings())
    store.close()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous = OFF")
    iso = to_iso
    with conn:
        conn.execute(
            "INSERT INTO decks (id, title, path, first_seen) VALUES (?, ?, ?, ?)",
            [DECK, "Bench deck", None, iso(NOW - timedelta(days=400))],
        )
        conn.executemany(
            "INSERT INTO cards (deck, card_id, content_hash, type, kind, section, grp, first_seen, "
            "retired, position) VALUES (?, ?, ?, 'short', 'fact', ?, ?, ?, 0, ?)",
            (
                (
                    DECK,
                    f"c{i:06d}",
                    f"{i:016x}",
                    f"s{i // 500}",
                    f"g{i // 3}" if i % 10 == 0 else None,
                    iso(NOW - timedelta(days=400)),
                    i,
                )
                for i in range(n_cards)
            ),
        )
    per_card = max(1, n_reviews // max(1, int(n_cards * 0.96)))
    reviewed = min(n_cards, n_reviews // per_card)
    states = []
    with conn:
        batch = []
        written = 0
        for i in range(reviewed):
            cid = f"c{i:06d}"
            count = per_card if written + per_card <= n_reviews else n_reviews - written
            # A learner of ~5 years: each card's reviews spread from its start to now.
            start = NOW - timedelta(days=rng.uniform(30, 1825))
            span = (NOW - timedelta(minutes=5) - start).total_seconds()
            times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
            lapses = 0
            for k, t in enumerate(times):
                rating = rng.choices((1, 2, 3, 4), (1, 1, 7, 1))[0]
                state_before = 0 if k == 0 else 2
                lapses += rating == 1 and state_before == 2
                before = f'{{"state": {state_before}}}'
                batch.append(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128))),
                        LEARNER,
                        DECK,
                        cid,
                        rating,
                        iso(t),
                        rng.randint(2000, 20000),
                        "x",
                        int(rating > 1),
                        "correct",
                        "study",
                        None,
                        params_id,
                        before,
                        '{"state": 2}',
                    )
                )
            t = times[-1]
            written += count
            roll = rng.random()
            if roll < 0.006:
                state, due = 1, NOW + timedelta(minutes=rng.uniform(-30, 30))
            elif roll < 0.012:
                state, due = 3, NOW + timedelta(minutes=rng.uniform(-30, 30))
            else:
                state, due = 2, NOW + timedelta(days=rng.uniform(-2, 300))
            states.append(
                (
                    LEARNER,
                    DECK,
                    cid,
                    state,
                    0 if state != 2 else None,
                    rng.uniform(1, 300),
                    rng.uniform(1, 10),
                    iso(due),
                    iso(t),
                    count,
                    lapses,
                    i,
                )
            )
            if len(batch) >= 50000:
                conn.executemany(
                    "INSERT INTO reviews VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch
                )
                batch = []
        if batch:
            conn.executemany("INSERT INTO reviews VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        conn.executemany(
            "INSERT INTO card_states (learner, deck, card_id, state, step, stability, difficulty, "
            "due, last_review, reps, lapses, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            states,
        )
        conn.execute(
            "INSERT INTO card_states (learner, deck, card_id, state, position) "
            "SELECT ?, deck, card_id, 0, position FROM cards c WHERE deck = ? AND NOT EXISTS "
            "(SELECT 1 FROM card_states s WHERE s.learner = ? AND s.card_id = c.card_id)",
            [LEARNER, DECK, LEARNER],
        )
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(tmp, path)
    for p in (Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=50_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--baseline", help="also run this earlier commit's code, side by side")
    args = ap.parse_args()
    os.environ.setdefault("QUIZ_TZ", "UTC")
    OUT.mkdir(parents=True, exist_ok=True)
    cached = OUT / f"engine-v2-{args.cards}-{args.reviews}.db"
    if not cached.exists():
        t = time.perf_counter()
        build(cached, args.cards, args.reviews)
        print(f"built {cached.name} in {time.perf_counter() - t:.1f} s")
    from baseline import for_this_schema

    cached = for_this_schema(cached, lambda p: build(p, args.cards, args.reviews))
    work = OUT / "engine-work.db"
    for p in (work, Path(str(work) + "-wal"), Path(str(work) + "-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(cached, work)

    clock = FixedClock(NOW)
    store = Store.open(work, clock=clock)
    n_rev = store.db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    n_cards = store.db.execute("SELECT count(*) FROM cards").fetchone()[0]
    queue = StudyQueue(store, LEARNER, DECK, Limits())
    settings = store.scheduler_settings(LEARNER, DECK)

    nexts, records, counts = [], [], []
    for i in range(args.runs):
        clock.set(NOW + timedelta(seconds=20 * i))
        now = clock()
        t = time.perf_counter()
        pick = queue.next_card(now)
        nexts.append(time.perf_counter() - t)
        if pick is None:
            break
        t = time.perf_counter()
        stamp = queue.change_stamp()
        record = store.record_review(
            review_id=str(uuid.uuid4()),
            learner=LEARNER,
            deck=DECK,
            card_id=pick.card_id,
            rating=3,
            now=now,
            duration_ms=5000,
            answer="x",
            correct=True,
            verdict="correct",
            settings=settings,
        )
        queue.note_answer(
            stamp, now, pick.card_id, record.before.state, "study"
        )  # as the session does
        records.append(time.perf_counter() - t)
        t = time.perf_counter()
        queue.counts(now)
        counts.append(time.perf_counter() - t)
    store.close()
    for old in OUT.glob(work.name + ".daily-*"):  # the copy made by the first open of the day
        old.unlink()
    result = {
        "cards": n_cards,
        "reviews": n_rev,
        "runs": len(records),
        "next_card_ms": round(median_ms(nexts), 3),
        "record_answer_ms": round(median_ms(records), 3),
        "counts_ms": round(median_ms(counts), 3),
        "targets_ms": {"next_card": 5, "record_answer": 5, "counts": 20},
    }
    if args.baseline:
        from baseline import run_baseline

        old = run_baseline(
            args.baseline,
            "bench_engine.py",
            ["--cards", str(args.cards), "--reviews", str(args.reviews), "--runs", str(args.runs)],
        )
        result["baseline"] = {"commit": args.baseline} | {
            k: old[k] for k in old if k.endswith("_ms") and k != "targets_ms"
        }
        for key in ("next_card_ms", "record_answer_ms", "counts_ms"):
            print(f"{key:18} {old[key]:9.3f} -> {result[key]:9.3f}  ({args.baseline} -> this tree)")
    print(json.dumps(result, indent=2))
    (OUT / "bench_engine.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
