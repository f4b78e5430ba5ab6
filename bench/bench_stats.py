"""Benchmark: all statistics for one learner with 1,000,000 reviews (target < 1 s).

Builds (once, cached in bench/out/) a progress database with 50,000 cards in
20 sections and 1,000,000 reviews spread over three years, then times
``quiz.stats.compute_stats`` in-process (median of 5) and the whole
``quiz stats --json`` process (median of 3), and ``quiz report`` in-process.

Run: ``python bench/bench_stats.py [--baseline COMMIT]`` (the baseline: that commit's
code on its own copy of the same database, in the same run, printed side by side).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from quiz.store.schema import migrations
from quiz.study.clock import to_iso
from quiz.study.studyday import StudyDay

OUT = Path(__file__).parent / "out"
DB_PATH = OUT / "stats-1m.db"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CARDS = 50_000
REVIEWS = 1_000_000
LEARNER = "bench"
DECK = "bench-deck"


def build(path: Path) -> None:
    """A synthetic store: 20 reviews per card over the last ~3 years."""
    rng = random.Random(7)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = Database(tmp)
    migrations.apply(db)
    start = NOW - timedelta(days=3 * 365)
    with db.atomic():
        db["learners"].insert({"name": LEARNER, "created_at": to_iso(start), "settings": "{}"})
        db["decks"].insert(
            {"id": DECK, "title": "Bench", "first_seen": to_iso(start), "settings": "{}"}
        )
        db["scheduler_params"].insert(
            {
                "id": 1,
                "parameters": json.dumps(list(__import__("fsrs").scheduler.DEFAULT_PARAMETERS)),
                "desired_retention": 0.9,
                "learning_steps": "[60, 600]",
                "relearning_steps": "[600]",
                "maximum_interval": 36500,
                "enable_fuzzing": 1,
            }
        )
        db["cards"].insert_all(
            (
                {
                    "deck": DECK,
                    "card_id": f"c{i:05d}",
                    "content_hash": f"h{i}",
                    "type": "short",
                    "kind": "fact",
                    "section": f"Section {i % 20:02d}",
                    "grp": None,
                    "first_seen": to_iso(start),
                    "retired": 0,
                }
                for i in range(CARDS)
            ),
            batch_size=5000,
        )
    per_card = REVIEWS // CARDS
    span = (NOW - start).total_seconds()
    reviews = []
    states = []
    for i in range(CARDS):
        cid = f"c{i:05d}"
        t0 = start.timestamp() + rng.random() * span * 0.3
        times = sorted(t0 + rng.random() * (NOW.timestamp() - t0) for _ in range(per_card))
        state, stab, last, lapses = 0, None, None, 0
        for k, t in enumerate(times):
            when = datetime.fromtimestamp(t, UTC)
            rating = rng.choices((1, 2, 3, 4), (10, 10, 70, 10))[0]
            before = {
                "state": state,
                "stability": stab,
                "difficulty": 5.0,
                "due": to_iso(when) if last else None,
                "last_review": last,
                "reps": k,
                "lapses": lapses,
            }
            if state == 0:
                state, stab = 1, 2.0
            elif rating == 1:
                lapses += state == 2
                state, stab = 3 if state == 2 else 1, max(0.5, (stab or 1) / 2)
            else:
                state, stab = 2, (stab or 1) * 1.8
            last = to_iso(when)
            due = to_iso(when + timedelta(days=stab))
            after = {
                **before,
                "state": state,
                "stability": stab,
                "due": due,
                "last_review": last,
                "reps": k + 1,
                "lapses": lapses,
            }
            if k:
                before["due"] = to_iso(
                    datetime.fromisoformat(before["last_review"])
                    + timedelta(days=before["stability"])
                )
            reviews.append(
                (
                    f"r{i:05d}-{k:02d}",
                    LEARNER,
                    DECK,
                    cid,
                    rating,
                    last,
                    rng.randint(2000, 20000),
                    None,
                    None,
                    "self",
                    "study",
                    None,
                    1,
                    json.dumps(before),
                    json.dumps(after),
                )
            )
        states.append(
            (
                LEARNER,
                DECK,
                cid,
                state,
                None,
                stab,
                5.0,
                due,
                last,
                per_card,
                lapses,
                0,
                None,
                0,
                None,
                int(lapses >= 8),
            )
        )
    reviews.sort(key=lambda r: r[5])
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO reviews (id, learner, deck, card_id, rating, reviewed_at, duration_ms, answer,"
            " correct, verdict, mode, session_id, params_id, state_before, state_after)"
            " VALUES (" + ",".join("?" * 15) + ")",
            reviews,
        )
        db.conn.executemany(
            "INSERT INTO card_states (learner, deck, card_id, state, step, stability, difficulty, due,"
            " last_review, reps, lapses, suspended, buried_until, flagged, flag_comment, leech)"
            " VALUES (" + ",".join("?" * 16) + ")",
            states,
        )
    db.execute("ANALYZE")
    db.close()
    tmp.rename(path)


def _median_runs(fn, runs: int) -> tuple[float, float, list[float]]:
    """Median wall and CPU seconds of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), walls


