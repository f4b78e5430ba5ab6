"""Benchmark the study app: start-up to the painted home screen, and rating key to next card.

1. ``quiz --db TMP --decks DECK`` is launched in a pseudo-terminal (100x30) as a
   user would; the clock stops when the home screen shows the deck table with
   its counts. Whole process, median of N runs (target < 1 s).
2. In-process with Textual's headless driver: from a rating (the same code the
   ``3`` key runs) to the next card drawn, including the committed review and the
   repaint. The answer screen is painted before the clock starts, as a learner
   sees it before rating. Median over a session of many cards (target <= 16 ms,
   one frame), in wall time and in CPU time of the process (all threads; less
   sensitive to a loaded machine).

Run: ``/work/venv/bin/python bench/bench_tui.py [--runs 7] [--cards 40] [--baseline COMMIT]``.
``--baseline COMMIT`` also runs this same script on that commit's code (bench/baseline.py),
so each figure is printed beside the earlier code's, measured in the same run. The
machine is shared: figures vary with load; medians reduce the noise. The last JSON
object printed holds the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIZ = shutil.which("quiz") or str(Path(sys.executable).with_name("quiz"))


def make_deck(folder: Path, cards: int = 60) -> Path:
    lines = ["deck: bench-tui", "title: Bench deck", "cards:"]
    for i in range(cards):
        lines += [
            f"  - id: b{i:03d}",
            "    type: short",
            f"    section: Part {i % 5}",
            f"    question: What is item number {i}?",
            f"    answer: item {i}",
            "    source:",
            f"      quote: The list says item {i} is here.",
        ]
    path = folder / "bench.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def time_startup(deck_dir: Path, db: Path) -> tuple[float, float]:
    """Seconds from spawning ``quiz`` to the home screen listing the decks, and to their counts."""
    env = dict(os.environ, QUIZ_DECKS_DIR=str(deck_dir / "none"), TERM="xterm-256color")
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(QUIZ, [QUIZ, "--db", str(db), "--decks", str(deck_dir)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen = b""
    listed = elapsed = float("nan")
    deadline = start + 20
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if listed != listed and b"Bench deck" in seen:  # the deck list is painted
                listed = time.perf_counter() - start
            # ... and the selected deck's counts (the detail line below the table)
            if b"Bench deck" in seen and b"cards to study today" in seen:
                elapsed = time.perf_counter() - start
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return listed, elapsed


async def _rating_times(
    deck_path: Path, db: Path, n: int
) -> tuple[list[float], list[float], list[float]]:
    """Rating to next card drawn (wall, CPU), and the engine's share alone (wall)."""
    os.environ["QUIZ_TZ"] = "UTC"
    from quiz.deck.loader import load_deck
    from quiz.store import Store
    from quiz.study.clock import FixedClock
    from quiz.tui.app import QuizApp
    from quiz.tui.db import DbThread
    from quiz.tui.screens.study import StudyScreen

    deck = load_deck(deck_path)
    clock = FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    thread = DbThread()
    store = thread.call_sync(Store.open, db, clock=clock)
    app = QuizApp(
        store=store, db=thread, learner="bench", clock=clock, study_deck=deck, new_limit=1000
    )
    totals: list[float] = []
    cpu: list[float] = []
    engine: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(n):
            screen = app.screen
            if not isinstance(screen, StudyScreen) or screen.view is None:
                break
            await screen._submit(f"item {int(screen.view.card.id[1:])}")
            await pilot._wait_for_screen()
            for _ in range(3):  # the answer is on screen (settled) before the learner rates
                app.screen._on_timer_update()
                await pilot._wait_for_screen()
            clock.advance(seconds=3)
            c0 = time.process_time()
            t0 = time.perf_counter()
            await screen.rate(4)  # commit, choose the next card, set up its widgets
            await pilot._wait_for_screen()  # every message the change caused is handled
            app.screen._on_timer_update()  # lay out and paint the new card
            await pilot._wait_for_screen()
            totals.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        # engine share alone: the committed rating and the next card, on the DB thread
        session = app.screen.session if isinstance(app.screen, StudyScreen) else None
        if session is not None:
            for _ in range(min(20, n)):
                view = await thread.call(session.next_card)
                if view is None:
                    break
                await thread.call(session.submit, "x")
                t0 = time.perf_counter()
                await thread.call(session.rate, 4)
                await thread.call(session.next_card)
                engine.append(time.perf_counter() - t0)
    thread.call_sync(store.close)
    thread.shutdown()
    return totals, cpu, engine


def ms(samples: list[float]) -> float | None:
    return round(statistics.median(samples) * 1000, 1) if samples else None


FIGURES = {
    "startup_listed_ms": "start-up to home with its deck list",
    "startup_counts_ms": "start-up to home with counts painted (target < 1000)",
    "rating_next_ms": "rating -> next card drawn, wall (target <= 16)",
    "rating_next_cpu_ms": "rating -> next card drawn, CPU",
    "engine_ms": "  of which engine (commit + next card), wall",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up runs")
    parser.add_argument("--cards", type=int, default=40, help="cards rated in the session")
    parser.add_argument(
        "--baseline",
        metavar="COMMIT",
        help="also run this script on that commit's code, side by side",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        deck_dir = folder / "decks"
        deck_dir.mkdir()
        deck_path = make_deck(deck_dir)
        time_startup(deck_dir, folder / "warm.db")  # warm the file cache once
        runs = [time_startup(deck_dir, folder / f"s{i}.db") for i in range(args.runs)]
        listed = [r[0] for r in runs if r[0] == r[0]]
        startups = [r[1] for r in runs if r[1] == r[1]]
        totals, cpu, engine = asyncio.run(_rating_times(deck_path, folder / "r.db", args.cards))
    result: dict[str, object] = {
        "startup_listed_ms": ms(listed),
        "startup_counts_ms": ms(startups),
        "rating_next_ms": ms(totals),
        "rating_next_cpu_ms": ms(cpu),
        "rating_next_max_ms": round(max(totals) * 1000, 1) if totals else None,
        "engine_ms": ms(engine),
        "startup_runs": len(startups),
        "cards": len(totals),
    }
    if args.baseline:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from baseline import run_baseline

        old = run_baseline(
            args.baseline,
            "bench_tui.py",
            ["--runs", str(args.runs), "--cards", str(args.cards)],
            this_script=True,
        )
        result["baseline"] = {"commit": args.baseline} | {
            k: old.get(k) for k in (*FIGURES, "rating_next_max_ms")
        }
        print(
            f"medians in ms, {args.baseline} -> this tree (same run; "
            f"{args.runs} start-ups, {args.cards} cards each)"
        )
        for key, label in FIGURES.items():
            print(f"{label:54} {old.get(key)!s:>7} -> {result[key]!s:>7}")
    else:
        for key, label in FIGURES.items():
            print(f"{label:54} {result[key]!s:>7}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
