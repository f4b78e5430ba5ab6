"""Opening the progress database: paths, pragmas, migrations, refusals, backups."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.deck.model import Deck
from quiz.errors import StoreError
from quiz.store import Store, default_db_path
from quiz.store.schema import SCHEMA_VERSION, migrations
from quiz.study.clock import FixedClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def deck(n: int = 3) -> Deck:
    return Deck.model_validate(
        {
            "deck": "d",
            "title": "D",
            "cards": [
                {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(n)
            ],
        }
    )


def test_default_path_env_and_explicit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZ_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    with Store.open(None, clock=FixedClock(T0)) as s:
        assert s.path == tmp_path / "env.db"
    with Store.open(tmp_path / "explicit.db", clock=FixedClock(T0)) as s:
        assert s.path == tmp_path / "explicit.db"
    monkeypatch.delenv("QUIZ_DB")
    assert default_db_path().name == "progress.db"
    assert "quiz" in default_db_path().parts


def test_pragmas_and_version(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as s:
        conn = s.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert s.schema_version == SCHEMA_VERSION
        assert {"learners", "decks", "cards", "card_states", "reviews", "card_aliases"} <= set(
            s.db.table_names()
        )
    # Re-opening applies nothing and keeps data.
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as s:
        s.ensure_learner("ann")
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as s:
        assert s.learners() == ["ann"]


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path, clock=FixedClock(T0)).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of quiz"):
        Store.open(path, clock=FixedClock(T0))
    assert path.read_bytes() == before


def test_unknown_migration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path, clock=FixedClock(T0)).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('quiz', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="m999_future"):
        Store.open(path, clock=FixedClock(T0))


def test_older_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_engine")
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO learners (name, created_at) VALUES ('ann', 'x')")
    old.conn.close()
    with Store.open(path, clock=FixedClock(T0)) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.learners() == ["ann"]
        assert "position" in s.db["cards"].columns_dict
    backups = list(tmp_path.glob("p.db.bak-1-*"))
    assert len(backups) == 1
    b = sqlite3.connect(backups[0])
    assert b.execute("PRAGMA user_version").fetchone()[0] == 1
    assert b.execute("SELECT name FROM learners").fetchall() == [("ann",)]
    assert (
        b.execute("SELECT count(*) FROM sqlite_master WHERE name='card_aliases'").fetchone()[0] == 0
    )
    b.close()


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all\n" * 10,
        bytes(range(256)) * 20,
        b"SQLite format 3\x00" + b"\xff" * 5000,
    ],
)
def test_corrupt_or_foreign_file_is_reported_not_overwritten(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as exc:
        Store.open(path, clock=FixedClock(T0))
    assert str(path) in str(exc.value)
    assert "\n" not in str(exc.value)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a quiz progress database"):
        Store.open(path, clock=FixedClock(T0))
    assert path.read_bytes() == before


def test_unusable_locations(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreError, match="cannot create the directory"):
        Store.open(tmp_path / "afile" / "sub" / "p.db")
    (tmp_path / "adir").mkdir()
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path / "adir")


def test_hostile_learner_name_is_just_a_name(tmp_path: Path) -> None:
    name = "Robert'); DROP TABLE reviews;--"
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as s:
        d = deck()
        s.sync_deck(d)
        s.ensure_states(name, "d")
        s.record_review(
            review_id="r1",
            learner=name,
            deck="d",
            card_id="c0",
            rating=3,
            now=T0,
            answer="'; DELETE FROM cards; --",
        )
        s.flag(name, "d", "c1", "[bold]x[/] $(rm -rf /) '\"")
        assert s.learners() == [name]
        assert [(r.learner, r.answer) for r in s.reviews()] == [(name, "'; DELETE FROM cards; --")]
        assert len(s.stored_cards("d")) == 3
        assert s.card_state(name, "d", "c1")["flag_comment"] == "[bold]x[/] $(rm -rf /) '\""


def test_daily_backup_once_a_day_keeps_seven(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    with Store.open(tmp_path / "p.db", clock=clock) as s:
        s.ensure_learner("ann")
        assert s.daily_backup() is not None
        assert s.daily_backup() is None  # same day: nothing new
        for _ in range(9):
            clock.advance(timedelta(days=1))
            s.daily_backup()
        kept = s.list_backups()
        assert len(kept) == 7
        assert kept[0].name.endswith((T0 + timedelta(days=9)).date().isoformat())
        b = sqlite3.connect(kept[0])
        assert b.execute("SELECT name FROM learners").fetchall() == [("ann",)]
        b.close()


def test_transactions_roll_back_together(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as s:
        with pytest.raises(RuntimeError), s.transaction():
            s.ensure_learner("ann")
            raise RuntimeError("boom")
        assert s.learners() == []


def test_a_write_waits_for_another_writer(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "p.db"
    with Store.open(path, clock=FixedClock(T0)) as s:
        s.sync_deck(deck())
        other = sqlite3.connect(path, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO learners (name, created_at) VALUES ('bob', 'x')")
        release = threading.Timer(0.3, other.commit)
        release.start()
        s.record_review(review_id="r1", learner="ann", deck="d", card_id="c0", rating=3, now=T0)
        release.join()
        other.close()
        assert s.learners() == ["ann", "bob"]
        assert len(s.reviews()) == 1


def test_settings_edited_by_hand_fall_back_to_defaults(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as s:
        s.ensure_learner("ann")
        s.db.execute(
            "UPDATE learners SET settings = ? WHERE name = 'ann'",
            [
                '{"new_per_day": "lots", "rollover_hour": 31, "leech_action": "explode", "reviews_per_day": 50}'
            ],
        )
        got = s.settings("ann")
        assert (
            got["new_per_day"],
            got["rollover_hour"],
            got["leech_action"],
            got["reviews_per_day"],
        ) == (20, 4, "suspend", 50)
        assert s.study_day("ann").rollover_hour == 4
        s.db.execute("UPDATE learners SET settings = 'not json' WHERE name = 'ann'")
        assert s.settings("ann")["new_per_day"] == 20
