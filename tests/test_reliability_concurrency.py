"""Three real ``quiz study --plain`` processes on one database for 30 seconds.

Two study as the same learner and one as another, all answering as fast as
they can, so the same-learner and different-learner cases run at once under
real write contention. Afterwards: every process exited 0 with nothing on
stderr (no "database is locked" reached the user), every acknowledged answer
is stored exactly once (each process's session holds exactly its
acknowledged answers, in order), the file is intact, and card states equal
a replay of the log computed from nothing in a copy.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from quiz.store import Store
from quiz.study.clock import FixedClock, from_iso
from quiz.study.scheduling import rebuild_card_states

NOW = "2026-03-02T12:00:00+00:00"
DURATION_S = 30.0
LEARNERS = ["ann", "ann", "Robert'); DROP TABLE reviews;--"]


def write_deck(path: Path, n: int = 1500) -> None:
    cards = []
    for i in range(n):
        if i % 3 == 2:
            cards.append(
                f"  - {{id: t{i:03d}, type: truefalse, statement: 'Claim {i}', answer: true}}"
            )
        else:
            cards.append(
                f"  - {{id: b{i:03d}, type: basic, question: 'Basic {i}', answer: 'A {i}'}}"
            )
    path.write_text("deck: busy\ntitle: Busy\ncards:\n" + "\n".join(cards) + "\n", encoding="utf-8")


@dataclass
class Student:
    """One study process and what it has printed and acknowledged."""

    learner: str
    proc: subprocess.Popen[bytes]
    buf: str = ""
    scanned: int = 0
    acked: list[tuple[str, int]] = field(default_factory=list)
    done: bool = False

    def feed(self, chunk: bytes, rng: random.Random, answering: bool) -> None:
        self.buf += chunk.decode("utf-8", "replace")
        while (nl := self.buf.find("\n", self.scanned)) != -1:
            line = self.buf[self.scanned : nl]
            self.scanned = nl + 1
            if line.startswith("recorded: "):
                cid, _, rating = line[len("recorded: ") :].split()[:3]
                self.acked.append((cid, int(rating)))
        tail = self.buf[self.scanned :]
        if not answering or not tail.endswith(": "):
            return
        if tail.startswith("rate: "):
            reply = rng.choice(["1", "1", "1", "2", "3"])  # mostly keeps cards in learning
        elif tail.endswith("answer (t/f): "):
            reply = rng.choice(["t", "f"])
        elif tail.endswith("Press Enter to show the answer: "):
            reply = ""
        else:
            return
        self.buf = self.buf[: self.scanned]
        self.send(reply)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it may have exited already
            self.proc.stdin.write((line + "\n").encode())


def test_three_processes_thirty_seconds_one_database(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    write_deck(deck)
    db = tmp_path / "progress.db"
    env = {**os.environ, "QUIZ_TZ": "UTC", "QUIZ_NOW": NOW}
    rng = random.Random(7)
    students = [
        Student(
            learner,
            subprocess.Popen(
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
                    learner,
                    "--new",
                    "100000",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                bufsize=0,
            ),
        )
        for learner in LEARNERS
    ]
    by_fd = {s.proc.stdout.fileno(): s for s in students if s.proc.stdout is not None}
    started = time.monotonic()
    quitting = False
    while not all(s.done for s in students):
        elapsed = time.monotonic() - started
        assert elapsed < DURATION_S + 60, "a study process hung"
        if elapsed >= DURATION_S and not quitting:
            quitting = True
            for s in students:
                s.send("q")
        live = [fd for fd, s in by_fd.items() if not s.done]
        ready, _, _ = select.select(live, [], [], 0.1)
        for fd in ready:
            student = by_fd[fd]
            chunk = os.read(fd, 65536)
            if not chunk:
                student.done = True
                assert quitting, f"{student.learner}'s process ended before {DURATION_S:.0f} s"
                continue
            student.feed(chunk, rng, answering=not quitting)
    studied_for = time.monotonic() - started
    for s in students:
        assert s.proc.stderr is not None
        err = s.proc.stderr.read().decode("utf-8", "replace")
        assert s.proc.wait(timeout=30) == 0, err
        assert err == "", err  # no "database is locked", no traceback
        assert "studied " in s.buf  # it ended with its summary, not an error
        assert len(s.acked) >= 20, f"{s.learner} hardly studied: {len(s.acked)}"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    rows = conn.execute(
        "SELECT session_id, learner, card_id, rating FROM reviews ORDER BY rowid"
    ).fetchall()
    conn.close()
    sessions: dict[str, list[tuple[str, str, int]]] = {}
    for session, learner, cid, rating in rows:
        sessions.setdefault(session, []).append((learner, cid, rating))
    assert len(sessions) == len(students)
    stored = sorted(sessions.values())
    acknowledged = sorted([(s.learner, cid, r) for cid, r in s.acked] for s in students)
    assert stored == acknowledged  # nothing lost, nothing twice, nothing mixed up
    total = len(rows)
    assert total == sum(len(s.acked) for s in students)

    copy = tmp_path / "replayed.db"
    src, dst = sqlite3.connect(db), sqlite3.connect(copy)
    src.backup(dst)
    dst.close()
    src.close()
    clock = FixedClock(from_iso(NOW))
    with Store.open(db, clock=clock) as live_store:
        expected = [r for r in live_store.card_states() if r["reps"] > 0]
    with Store.open(copy, clock=clock) as replayed:
        replayed.db.execute("DELETE FROM card_states")
        rebuild_card_states(replayed)
        assert [r for r in replayed.card_states() if r["reps"] > 0] == expected
    same = sum(len(s.acked) for s in students if s.learner == "ann")
    print(
        f"\nconcurrency test: 3 processes for {studied_for:.0f} s, {total} reviews written "
        f"({same} by two processes as the same learner), all acknowledged and stored once"
    )
