"""Daily backups on first open, ``quiz progress restore`` listing and restoring them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.model import Deck
from quiz.errors import StoreError
from quiz.store import Store
from quiz.store.backup import list_backups, restore_backup
from quiz.store.schema import SCHEMA_VERSION
from quiz.study.clock import FixedClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DECK = Deck.model_validate(
    {
        "deck": "d",
        "title": "D",
        "cards": [
            {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
            for i in range(5)
        ],
    }
)


def env_at(when: datetime) -> dict[str, str]:
    return {"QUIZ_NOW": when.isoformat(), "QUIZ_TZ": "UTC"}


def review(store: Store, n: int, when: datetime, learner: str = "ann") -> None:
    store.sync_deck(DECK)
    for i in range(n):
        store.record_review(
            review_id=f"r{when:%j%H%M}-{i}",
            learner=learner,
            deck="d",
            card_id=f"c{i % 5}",
            rating=3,
            now=when + timedelta(seconds=i),
        )


def count_reviews(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


def test_first_open_of_a_day_copies_an_existing_database(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    clock = FixedClock(T0)
    with Store.open(db, clock=clock) as s:  # a new database: nothing to copy yet
        review(s, 3, T0)
    assert list(tmp_path.glob("p.db.daily-*")) == []
    with Store.open(db, clock=clock) as s:
        review(s, 2, T0 + timedelta(minutes=5))
    daily = tmp_path / "p.db.daily-2026-03-02"
    assert daily.is_file()
    assert count_reviews(daily) == 3  # the state at the first open of the day
    with Store.open(db, clock=clock):
        pass
    assert count_reviews(daily) == 3  # same day: not overwritten
    # The copy is a single self-contained file: no -wal needed, rollback journal.
    assert daily.read_bytes()[18:20] == b"\x01\x01"
    assert not daily.with_name(daily.name + "-wal").exists()


def test_seven_days_kept_across_two_weeks(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    clock = FixedClock(T0)
    Store.open(db, clock=clock).close()
    for _day in range(14):
        with Store.open(db, clock=clock) as s:
            review(s, 1, clock())
        clock.advance(timedelta(days=1))
    kept = sorted(p.name for p in tmp_path.glob("p.db.daily-*"))
    assert kept == [f"p.db.daily-{(T0 + timedelta(days=d)).date()}" for d in range(7, 14)]
    # Each day's copy holds the reviews made before that day.
    assert [count_reviews(tmp_path / k) for k in kept] == list(range(7, 14))


def test_stale_temporary_copies_are_removed(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Store.open(db, clock=FixedClock(T0)).close()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"p.db.daily-2026-03-02.{dead.pid}.tmp"
    stale.write_bytes(b"half a copy")
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = tmp_path / f"p.db.daily-2026-03-02.{running.pid}.tmp"
        alive.write_bytes(b"being written")
        Store.open(db, clock=FixedClock(T0)).close()
        assert not stale.exists()
        assert alive.exists()  # another process is still writing it
    finally:
        running.kill()
        running.wait()


def test_a_failing_backup_never_stops_studying(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Store.open(db, clock=FixedClock(T0)).close()
    (tmp_path / "p.db.daily-2026-03-03").mkdir()  # in the way: cannot be replaced
    with Store.open(db, clock=FixedClock(T0 + timedelta(days=1))) as s:
        review(s, 1, T0 + timedelta(days=1))
    assert count_reviews(db) == 1


def make_history(tmp_path: Path) -> Path:
    """A database with 2 reviews on day 1 and 3 more on day 2 (after day 2's backup)."""
    db = tmp_path / "p.db"
    with Store.open(db, clock=FixedClock(T0)) as s:
        review(s, 2, T0)
    day2 = T0 + timedelta(days=1)
    with Store.open(db, clock=FixedClock(day2)) as s:
        review(s, 3, day2)
    return db


def test_restore_lists_then_restores_and_can_be_undone(tmp_path: Path) -> None:
    db = make_history(tmp_path)
    runner = CliRunner()
    later = T0 + timedelta(days=1, hours=2)
    r = runner.invoke(main, ["progress", "restore", "--db", str(db)], env=env_at(later))
    assert r.exit_code == 0, r.output
    assert "p.db.daily-2026-03-03\tdaily" in r.output and "2 reviews" in r.output
    with Store.open(db, clock=FixedClock(later)) as s:
        before = s.card_states()
    r = runner.invoke(
        main, ["progress", "restore", "--db", str(db), "2026-03-03"], env=env_at(later)
    )
    assert r.exit_code == 0, r.output
    assert "restored p.db.daily-2026-03-03 (2 reviews)" in r.output
    assert count_reviews(db) == 2
    saved = tmp_path / "p.db.pre-restore-20260303T140000Z"
    assert saved.is_file() and count_reviews(saved) == 5
    assert "pre-restore-20260303T140000Z" in r.output
    # Restoring the safety copy brings the 5 reviews and their card states back.
    r = runner.invoke(main, ["progress", "restore", "--db", str(db), saved.name], env=env_at(later))
    assert r.exit_code == 0, r.output
    assert count_reviews(db) == 5
    with Store.open(db, clock=FixedClock(later)) as s:
        assert s.card_states() == before
        assert s.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_restore_is_refused_while_another_process_has_the_database_open(tmp_path: Path) -> None:
    """Finding 9 (issue 17): a session kept answering on the old content and its next
    answer was lost. Restore now refuses while anyone has the database open."""
    db = make_history(tmp_path)
    other = sqlite3.connect(db)
    assert other.execute("SELECT count(*) FROM reviews").fetchone() == (5,)
    with pytest.raises(StoreError, match="another quiz process has the progress database open"):
        restore_backup(db, tmp_path / "p.db.daily-2026-03-03", T0 + timedelta(days=2))
    assert other.execute("SELECT count(*) FROM reviews").fetchone() == (5,)  # nothing changed
    assert not list(tmp_path.glob("p.db.pre-restore-*"))
    other.close()
    restore_backup(db, tmp_path / "p.db.daily-2026-03-03", T0 + timedelta(days=2))
    assert count_reviews(db) == 2
    with Store.open(db, clock=FixedClock(T0 + timedelta(days=2))) as s:
        review(s, 1, T0 + timedelta(days=2))  # and studying goes on
    assert count_reviews(db) == 3


def test_restore_is_refused_while_a_study_session_is_open(tmp_path: Path) -> None:
    """Finding 9 with a real engine session: the session's store is open, so restore refuses,
    and the session's next answer is recorded."""
    db = make_history(tmp_path)
    with Store.open(db, clock=FixedClock(T0 + timedelta(days=2))) as session_store:
        runner = CliRunner()
        r = runner.invoke(
            main,
            ["progress", "restore", "--db", str(db), "2026-03-03"],
            env=env_at(T0 + timedelta(days=2)),
        )
        assert r.exit_code == 1 and "another quiz process" in r.stderr
        review(session_store, 1, T0 + timedelta(days=2))
    assert count_reviews(db) == 6


@pytest.mark.parametrize("kind", ["text", "garbage-sqlite", "foreign", "newer"])
def test_an_unusable_backup_is_refused_and_nothing_changes(tmp_path: Path, kind: str) -> None:
    db = make_history(tmp_path)
    bad = tmp_path / "p.db.daily-2026-02-01"
    if kind == "text":
        bad.write_text("not a database\n")
    elif kind == "garbage-sqlite":
        bad.write_bytes(b"SQLite format 3\x00" + b"\xee" * 8192)
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE photos (id INTEGER)")
        conn.commit()
        conn.close()
    else:
        conn = sqlite3.connect(bad)
        src = sqlite3.connect(db)
        src.backup(conn)
        src.close()  # an open connection would make the restore refuse (database in use)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    backup_bytes = bad.read_bytes()
    live = sqlite3.connect(db)
    live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    live.close()
    live_bytes = db.read_bytes()
    names = sorted(p.name for p in tmp_path.iterdir())
    r = CliRunner().invoke(
        main, ["progress", "restore", "--db", str(db), bad.name], env=env_at(T0 + timedelta(days=1))
    )
    assert r.exit_code != 0
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "error:" in lines[0] and "nothing restored" in lines[0]
    assert "Traceback" not in r.output
    assert bad.read_bytes() == backup_bytes
    assert db.read_bytes() == live_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_restore_over_a_damaged_database_moves_it_aside(tmp_path: Path) -> None:
    db = make_history(tmp_path)
    damaged = b"SQLite format 3\x00" + b"\x00\xff" * 4000
    for side in ("-wal", "-shm"):
        (tmp_path / f"p.db{side}").unlink(missing_ok=True)
    db.write_bytes(damaged)
    with pytest.raises(StoreError):
        Store.open(db, clock=FixedClock(T0))
    result = restore_backup(db, tmp_path / "p.db.daily-2026-03-03", T0 + timedelta(days=1))
    assert result.safety_copy is not None and result.safety_copy.read_bytes() == damaged
    assert "damaged" in result.safety_copy.name
    with Store.open(db, clock=FixedClock(T0 + timedelta(days=1))) as s:
        assert len(s.reviews()) == 2
    kinds = {i.kind for i in list_backups(db)}
    assert {"daily", "damaged"} <= kinds


def test_restore_of_an_unknown_name_is_one_line(tmp_path: Path) -> None:
    db = make_history(tmp_path)
    r = CliRunner().invoke(main, ["progress", "restore", "--db", str(db), "1999-01-01"])
    assert r.exit_code != 0 and r.output.count("\n") == 1 and "no such backup" in r.output


def test_a_big_database_is_copied_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from quiz.store import backup

    db = tmp_path / "p.db"
    with Store.open(db, clock=FixedClock(T0)) as s:
        review(s, 4, T0)
    monkeypatch.setattr(backup, "BACKGROUND_ABOVE_BYTES", 0)
    day2 = T0 + timedelta(days=1)
    with Store.open(db, clock=FixedClock(day2)) as s:
        workers = [t for t in threading.enumerate() if t.name == "quiz-daily-backup"]
        review(s, 1, day2)  # studying goes on meanwhile
        assert s.daily_backup() is None  # never a second copy while the first is made
    for t in workers:
        t.join(timeout=30)
    daily = tmp_path / "p.db.daily-2026-03-03"
    assert daily.is_file() and count_reviews(daily) in (4, 5)
    assert not list(tmp_path.glob("*.tmp"))
    day3 = T0 + timedelta(days=2)
    conn = sqlite3.connect(db)
    thread = backup.daily_backup_on_open(conn, db, day3)
    assert thread is not None and thread.name == "quiz-daily-backup"
    thread.join(timeout=30)
    conn.close()
    assert count_reviews(tmp_path / "p.db.daily-2026-03-04") == 5


def test_backups_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "p.db"
    Store.open(db, clock=FixedClock(T0)).close()
    monkeypatch.setenv("QUIZ_BACKUPS", "0")
    with Store.open(db, clock=FixedClock(T0)) as s:
        assert s.daily_backup() is None
    assert list(tmp_path.glob("p.db.daily-*")) == []


def test_damage_found_by_the_daily_check_keeps_older_copies(tmp_path: Path) -> None:
    db = make_history(tmp_path)  # daily copies of 2026-03-03 exist
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'card_states'").fetchone()[
        0
    ]
    conn.close()
    with db.open("r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\x0d\xee" * (size // 2))
    damaged = db.read_bytes()
    with pytest.raises(StoreError, match="damaged") as info:
        Store.open(db, clock=FixedClock(T0 + timedelta(days=9)))
    assert "\n" not in str(info.value) and "quiz progress restore" in str(info.value)
    assert db.read_bytes() == damaged
    assert [p.name for p in tmp_path.glob("p.db.daily-*")] == ["p.db.daily-2026-03-03"]


def test_restore_where_only_an_orphan_wal_is_left(tmp_path: Path) -> None:
    db = make_history(tmp_path)
    other = sqlite3.connect(db)  # keeps the WAL file alive while the main file goes
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("INSERT INTO learners (name, created_at) VALUES ('zed', 'x')")
    other.commit()
    wal = tmp_path / "p.db-wal"
    assert wal.stat().st_size > 0
    orphan = wal.read_bytes()
    db.unlink()
    wal.write_bytes(orphan)  # what a careless delete of p.db alone leaves behind
    other.close()
    if not wal.exists():
        wal.write_bytes(orphan)
    restore_backup(db, tmp_path / "p.db.daily-2026-03-03", T0 + timedelta(days=1))
    assert not wal.exists() or wal.read_bytes() != orphan
    assert list(tmp_path.glob("p.db.orphan-*-wal"))
    with Store.open(db, clock=FixedClock(T0 + timedelta(days=1))) as s:
        assert s.learners() == ["ann"]
        assert s.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_database_deleted_under_its_log_is_not_started_over(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    wal = tmp_path / "p.db-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)  # a WAL whose database file was deleted
    with pytest.raises(StoreError, match=r"missing but its log p\.db-wal is there") as info:
        Store.open(db, clock=FixedClock(T0))
    assert "\n" not in str(info.value)
    assert not db.exists() and wal.read_bytes()[:4] == b"\x37\x7f\x06\x82"
    r = CliRunner().invoke(main, ["progress", "restore", "--db", str(db)], env=env_at(T0))
    assert r.exit_code == 0 and "no backups" in r.output
