"""Hostile deck benchmark: wall time and peak memory of ``quiz check`` on bad input.

Runs ``python -m quiz check FILE`` as a real process on every malformed deck
in tests/fixtures/bad_decks/, a 50 MB file, 9 MB of tiny values and a directory (made in a temp
folder), and a valid deck as the baseline (process start-up). Each case runs
``--runs`` times; prints the median wall time, the peak resident memory of
the child (``ru_maxrss`` from ``wait4``) and the ratio to the baseline.
Targets (issue 7): every case under 2 s and 200 MB. Also times loading a
500-card deck in-process (target: well under 100 ms).

    /work/venv/bin/python bench/bench_bad_decks.py [--runs 3] [--json bench/out/bench_bad_decks.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BAD = ROOT / "tests" / "fixtures" / "bad_decks"
BASELINE = ROOT / "decks" / "example-geography.yaml"
TIME_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 200.0


def _no_op() -> None:
    """Run in the child before exec; forces fork() so ru_maxrss is the child's own."""


def write_huge_deck(path: Path, size: int) -> None:
    """A syntactically plain deck of ``size`` bytes, written in chunks (little memory)."""
    chunk = b"  - id: x\n" * 100_000
    with path.open("wb") as fh:
        fh.write(b"deck: huge\ntitle: T\ncards:\n")
        written = 0
        while written < size:
            fh.write(chunk)
            written += len(chunk)


def run_measured(path: Path) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS in MB, exit status, stdout) of one ``quiz check`` process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "quiz", "check", str(path)],
            stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT,
            # a real fork (not vfork): the child's peak memory then starts from this
            # small process's current size, not from its high-water mark
            preexec_fn=_no_op,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return wall, usage.ru_maxrss / 1024, proc.returncode, text


def load_500_ms(runs: int) -> float:
    """Median in-process time to load a 500-card deck (written from the example deck)."""
    from quiz.deck.loader import load_deck
    from quiz.deck.writer import write_deck

    deck = load_deck(BASELINE)
    cards = [c.model_copy(update={"id": f"{c.id}-{i}"}) for i in range(50) for c in deck.cards][
        :500
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        write_deck(deck.model_copy(update={"cards": cards}), path)
        times = []
        for _ in range(max(runs, 5) * 3):
            start = time.perf_counter()
            load_deck(path)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        huge = Path(tmp) / "huge.yaml"
        write_huge_deck(huge, 50 * 1024 * 1024)
        many = Path(tmp) / "many.yaml"
        many.write_bytes(
            b"deck: d\ntitle: T\ncards:\n" + b"  - [a, b]\n" * (10 * 1024 * 1024 // 12)
        )
        folder = Path(tmp) / "folder.yaml"
        folder.mkdir()
        cases = {"<baseline: valid deck>": BASELINE}
        cases.update({p.name: p for p in sorted(BAD.iterdir())})
        cases["<50 MB file>"] = huge
        cases["<9 MB of tiny values>"] = many
        cases["<directory>"] = folder

        rows = []
        for name, path in cases.items():
            walls, peaks = [], []
            status, text = 0, ""
            for _ in range(args.runs):
                wall, peak, status, text = run_measured(path)
                walls.append(wall)
                peaks.append(peak)
            rows.append({
                "case": name, "wall_s": statistics.median(walls), "peak_mb": max(peaks),
                "exit": status, "lines": len(text.splitlines()), "traceback": "Traceback" in text,
            })  # fmt: skip

    base = rows[0]["wall_s"]
    print(f"{'case':40} {'median s':>9} {'x base':>7} {'peak MB':>8} exit lines")
    for r in rows:
        print(f"{r['case']:40} {r['wall_s']:9.3f} {r['wall_s'] / base:7.2f} {r['peak_mb']:8.1f} "
              f"{r['exit']:4} {r['lines']:5}")  # fmt: skip
    bad = rows[1:]
    worst_time = max(r["wall_s"] for r in bad)
    worst_mem = max(r["peak_mb"] for r in bad)
    ok = (
        worst_time < TIME_LIMIT_S
        and worst_mem < MEMORY_LIMIT_MB
        and all(r["exit"] != 0 and not r["traceback"] for r in bad)
    )
    load_ms = load_500_ms(args.runs)
    summary = {
        "cases": len(bad),
        "median_wall_s": statistics.median(r["wall_s"] for r in bad),
        "max_wall_s": worst_time,
        "max_peak_mb": worst_mem,
        "baseline_wall_s": base,
        "baseline_peak_mb": rows[0]["peak_mb"],
        "load_500_cards_ms": load_ms,
        "ok": ok,
    }
    print(
        f"\n{len(bad)} bad inputs: median {summary['median_wall_s']:.3f} s, worst {worst_time:.3f} s "
        f"(limit {TIME_LIMIT_S} s), peak {worst_mem:.1f} MB (limit {MEMORY_LIMIT_MB:.0f} MB); "
        f"baseline {base:.3f} s / {rows[0]['peak_mb']:.1f} MB; "
        f"load 500 cards: {load_ms:.1f} ms -> {'OK' if ok else 'FAIL'}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
