"""Benchmark: ``quiz report`` over a class of 2,000 learner databases (target <= 5 s, <= 500 MB).

Builds the class once (``bench/class_builder.py``: 2,000 learners x 200 cards x
300 reviews = 600,000 reviews, one SQLite file each, cached in bench/out/), then
times whole ``quiz report`` processes and reads their peak RSS (``wait4``), for
this checkout and, in the same run, for a baseline checkout: by default the
commit before the batched class reading was added (a temporary ``git worktree``),
or ``--baseline-path DIR`` (any quiz source tree). Medians are reported.

The baseline opens every file through the store, which makes each file's
daily backup on its first open of the day: its first run pays for 2,000
copies, later runs do not. The copies are deleted afterwards.

Run: ``python bench/bench_class.py [--runs 5] [--baseline-runs 3] [--merge 200]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CLASS = OUT / "class-2000"
LEARNERS = 2000
NOW = "2026-11-28T12:00:00+00:00"
LIMIT_S = 5.0
LIMIT_MB = 500


def ensure_class(folder: Path, learners: int) -> list[Path]:
    paths = sorted(folder.glob("trainee-*.db")) if folder.is_dir() else []
    if len(paths) < learners:
        sys.path.insert(0, str(ROOT / "bench"))
        from class_builder import build_class

        t = time.perf_counter()
        paths = build_class(folder, learners, quiet=False)
        print(f"built {len(paths)} learner databases in {time.perf_counter() - t:.0f} s")
    return paths[:learners]


def baseline_ref() -> str:
    """The commit before quiz/store/class_report.py first appeared."""
    added = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "log",
            "--diff-filter=A",
            "--format=%H",
            "--",
            "quiz/store/class_report.py",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if not added:
        raise SystemExit("no commit adds quiz/store/class_report.py; pass --baseline REF")
    return added[-1] + "^"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one whole process (CPU: user + system,
    its worker processes included; RSS: the largest single process), started in a neutral
    folder (``python -m`` puts the current folder first on ``sys.path``)."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=env["HOME"]
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd[:6])} ...\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(label: str, cmd: list[str], env: dict[str, str], runs: int) -> dict[str, object]:
    walls, rss, cpus = [], [], []
    for _ in range(runs):
        w, m, c = run(cmd, env)
        walls.append(w)
        rss.append(m)
        cpus.append(c)
    result = {
        "label": label,
        "runs": runs,
        "wall_s_median": round(statistics.median(walls), 3),
        "wall_s_runs": [round(w, 3) for w in walls],
        "peak_rss_mb_median": round(statistics.median(rss), 1),
        "peak_rss_mb_max": round(max(rss), 1),
        "cpu_s_median": round(statistics.median(cpus), 3),
        "load_average": os.getloadavg()[0],
    }
    print(
        f"{label}: median {result['wall_s_median']:.2f} s wall, {result['cpu_s_median']:.2f} s CPU, "
        f"peak RSS median {result['peak_rss_mb_median']:.0f} MB (runs: "
        f"{', '.join(f'{w:.2f}' for w in walls)} s; load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    return result


def env_for(source: Path, tmp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(source),
        "QUIZ_NOW": NOW,
        "QUIZ_TZ": "UTC",
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_STATE_HOME": str(tmp / "state"),
        "COLUMNS": "120",
    }


def which_quiz(env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", "import quiz; print(quiz.__file__)"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=env["HOME"],
    ).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--class-dir", type=Path, default=CLASS)
    ap.add_argument("--learners", type=int, default=LEARNERS)
    ap.add_argument("--runs", type=int, default=5, help="runs of this checkout per format")
    ap.add_argument("--baseline-runs", type=int, default=3, help="runs of the baseline (0: none)")
    ap.add_argument("--baseline", help="git ref of the baseline (default: before class_report.py)")
    ap.add_argument("--baseline-path", type=Path, help="a quiz source tree to use as the baseline")
    ap.add_argument(
        "--merge",
        type=int,
        default=0,
        metavar="N",
        help="also time 'quiz progress merge' of the first N learners (new and baseline)",
    )
    args = ap.parse_args()

    paths = ensure_class(args.class_dir, args.learners)
    reviews = args.learners * 300
    db_args = [a for p in paths for a in ("--db", str(p))]
    tmp = Path(tempfile.mkdtemp(prefix="quiz-bench-class-"))
    worktree = None
    results: dict[str, object] = {
        "learners": len(paths),
        "reviews_nominal": reviews,
        "class_mb": round(sum(p.stat().st_size for p in paths) / 1e6),
    }
    before = set(args.class_dir.iterdir())
    try:
        new_env = env_for(ROOT, tmp)
        base_env = None
        if args.baseline_runs:
            if args.baseline_path:
                base_src = args.baseline_path.resolve()
                results["baseline"] = str(base_src)
            else:
                ref = args.baseline or baseline_ref()
                worktree = tmp / "baseline"
                subprocess.run(
                    [
                        "git",
                        "-C",
                        str(ROOT),
                        "worktree",
                        "add",
                        "--detach",
                        "-q",
                        str(worktree),
                        ref,
                    ],
                    check=True,
                )
                base_src = worktree
                results["baseline"] = subprocess.run(
                    ["git", "-C", str(worktree), "rev-parse", "--short", "HEAD"],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
            base_env = env_for(base_src, tmp)
            print(f"baseline: {results['baseline']} ({which_quiz(base_env)})")
        print(f"this checkout: {which_quiz(new_env)}")
        print(f"class: {len(paths)} learner databases, {results['class_mb']} MB", flush=True)

        quiz = [sys.executable, "-m", "quiz"]
        html = tmp / "class.html"
        run([*quiz, "report", "--format", "json", *db_args], new_env)  # warm the page cache
        new = {
            "table": measure(
                "new   quiz report (table)", [*quiz, "report", *db_args], new_env, args.runs
            ),
            "json": measure(
                "new   quiz report --format json",
                [*quiz, "report", "--format", "json", *db_args],
                new_env,
                args.runs,
            ),
            "html": measure(
                "new   quiz report --format html -o",
                [*quiz, "report", "--format", "html", "-o", str(html), "--force", *db_args],
                new_env,
                args.runs,
            ),
        }
        results["new"] = new
        if base_env is not None:
            base = {
                "json": measure(
                    "base  quiz report --format json",
                    [*quiz, "report", "--format", "json", *db_args],
                    base_env,
                    args.baseline_runs,
                ),
                "table": measure(
                    "base  quiz report (table)", [*quiz, "report", *db_args], base_env, 1
                ),
            }
            results["baseline_runs"] = base
            ratio = base["json"]["wall_s_median"] / new["json"]["wall_s_median"]
            results["speedup_json"] = round(ratio, 1)
            print(f"json: baseline / new = {ratio:.1f}x")
        if args.merge:
            subset = [str(p) for p in paths[: args.merge]]
            for label, env in (("new", new_env), ("base", base_env)):
                if env is None:
                    continue
                target = tmp / f"merged-{label}.db"
                target.unlink(missing_ok=True)
                results[f"merge_{label}"] = measure(
                    f"{label:5} quiz progress merge ({args.merge} learners)",
                    [*quiz, "progress", "merge", *subset, "--into", str(target)],
                    env,
                    1,
                )
        worst = max(r["wall_s_median"] for r in new.values())
        heaviest = max(r["peak_rss_mb_max"] for r in new.values())
        results["within_target"] = worst <= LIMIT_S and heaviest <= LIMIT_MB
        print(
            f"target <= {LIMIT_S} s and <= {LIMIT_MB} MB: "
            f"{'met' if results['within_target'] else 'NOT met'} (slowest median {worst:.2f} s, "
            f"peak RSS {heaviest:.0f} MB)"
        )
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "bench_class.json").write_text(json.dumps(results, indent=2) + "\n")
    finally:
        for p in set(args.class_dir.iterdir()) - before:  # the baseline's daily backups
            if ".daily-" in p.name or p.name.endswith((".db-wal", ".db-shm")):
                p.unlink(missing_ok=True)
        if worktree is not None:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                check=False,
            )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
