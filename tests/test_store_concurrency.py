"""Two processes studying on one database at once: nothing lost, states match the log."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

WORKER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from quiz.study.clock import FixedClock
    from quiz.deck.model import Deck
    from quiz.study.session import StudySession
    from quiz.store import Store

    db, learner, n, offset = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    deck = Deck.model_validate({"deck": "d", "title": "D", "cards": [
        {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"} for i in range(40)]})
    clock = FixedClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC) + timedelta(seconds=offset))
    store = Store.open(db, clock=clock)
    s = StudySession(store, deck, learner, clock=clock, new_limit=40, seed=offset)
    done = 0
    while done < n:
        view = s.next_card()
        if view is None:
            clock.advance(hours=1)
            continue
        s.reveal()
        s.rate([1, 3, 3, 4][done % 4])
        print("ack", s.last_record.id, flush=True)
        done += 1
        clock.advance(seconds=13)
    s.close()
    store.close()
    """
)


@pytest.mark.parametrize("same_learner", [True, False])
def test_two_processes_one_database(tmp_path: Path, same_learner: bool) -> None:
    db = tmp_path / "p.db"
    env = {**os.environ, "QUIZ_TZ": "UTC"}
    learners = ["ann", "ann"] if same_learner else ["ann", "bob"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), learner, "150", str(k * 5)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for k, learner in enumerate(learners)
    ]
    acked: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
        acked += [line.split()[1] for line in out.splitlines() if line.startswith("ack ")]
    assert len(acked) == 300
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM reviews")]
    assert sorted(ids) == sorted(acked)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()

    from datetime import UTC, datetime

    from quiz.store import Store
    from quiz.study.clock import FixedClock
    from quiz.study.scheduling import rebuild_card_states

    with Store.open(db, clock=FixedClock(datetime(2026, 3, 9, tzinfo=UTC))) as store:
        live = store.card_states()
        rebuild_card_states(store)
        assert store.card_states() == live


def test_many_processes_create_one_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code = "import sys; from quiz.store import Store; Store.open(sys.argv[1]).close(); print('ok')"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and out.strip() == "ok", err
    from quiz.store.schema import SCHEMA_VERSION, migrations

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [m.name for m in migrations._migrations]
    conn.close()
