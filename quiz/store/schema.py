"""The progress database schema, evolved only through numbered migrations.

Table names and columns are part of the public surface: instructors query them
directly. Add a new ``m00N_`` function to change the schema; never edit an
applied one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

SCHEMA_VERSION = 3
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