def main() -> None:
    global DB_PATH
    if not DB_PATH.exists():
        t = time.perf_counter()
        build(DB_PATH)
        print(f"built {DB_PATH} in {time.perf_counter() - t:.1f} s")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from baseline import for_this_schema

    DB_PATH = for_this_schema(DB_PATH, build)
    import sqlite3

    from quiz.report import build_report
    from quiz.stats import compute_stats

    sd = StudyDay(4, ZoneInfo("Europe/Berlin"))
    results: dict[str, float] = {}
    targets = [("stats-1m (log in time order)", DB_PATH, NOW)]
    engine_db = (
        OUT / "engine-v2-50000-1000000.db"
    )  # the engine's bench store: rows stored card by card
    if engine_db.exists():
        engine_db = for_this_schema(engine_db, lambda p: None)
        targets.append(("engine bench store (rows scattered)", engine_db, None))
    for label, path, now in targets:
        db = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        learner = db.execute("SELECT name FROM learners LIMIT 1").fetchone()[0]
        n = db.execute("SELECT count(*) FROM reviews WHERE learner = ?", [learner]).fetchone()[0]
        when = now or datetime.fromisoformat(
            db.execute("SELECT max(reviewed_at) FROM reviews").fetchone()[0]
        )
        compute_stats(db, learner, None, now=when, study_day=sd)  # warm the OS page cache
        wall, cpu, runs = _median_runs(
            lambda db=db, learner=learner, when=when: compute_stats(
                db, learner, None, now=when, study_day=sd
            ),
            5,
        )
        print(
            f"{label}: {n} reviews; compute_stats (all decks) median {wall * 1000:.0f} ms wall, "
            f"{cpu * 1000:.0f} ms CPU (runs: {', '.join(f'{x * 1000:.0f}' for x in runs)})"
        )
        results[f"{label} wall_ms"] = round(wall * 1000)
        results[f"{label} cpu_ms"] = round(cpu * 1000)
        db.close()
    wall, cpu, _ = _median_runs(lambda: build_report([DB_PATH], now=NOW, study_day=sd), 1)
    print(f"build_report (1 learner, 50k cards, 1M reviews): {wall * 1000:.0f} ms wall")
    base, full = [], []
    env = {"QUIZ_TZ": "Europe/Berlin", "PATH": "/usr/bin", "QUIZ_NOW": NOW.isoformat()}
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import quiz.cli"], check=True)
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "quiz",
                "stats",
                "--db",
                str(DB_PATH),
                "--learner",
                LEARNER,
                "--json",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        full.append(time.perf_counter() - t)
    print(
        f"whole process `quiz stats --json` (1M reviews): median {statistics.median(full) * 1000:.0f} ms;"
        f" `import quiz.cli` alone: median {statistics.median(base) * 1000:.0f} ms"
    )
    results["whole_process_ms"] = round(statistics.median(full) * 1000)
    for copy in OUT.glob("*.db.daily-*"):  # the daily backups quiz made of the bench databases
        copy.unlink()
    results["import_only_ms"] = round(statistics.median(base) * 1000)
    (OUT / "bench_stats.json").write_text(json.dumps(results, indent=2) + "\n")
    if len(sys.argv) > 2 and sys.argv[1] == "--baseline":
        from baseline import run_baseline

        old = run_baseline(sys.argv[2], "bench_stats.py", [], result_file="bench_stats.json")
        print(f"\nside by side ({sys.argv[2]} -> this tree), medians:")
        for key, value in results.items():
            if key in old:
                print(f"  {key:50} {old[key]:>7} -> {value:>7}")


if __name__ == "__main__":
    main()
