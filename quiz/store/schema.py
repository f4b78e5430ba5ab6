"""The progress database schema, evolved only through numbered migrations.

Table names and columns are part of the public surface: instructors query them
directly. Add a new ``m00N_`` function to change the schema; never edit an
applied one.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database, Migrations

SCHEMA_VERSION = 8
"""The newest migration this version of quiz knows; stored in ``PRAGMA user_version``."""

migrations = Migrations("quiz")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE learners (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            desired_retention REAL,          -- NULL: the default (0.9)
            settings TEXT NOT NULL DEFAULT '{}'  -- JSON: limits, rollover hour, ...
        )"""
    )
    db.execute(
        """
        CREATE TABLE decks (
            id TEXT PRIMARY KEY,             -- the deck's `deck` slug
            title TEXT NOT NULL,
            path TEXT,                       -- file it was last loaded from
            first_seen TEXT NOT NULL,
            desired_retention REAL,          -- NULL: the learner's or the default
            settings TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute(
        """
        CREATE TABLE cards (
            deck TEXT NOT NULL REFERENCES decks(id),
            card_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            type TEXT NOT NULL,
            kind TEXT NOT NULL,
            section TEXT,
            grp TEXT,                         -- the card's `group` (siblings)
            first_seen TEXT NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0, -- 1 when gone from the deck file or retired
            PRIMARY KEY (deck, card_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE scheduler_params (
            id INTEGER PRIMARY KEY,
            parameters TEXT NOT NULL,         -- JSON list of FSRS weights
            desired_retention REAL NOT NULL,
            learning_steps TEXT NOT NULL,     -- JSON list of seconds
            relearning_steps TEXT NOT NULL,
            maximum_interval INTEGER NOT NULL,
            enable_fuzzing INTEGER NOT NULL,
            UNIQUE (parameters, desired_retention, learning_steps, relearning_steps,
                    maximum_interval, enable_fuzzing)
        )"""
    )
    db.execute(
        """
        CREATE TABLE card_states (
            learner TEXT NOT NULL REFERENCES learners(name),
            deck TEXT NOT NULL,
            card_id TEXT NOT NULL,
            state INTEGER NOT NULL DEFAULT 0, -- 0 new, 1 learning, 2 review, 3 relearning
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,                         -- UTC ISO-8601; NULL while new
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,                -- UTC start of the study day it returns
            flagged INTEGER NOT NULL DEFAULT 0,
            flag_comment TEXT,
            leech INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (learner, deck, card_id),
            FOREIGN KEY (deck, card_id) REFERENCES cards(deck, card_id)
        )"""
    )
    db.execute("CREATE INDEX idx_card_states_due ON card_states(learner, deck, state, due)")
    db.execute(
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,              -- uuid
            learner TEXT NOT NULL REFERENCES learners(name),
            deck TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('study', 'practice', 'exam')),
            started_at TEXT NOT NULL,
            ended_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE reviews (
            id TEXT PRIMARY KEY,              -- uuid; unique across machines
            learner TEXT NOT NULL,
            deck TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,        -- UTC ISO-8601
            duration_ms INTEGER,
            answer TEXT,                      -- what was typed or chosen
            correct INTEGER,                  -- 1, 0, or NULL when self-graded
            verdict TEXT,                     -- correct | close | wrong | self
            mode TEXT NOT NULL CHECK (mode IN ('study', 'practice', 'exam')),
            session_id TEXT,
            params_id INTEGER REFERENCES scheduler_params(id),
            state_before TEXT,                -- JSON of the card_states FSRS fields
            state_after TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_reviews_learner_time ON reviews(learner, deck, reviewed_at)")
    db.execute("CREATE INDEX idx_reviews_card ON reviews(learner, deck, card_id, reviewed_at)")
    db.execute(
        """
        CREATE TABLE card_events (
            id INTEGER PRIMARY KEY,
            learner TEXT NOT NULL,
            deck TEXT NOT NULL,
            card_id TEXT NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL,             -- suspend, unsuspend, bury, unbury, flag, unflag, leech
            comment TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_card_events_card ON card_events(deck, card_id)")


@migrations()
def m002_engine(db: Database) -> None:
    """Deck order, renamed cards (``previous_ids``) and links from events to reviews."""
    db.execute("ALTER TABLE cards ADD COLUMN position INTEGER")  # order in the deck file
    db.execute("ALTER TABLE card_states ADD COLUMN position INTEGER")  # copy, for the new queue
    db.execute("CREATE INDEX idx_card_states_new ON card_states(learner, deck, state, position)")
    db.execute(
        """
        CREATE TABLE card_aliases (
            deck TEXT NOT NULL,
            old_id TEXT NOT NULL,             -- a card id listed in previous_ids
            new_id TEXT NOT NULL,             -- the card that carries its progress now
            PRIMARY KEY (deck, old_id)
        )"""
    )
    db.execute("ALTER TABLE card_events ADD COLUMN review_id TEXT")  # the review that caused it
    db.execute("CREATE INDEX idx_card_events_review ON card_events(review_id)")
    db.execute("CREATE INDEX idx_reviews_session ON reviews(session_id)")


@migrations()
def m003_reviews_today_index(db: Database) -> None:
    """A covering index for "what was studied today" (daily limits, siblings)."""
    db.execute(
        "CREATE INDEX idx_reviews_day ON reviews(learner, deck, reviewed_at, mode, "
        "json_extract(state_before, '$.state'), card_id)"
    )


# --- answers per learner, deck and quarter hour (statistics without reading the log)

BUCKET_SECONDS = 900
"""``review_buckets.slot`` is ``unixepoch(reviewed_at) / 900``: every real time zone's
offset and every rollover hour fall on a quarter hour, so a slot lies in one study day."""

MATURE_DAYS = 21
"""A review card is mature when its scheduled interval is at least this many days (Anki)."""


def _json_state_is(col: str, value: int) -> str:
    """SQL: is the JSON ``state`` in ``col`` equal to ``value`` (a fast text search on the
    format quiz writes, ``json.dumps``, else a full JSON parse)."""
    return (
        f"""(instr({col}, '"state": {value}') > 0 """
        f"""OR (instr({col}, '"state": ') = 0 AND {col} ->> '$.state' = {value}))"""
    )


def _json_julianday(col: str, key: str) -> str:
    """SQL: the Julian day of the timestamp ``key`` in the JSON in ``col`` (fast path: the
    stored form ``YYYY-MM-DDTHH:MM:SS.mmm+00:00`` found by text search)."""
    needle = f'"{key}": "'
    return (
        f"coalesce(julianday(substr({col}, nullif(instr({col}, '{needle}'), 0) + {len(needle)}, 23)), "
        f"CASE WHEN instr({col}, '\"{key}\"') > 0 THEN julianday({col} ->> '$.{key}') END)"
    )


def answer_class(row: str) -> str:
    """SQL for the class of the answer in ``row`` (``NEW`` or ``OLD`` in a trigger, or a table
    alias): 0 unless a study-mode answer to a card in the review state; then 1 young passed,
    2 young failed, 3 mature passed, 4 mature failed (young/mature by the interval it had)."""
    before = f"{row}.state_before"
    mature = f"{_json_julianday(before, 'due')} - {_json_julianday(before, 'last_review')} >= {MATURE_DAYS}"
    return (
        f"CASE WHEN {row}.mode = 'study' AND {_json_state_is(before, 2)} THEN "
        f"(CASE WHEN {mature} THEN 2 ELSE 0 END) + (CASE WHEN {row}.rating = 1 THEN 2 ELSE 1 END) "
        "ELSE 0 END"
    )


def _bucket_upsert(row: str, sign: str) -> str:
    """Add (``sign`` 1) or take away (-1) the review ``row`` (``NEW``/``OLD``) in its bucket."""
    cls = f"({answer_class(row)})"
    values = ", ".join(
        [
            f"{row}.learner",
            f"{row}.deck",
            f"CAST(unixepoch({row}.reviewed_at) / {BUCKET_SECONDS} AS INTEGER)",
            sign,
            f"{sign} * max(coalesce({row}.duration_ms, 0), 0)",
            *(f"{sign} * ({cls} = {k})" for k in (1, 2, 3, 4)),
        ]
    )
    return (
        f"INSERT INTO review_buckets (learner, deck, slot, {_BUCKET_COLUMNS}) "
        f"SELECT {values} WHERE unixepoch({row}.reviewed_at) IS NOT NULL "
        f"ON CONFLICT (learner, deck, slot) DO UPDATE SET {_BUCKET_ADD};"
    )


_BUCKET_COLUMNS = "answers, time_ms, young_passed, young_failed, mature_passed, mature_failed"
_BUCKET_ADD = ", ".join(f"{c} = {c} + excluded.{c}" for c in _BUCKET_COLUMNS.split(", "))


@migrations()
def m004_review_buckets(db: Database) -> None:
    """Answers summed per learner, deck and quarter hour, kept by triggers on ``reviews``.

    Statistics read these sums (one row per quarter hour with answers) instead of every
    answer; the triggers keep them exact through inserts, undo (delete) and updates.
    """
    db.execute(
        """CREATE TABLE review_buckets (
            learner TEXT NOT NULL,
            deck TEXT NOT NULL,
            slot INTEGER NOT NULL, -- unixepoch(reviewed_at) / 900
            answers INTEGER NOT NULL,
            time_ms INTEGER NOT NULL, -- answering time, negative durations as 0
            young_passed INTEGER NOT NULL, -- study answers to review cards, interval < 21 d
            young_failed INTEGER NOT NULL,
            mature_passed INTEGER NOT NULL,
            mature_failed INTEGER NOT NULL,
            PRIMARY KEY (learner, deck, slot)
        ) WITHOUT ROWID"""
    )
    cls = f"({answer_class('r')})"
    db.execute(
        f"INSERT INTO review_buckets (learner, deck, slot, {_BUCKET_COLUMNS}) "
        f"SELECT r.learner, r.deck, CAST(unixepoch(r.reviewed_at) / {BUCKET_SECONDS} AS INTEGER), "
        "count(*), sum(max(coalesce(r.duration_ms, 0), 0)), "
        + ", ".join(f"sum({cls} = {k})" for k in (1, 2, 3, 4))
        + " FROM reviews r WHERE unixepoch(r.reviewed_at) IS NOT NULL GROUP BY 1, 2, 3"
    )
    db.execute(
        f"CREATE TRIGGER reviews_bucket_insert AFTER INSERT ON reviews BEGIN "
        f"{_bucket_upsert('NEW', '1')} END"
    )
    db.execute(
        f"CREATE TRIGGER reviews_bucket_delete AFTER DELETE ON reviews BEGIN "
        f"{_bucket_upsert('OLD', '-1')} END"
    )
    db.execute(
        f"CREATE TRIGGER reviews_bucket_update AFTER UPDATE ON reviews BEGIN "
        f"{_bucket_upsert('OLD', '-1')} {_bucket_upsert('NEW', '1')} END"
    )


@migrations()
def m005_options(db: Database) -> None:
    """Deck options per learner (``deck = ''``: all their decks) and per learner and deck."""
    db.execute(
        """
        CREATE TABLE options (
            learner TEXT NOT NULL,
            deck TEXT NOT NULL,               -- '' : every deck of the learner
            settings TEXT NOT NULL DEFAULT '{}',  -- JSON: new_per_day, learning_steps (seconds), ...
            updated_at TEXT,
            PRIMARY KEY (learner, deck)
        )"""
    )


@migrations()
def m006_deck_library(db: Database) -> None:
    """The deck library: deck files and folders the learner added, shown on home until removed."""
    db.execute(
        """
        CREATE TABLE deck_library (
            path TEXT PRIMARY KEY,            -- absolute path of a deck file or folder
            deck TEXT,                        -- its deck id when added (a file), for `quiz remove ID`
            title TEXT,                       -- its title when added, shown if the file goes missing
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL            -- add, decks, generate, import, study
        )"""
    )


@migrations()
def m007_database_identity(db: Database) -> None:
    """A random id per database file, so copies of one file (a classroom image) are told
    apart: made on the first open, made anew when the file turns out to be a copy
    (both another path and another inode). See quiz.store.identity."""
    db.execute(
        """
        CREATE TABLE database_identity (
            id TEXT NOT NULL,                 -- random (uuid4 hex)
            made_at TEXT NOT NULL,            -- UTC ISO-8601
            path TEXT NOT NULL,               -- the file's absolute path when the id was made
            inode INTEGER,
            device INTEGER,
            host TEXT NOT NULL,               -- the machine's host name then
            previous TEXT NOT NULL DEFAULT '[]' -- JSON list of the ids of the file it was copied from
        )"""
    )


@migrations()
def m008_again_answers_index(db: Database) -> None:
    """A partial index of the Again answers: the hardest cards (statistics, report) are
    counted from it alone instead of every review (1M reviews: 2.9 s -> milliseconds)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_reviews_again ON reviews(learner, deck, card_id) "
        "WHERE rating = 1"
    )


def json_object(text: str | None) -> dict[str, Any]:
    """A stored JSON text as a dict: {} when empty, not JSON, or not an object."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
