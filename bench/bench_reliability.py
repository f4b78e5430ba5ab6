"""Reliability figures for issue 7, measured in one run.

- the SIGKILL test and the 30-second concurrency test (tests/test_reliability_kill.py,
  tests/test_reliability_concurrency.py): kills survived, answers checked,
  reviews written by concurrent processes, and their wall time;
- the loader fuzz test (tests/test_deck_fuzz.py): examples run;
- the malformed-deck benchmark (bench/bench_bad_decks.py): files tried, the
  slowest wall time and the biggest peak memory of ``quiz check`` (targets 2 s, 200 MB);
- the cost of the daily backup at start-up: whole-process ``quiz cards
  suspended`` on a small and a medium database, on a day whose backup exists
  (no copy) and on a new day (copy + check), medians and their ratio.

    /work/venv/bin/python bench/bench_reliability.py [--runs 5] [--skip-tests] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run_pytest(*args: str) -> tuple[str, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [PY, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"tests failed: {' '.join(args)}")
    return out.stdout, wall


def crash_and_concurrency() -> dict[str, float | int]:
    out, wall_kill = run_pytest("tests/test_reliability_kill.py")
    m = re.search(
        r"(\d+) kills survived.*?(\d+) runs, (\d+) acknowledged answers checked, "
        r"(\d+) reviews stored",
        out,
    )
    assert m, out
    out2, wall_conc = run_pytest("tests/test_reliability_concurrency.py")
    m2 = re.search(r"(\d+) reviews written \((\d+) by two processes", out2)
    assert m2, out2
    return {
        "kills_survived": int(m.group(1)),
        "kill_runs": int(m.group(2)),
        "answers_checked": int(m.group(3)),
        "reviews_after_kills": int(m.group(4)),
        "kill_test_wall_s": round(wall_kill, 1),
        "concurrency_reviews_written": int(m2.group(1)),
        "concurrency_same_learner_reviews": int(m2.group(2)),
        "concurrency_test_wall_s": round(wall_conc, 1),
    }


def fuzz_examples() -> int:
    out, _ = run_pytest("tests/test_deck_fuzz.py", "--hypothesis-show-statistics")
    return sum(int(n) for n in re.findall(r"(\d+) passing\b", out))


def malformed_decks() -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bad.json"
        subprocess.run(
            [PY, str(ROOT / "bench" / "bench_bad_decks.py"), "--runs", "1", "--json", str(target)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        summary = json.loads(target.read_text())["summary"]
    return {
        "malformed_files_tried": summary["cases"],
        "malformed_max_wall_s": round(summary["max_wall_s"], 3),
        "malformed_max_peak_mb": round(summary["max_peak_mb"], 1),
    }


def make_db(path: Path, reviews: int) -> None:
    """A progress database with ``reviews`` review rows (made directly, quickly)."""
    sys.path.insert(0, str(ROOT))
    from quiz.deck.model import Deck
    from quiz.store import Store
    from quiz.study.clock import FixedClock

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    deck = Deck.model_validate(
        {
            "deck": "d",
            "title": "D",
            "cards": [
                {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(500)
            ],
        }
    )
    with Store.open(path, clock=FixedClock(t0)) as store:
        store.sync_deck(deck)
        store.ensure_states("ann", "d")
        state = json.dumps({"state": 2, "stability": 12.5, "difficulty": 5.1, "due": "2026-02-01"})
        rows = [
            (
                f"r{i}",
                "ann",
                "d",
                f"c{i % 500}",
                3,
                (t0 + timedelta(minutes=i)).isoformat(),
                4000,
                "answer text",
                1,
                "correct",
                "study",
                "s",
                state,
                state,
            )
            for i in range(reviews)
        ]
        with store.transaction() as db:
            db.conn.executemany(
                "INSERT INTO reviews (id, learner, deck, card_id, rating, reviewed_at, duration_ms, "
                "answer, correct, verdict, mode, session_id, state_before, state_after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def open_cost(reviews: int, runs: int) -> dict[str, float]:
    """Median whole-process time of a command that opens the store, with and without a backup."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        make_db(db, reviews)
        size_mb = db.stat().st_size / 1e6
        base = datetime(2026, 6, 1, 12, tzinfo=UTC)

        def once(day: int) -> float:
            env = {
                **os.environ,
                "QUIZ_NOW": (base + timedelta(days=day)).isoformat(),
                "QUIZ_TZ": "UTC",
            }
            started = time.perf_counter()
            subprocess.run(
                [PY, "-m", "quiz", "cards", "suspended", "--db", str(db)],
                env=env,
                check=True,
                capture_output=True,
            )
            return time.perf_counter() - started

        once(0)  # today's copy exists from here on
        same_day, new_day = [], []
        for i in range(runs):  # interleaved, so load changes hit both alike
            same_day.append(once(0))
            new_day.append(once(1 + i))
        no_copy = statistics.median(same_day)
        with_copy = statistics.median(new_day)
    return {
        "db_mb": round(size_mb, 1),
        "open_no_backup_s": round(no_copy, 3),
        "open_with_backup_s": round(with_copy, 3),
        "ratio": round(with_copy / no_copy, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-tests", action="store_true", help="only the backup timings")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    if not args.skip_tests:
        figures.update(crash_and_concurrency())
        figures["fuzz_examples_run"] = fuzz_examples()
        figures.update(malformed_decks())
    figures["backup_small"] = open_cost(2_000, args.runs)
    figures["backup_medium"] = open_cost(60_000, args.runs)
    for key, value in figures.items():
        print(f"{key:34} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
