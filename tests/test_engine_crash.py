"""Kill a plain-mode study process at random moments: acknowledged answers survive."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.scheduling import rebuild_card_states


def test_sigkill_never_loses_an_acknowledged_answer(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    cards = "\n".join(
        f"  - {{id: k{i:03d}, type: basic, question: 'Q {i}', answer: 'A {i}'}}" for i in range(400)
    )
    deck.write_text(f"deck: crash\ntitle: Crash\ncards:\n{cards}\n", encoding="utf-8")
    db = tmp_path / "p.db"
    rng = random.Random(42)
    acked: list[tuple[str, int]] = []
    kills = 0
    minute = 0
    while len(acked) < 200:
        minute += 7  # each restart happens a little later
        env = {
            **os.environ,
            "QUIZ_TZ": "UTC",
            "QUIZ_NOW": datetime(2026, 3, 2, 12, minute % 60, tzinfo=UTC).isoformat(),
        }
        proc = subprocess.Popen(
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
                "--new",
                "1000",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            bufsize=1,
        )
        assert proc.stdin is not None and proc.stdout is not None
        # Reveal, then a random rating (or Enter), for every card.
        script = "".join(f"\n{rng.choice(['', '1', '2', '3', '4'])}\n" for _ in range(300))
        proc.stdin.write(script)
        proc.stdin.flush()
        stop_after = rng.randint(3, 30)
        seen = 0
        lines = iter(proc.stdout)
        for line in lines:
            if "recorded: " in line:
                cid, _, rating = line.split("recorded: ", 1)[1].split()
                acked.append((cid, int(rating)))
                seen += 1
                if seen >= stop_after:
                    break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        # Lines the process wrote before the kill are acknowledgements too, even if this
        # test had not read them yet (the process answers ahead of the reader).
        for line in lines:
            if "recorded: " in line:
                cid, _, rating = line.split("recorded: ", 1)[1].split()
                acked.append((cid, int(rating)))
        kills += 1
    assert kills >= 8
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with Store.open(db, readonly=True) as reader:
        log = reader.reviews()
    rows = [(r.card_id, r.rating) for r in log]
    assert len({r.id for r in log}) == len(rows)
    # Every acknowledged answer is there, in order; at most one unacknowledged per kill.
    it = iter(rows)
    assert all(any(r == a for r in it) for a in acked)
    assert len(acked) <= len(rows) <= len(acked) + kills
    with Store.open(db, clock=FixedClock(datetime(2026, 3, 3, tzinfo=UTC))) as store:
        live = store.card_states()
        rebuild_card_states(store)
        assert store.card_states() == live
