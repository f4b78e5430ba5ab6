"""Run a benchmark script as it was at an earlier commit, for a side-by-side figure.

The earlier tree is checked out (``git worktree``, detached) under bench/out/,
shares this tree's bench/out/ cache of built databases, and runs its own copy of
the script with its own code. The script's last JSON object on stdout is returned.

    from baseline import run_baseline
    old = run_baseline("db98389", "bench_engine.py", ["--runs", "200"])
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"


def checkout(commit: str) -> Path:
    """A worktree of ``commit`` under bench/out/ (made once), sharing bench/out/."""
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short=10", commit],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    tree = OUT / f"baseline-{sha}"
    if not tree.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), sha],
            check=True, capture_output=True,
        )
        (tree / "bench" / "out").mkdir(parents=True, exist_ok=True)
        for built in OUT.glob("*.db"):
            link = tree / "bench" / "out" / built.name
            if not link.exists():
                link.symlink_to(built)
    return tree


def run_baseline(commit: str, script: str, args: list[str]) -> dict[str, Any]:
    """Run ``bench/<script> args`` from ``commit``'s tree; its last JSON object."""
    tree = checkout(commit)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, str(tree / "bench" / script), *args],
        capture_output=True, text=True, env=env, cwd=tree, check=True,
    ).stdout
    start = out.rfind("\n{")
    return json.loads(out[start + 1 if start >= 0 else out.index("{"):])
