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
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"


def for_this_schema(built: Path, make: Callable[[Path], None]) -> Path:
    """The cached database ``built`` at this tree's schema version.

    Each schema version keeps its own copy (``NAME-schemaN.db``), so a baseline run of
    older code, which refuses a newer database, reads the copy of its own version. A
    missing copy is made from an older one (copied, then migrated once) or by ``make``.
    """
    from quiz.store import Store
    from quiz.store.schema import SCHEMA_VERSION
    from quiz.study.clock import system_clock

    target = built.with_name(f"{built.stem}-schema{SCHEMA_VERSION}{built.suffix}")
    if target.exists():
        return target
    older = [*sorted(built.parent.glob(f"{built.stem}-schema*{built.suffix}")), built]
    source = next((p for p in older if p.exists() and not p.is_symlink()), None)
    tmp = target.with_suffix(".copying")
    if source is None:
        make(tmp)
    else:
        shutil.copyfile(source, tmp)
    Store.open(tmp, clock=system_clock).close()  # migrate (backfills what the schema adds)
    for leftover in built.parent.glob(tmp.name + "*"):  # -wal/-shm, the pre-migration copy
        if leftover != tmp:
            leftover.unlink()
    os.replace(tmp, target)
    return target


def checkout(commit: str) -> Path:
    """A worktree of ``commit`` under bench/out/ (made once), sharing bench/out/."""
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short=10", commit],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = OUT / f"baseline-{sha}"
    if not tree.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), sha],
            check=True,
            capture_output=True,
        )
        (tree / "bench" / "out").mkdir(parents=True, exist_ok=True)
        for built in OUT.glob("*.db"):  # databases as first built (the schema of their day)
            if "-schema" in built.name:
                continue
            link = tree / "bench" / "out" / built.name
            if not link.exists():
                link.symlink_to(built)
    return tree


def run_baseline(
    commit: str,
    script: str,
    args: list[str],
    result_file: str | None = None,
    *,
    this_script: bool = False,
) -> dict[str, Any]:
    """Run ``bench/<script> args`` from ``commit``'s tree; its last JSON object on stdout,
    or the JSON it wrote to ``bench/out/<result_file>``.

    With ``this_script``, this tree's copy of the script runs (on ``commit``'s code): the
    same measurement of both, also for a commit older than the script's JSON output.
    """
    tree = checkout(commit)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    runner = BENCH / script if this_script else tree / "bench" / script
    out = subprocess.run(
        [sys.executable, str(runner), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=True,
    ).stdout
    if result_file:
        return json.loads((tree / "bench" / "out" / result_file).read_text())
    start = out.rfind("\n{")
    return json.loads(out[start + 1 if start >= 0 else out.index("{") :])
