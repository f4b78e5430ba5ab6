"""SIGKILL a real ``quiz study --plain`` process at random moments, many times over.

Each run answers the prompts it is shown (a reactive driver, so mixed card
types work) and is killed either at a random time after it starts (while it
imports, opens, migrates, backs up or syncs the deck) or a random instant
after sending a rating (while the review is being written). Every run has its
own fixed clock (``QUIZ_NOW``), so each review row can be traced to its run.

Afterwards: ``PRAGMA integrity_check`` is ok; for every run, the answers it
acknowledged (``recorded: ...``) are in ``reviews`` in order, and at most one
more (committed but killed before the acknowledgement); card states equal a
replay of the log computed from nothing in a copy of the database.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.store import Store
from quiz.study.clock import FixedClock, to_iso
from quiz.study.scheduling import rebuild_card_states

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RUN_SPACING = timedelta(minutes=41)  # restarts cross days: daily backups happen under fire
MIN_ACKED = 200
MIN_KILLS = 40
SEED = 20260302


def write_deck(path: Path) -> None:
    cards = []
    for i in range(300):
        kind = i % 4
        if kind == 0:
            cards.append(
                f"  - {{id: b{i:03d}, type: basic, question: 'Basic {i}', answer: 'A {i}'}}"
            )
        elif kind == 1:
            cards.append(
                f"  - {{id: t{i:03d}, type: truefalse, statement: 'Claim {i}', answer: true}}"
            )
        elif kind == 2:
            cards.append(
                f"  - {{id: s{i:03d}, type: short, question: 'Short {i}?', answer: 'word{i}'}}"
            )
        else:
            cards.append(
                f"  - {{id: m{i:03d}, type: mcq, question: 'Pick {i}', answer: 'yes{i}', "
                f"choices: ['yes{i}', 'no{i}', 'maybe{i}']}}"
            )
    path.write_text(
        "deck: kill\ntitle: Kill test\ncards:\n" + "\n".join(cards) + "\n", encoding="utf-8"
    )


@dataclass
class Run:
    """One process: its clock and the answers it acknowledged."""

    now: datetime
    acked: list[tuple[str, int]] = field(default_factory=list)
    killed: bool = False
    early: bool = False  # killed at a random time after start, not after a rating


REPLIES = {
    "Press Enter to show the answer: ": lambda rng: "",
    "answer (t/f): ": lambda rng: rng.choice(["t", "f"]),
    "answer (1-3): ": lambda rng: str(rng.randint(1, 3)),
    "answer: ": lambda rng: rng.choice(["word1", "wrong", "", "word"]),
}


def drive(
    cmd: list[str],
    env: dict[str, str],
    rng: random.Random,
    run: Run,
    kill_at_start: float | None,
    kill_after_acks: int,
) -> str:
    """Answer prompts until the kill moment; returns everything the process printed."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        bufsize=0,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    out_fd = proc.stdout.fileno()
    started = time.monotonic()
    deadline = started + 60
    buf = ""
    scanned = 0
    kill_time = started + kill_at_start if kill_at_start is not None else None
    while True:
        now = time.monotonic()
        if kill_time is not None and now >= kill_time:
            break
        assert now < deadline, "the study process stopped answering"
        wait = min(0.05, max(0.0, kill_time - now)) if kill_time is not None else 0.05
        ready, _, _ = select.select([out_fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(out_fd, 65536)
        if not chunk:
            break  # it exited by itself
        buf += chunk.decode("utf-8", "replace")
        # Count acknowledgements on complete lines.
        while (nl := buf.find("\n", scanned)) != -1:
            line = buf[scanned:nl]
            scanned = nl + 1
            if line.startswith("recorded: "):
                cid, _, rating = line[len("recorded: ") :].split()[:3]
                run.acked.append((cid, int(rating)))
        tail = buf[scanned:]
        reply = None
        if tail.startswith("rate: ") and tail.endswith("]: "):
            reply = rng.choice(["", "1", "2", "3", "4"])
        else:
            for prompt, make in REPLIES.items():
                if tail.endswith(prompt):
                    reply = make(rng)
                    break
        if reply is None:
            continue
        buf = buf[:scanned]  # the prompt is answered
        proc.stdin.write((reply + "\n").encode())
        if tail.startswith("rate: ") and len(run.acked) + 1 >= kill_after_acks:
            # Kill while this rating is being written: a random instant within ~15 ms.
            kill_time = time.monotonic() + rng.uniform(0, 0.015)
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()  # what it printed before dying still counts as acknowledged
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=30)
    run.killed = proc.returncode == -signal.SIGKILL
    assert run.killed or proc.returncode == 0, err
    for line in (buf[scanned:] + rest.decode("utf-8", "replace")).splitlines():
        if line.startswith("recorded: ") and len(line.split()) >= 4:
            cid, _, rating = line[len("recorded: ") :].split()[:3]
            run.acked.append((cid, int(rating)))
    return err


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    write_deck(deck)
    db = tmp_path / "progress.db"
    rng = random.Random(SEED)
    runs: list[Run] = []
    started = time.monotonic()
    while sum(len(r.acked) for r in runs) < MIN_ACKED or sum(r.killed for r in runs) < MIN_KILLS:
        run = Run(now=T0 + RUN_SPACING * len(runs), early=len(runs) < 2 or rng.random() < 0.3)
        env = {
            **os.environ,
            "QUIZ_TZ": "UTC",
            "QUIZ_NOW": run.now.isoformat(),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        cmd = [
            sys.executable,
            "-m",
            "quiz",
            "study",
            str(deck),
            "--plain",
            "--db",
            str(db),
            "--learner",
            "ann",
            "--new",
            "1000",
            "--seed",
            str(len(runs)),
        ]
        err = drive(
            cmd,
            env,
            rng,
            run,
            kill_at_start=rng.uniform(0.05, 0.9) if run.early else None,
            kill_after_acks=rng.randint(1, 14),
        )
        assert "Traceback" not in err and "locked" not in err, err
        runs.append(run)
        assert time.monotonic() - started < 150, "the kill test is far too slow"
    kills = sum(r.killed for r in runs)
    acked = sum(len(r.acked) for r in runs)
    assert kills >= MIN_KILLS
    assert acked >= MIN_ACKED

    # A last, clean run: the database still works after all that.
    final = subprocess.run(
        [
            sys.executable,
            "-m",
            "quiz",
            "study",
            str(deck),
            "--plain",
            "--db",
            str(db),
            "--learner",
            "ann",
        ],
        input="q\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "QUIZ_TZ": "UTC",
            "QUIZ_NOW": (T0 + RUN_SPACING * (len(runs) + 1)).isoformat(),
        },
    )
    assert final.returncode == 0 and final.stderr == "", final.stderr

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    rows = conn.execute(
        "SELECT reviewed_at, session_id, card_id, rating FROM reviews ORDER BY rowid"
    ).fetchall()
    assert len({r[0] for r in conn.execute("SELECT id FROM reviews")}) == len(rows)
    conn.close()
    by_run: dict[str, list[tuple[str, str, int]]] = {}
    for at, session, cid, rating in rows:
        by_run.setdefault(at, []).append((session, cid, rating))
    assert set(by_run) <= {to_iso(r.now) for r in runs}
    unacknowledged = 0
    for r in runs:
        got = by_run.get(to_iso(r.now), [])
        assert len({s for s, _, _ in got}) <= 1  # one run, one session
        recorded = [(cid, rating) for _, cid, rating in got]
        # Every acknowledged answer is stored once, in order; at most one more was
        # committed when the kill came before its acknowledgement was printed.
        assert recorded[: len(r.acked)] == r.acked, (r.now, r.acked, recorded)
        assert len(recorded) - len(r.acked) in (0, 1), (r.now, r.acked, recorded)
        unacknowledged += len(recorded) - len(r.acked)

    # Card states equal a replay of the log, rebuilt from nothing in a copy.
    copy = tmp_path / "replayed.db"
    src = sqlite3.connect(db)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    dst.close()
    src.close()
    later = FixedClock(T0 + RUN_SPACING * (len(runs) + 2))
    with Store.open(db, clock=later) as live:
        expected = [r for r in live.card_states() if r["reps"] > 0]
    with Store.open(copy, clock=later) as replayed:
        replayed.db.execute("DELETE FROM card_states")
        rebuild_card_states(replayed)
        assert [r for r in replayed.card_states() if r["reps"] > 0] == expected
    assert expected, "no card was ever reviewed"
    early = sum(r.killed and r.early for r in runs)
    print(
        f"\nkill test: {kills} kills survived ({early} at a random time after start, "
        f"{kills - early} just after a rating), {len(runs)} runs, {acked} acknowledged answers "
        f"checked, {len(rows)} reviews stored ({unacknowledged} committed just before a kill)"
    )


def _grow(db: Path, rows: int, tag: str) -> None:
    """Add ``rows`` review rows straight into the log (bulk, for size)."""
    conn = sqlite3.connect(db)
    conn.executemany(
        "INSERT INTO reviews (id, learner, deck, card_id, rating, reviewed_at, mode, answer) "
        "VALUES (?, 'ann', 'kill', 'b000', 3, ?, 'practice', ?)",
        [(f"{tag}{i}", to_iso(T0 + timedelta(seconds=i)), "x" * 200) for i in range(rows)],
    )
    conn.commit()
    conn.close()


def test_sigkill_during_restore_leaves_old_or_restored_data(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    write_deck(deck)
    db = tmp_path / "progress.db"
    with Store.open(db, clock=FixedClock(T0)) as store:
        from quiz.deck.loader import load_deck

        store.sync_deck(load_deck(deck))
    _grow(db, 20_000, "old")
    backup = tmp_path / "chosen-backup.db"
    src, dst = sqlite3.connect(db), sqlite3.connect(backup)
    src.backup(dst)
    dst.close()
    src.close()
    _grow(db, 10_000, "new")
    current = tmp_path / "current.db"  # the 30,000-review state each attempt starts from
    src, dst = sqlite3.connect(db), sqlite3.connect(current)
    src.backup(dst)
    dst.close()
    src.close()
    counts = {20_000, 30_000}
    rng = random.Random(SEED)
    env = {**os.environ, "QUIZ_TZ": "UTC", "QUIZ_NOW": (T0 + timedelta(days=1)).isoformat()}
    outcomes = []
    for _ in range(8):
        src, dst = sqlite3.connect(current), sqlite3.connect(db)
        src.backup(dst)
        dst.close()
        src.close()
        proc = subprocess.Popen(
            [sys.executable, "-m", "quiz", "progress", "restore", str(backup), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        time.sleep(rng.uniform(0.25, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        n = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        conn.close()
        assert n in counts, n  # all of the old data or all of the backup's, never a mix
        outcomes.append((proc.returncode, n))
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "progress", "restore", str(backup), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with Store.open(db, clock=FixedClock(T0 + timedelta(days=1))) as store:
        assert len(store.reviews()) == 20_000
    print(f"\nrestore kill test: (exit code, reviews) after each kill: {outcomes}")
