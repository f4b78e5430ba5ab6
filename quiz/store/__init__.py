"""The progress store: learners, decks, card states and the append-only review log.

``Store.open(path)`` checks and migrates the SQLite file; every write runs in
one transaction (``store.transaction()``). ``store.db`` is the sqlite-utils
``Database``: read it freely, write only through the store.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from fsrs import Scheduler

from quiz.deck.model import Deck
from quiz.errors import StoreError
from quiz.store import progress, progress_reads
from quiz.store.database import StoreBase, database_failures, db_path, default_db_path
from quiz.store.progress import ImportedReview, ReviewRecord
from quiz.store.progress_reads import CardEvent, Review, SessionRow
from quiz.store.schema import json_object
from quiz.store.sync import SyncReport, sync_deck
from quiz.study.clock import Clock, system_clock, to_iso
from quiz.study.options import DEFAULTS, DeckOptions
from quiz.study.options import check as check_option
from quiz.study.options import from_layers as options_from_layers
from quiz.study.options import to_stored as option_to_stored
from quiz.study.scheduling import CardState, SchedulerSettings
from quiz.study.studyday import StudyDay

__all__ = [
    "CARD_MARKS",
    "CardEvent",
    "ImportedReview",
    "MarkedCard",
    "Review",
    "ReviewRecord",
    "SessionRow",
    "Store",
    "StoreError",
    "SyncReport",
    "database_failures",
    "db_path",
    "default_db_path",
    "default_learner",
    "settings_from_layers",
    "study_day_from",
]

CARD_MARKS: dict[str, str] = {"suspended": "suspended", "flagged": "flagged", "leeches": "leech"}
"""The card lists ``quiz cards`` shows, by name, and the ``card_states`` column marking them."""


class MarkedCard(NamedTuple):
    """A card on a learner's suspended, flagged or leech list."""

    learner: str
    deck: str
    card_id: str
    lapses: int
    flag_comment: str | None
    retired: bool


DEFAULT_SETTINGS: dict[str, Any] = DEFAULTS.to_json()
"""Every option's default (from :data:`quiz.study.options.DEFAULTS`), as ``settings`` gives them."""


def default_learner() -> str:
    """The OS user name, else ``learner``."""
    try:
        name = getpass.getuser().strip()
    except Exception:  # getuser raises various errors without a user database
        name = ""
    return name or "learner"


class Store(StoreBase):
    """One open progress database."""

    def __init__(self, path: Path, db: Any, clock: Clock) -> None:
        super().__init__(path, db, clock)
        self._params_ids: dict[SchedulerSettings, int] = {}
        self._schedulers: dict[SchedulerSettings, Scheduler] = {}

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, clock: Clock | None = None, readonly: bool = False
    ) -> Store:
        """Open (creating or migrating) the database at ``path``; see :func:`default_db_path`.

        ``readonly``: open an existing database for reading only (``mode=ro``), for the
        commands that only read (stats, report, cards, progress export); any write fails."""
        if readonly:
            resolved, db = cls._open_readonly(path, clock)
            store = cls(resolved, db, clock or system_clock)
            store.readonly = True
            return store
        resolved, db = cls._open_database(path, clock)
        return cls(resolved, db, clock or system_clock)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- learners and settings ---------------------------------------------
    def ensure_learner(self, name: str) -> None:
        progress.check_learner_name(name)
        if progress.learner_exists(self.db, name):
            return
        with self.transaction() as db:
            progress.add_learner(db, name, self.clock())

    def learners(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM learners ORDER BY name")]

    def _option_layers(self, learner: str, deck: str | None) -> list[dict[str, Any]]:
        """Stored settings, weakest first: the learner's (``learners``), the learner's
        options for all decks, the deck's (``decks``, for every learner), the learner's
        options for this deck."""
        layers: list[dict[str, Any]] = []
        row = self.db.execute(
            "SELECT settings, desired_retention FROM learners WHERE name = ?", [learner]
        ).fetchone()
        layers.append(_with_retention(row))
        layers.append(self._stored_options(learner, ""))
        if deck is not None:
            row = self.db.execute(
                "SELECT settings, desired_retention FROM decks WHERE id = ?", [deck]
            ).fetchone()
            layers.append(_with_retention(row))
            layers.append(self._stored_options(learner, deck))
        return layers

    def _stored_options(self, learner: str, deck: str) -> dict[str, Any]:
        row = self.db.execute(
            "SELECT settings FROM options WHERE learner = ? AND deck = ?", [learner, deck]
        ).fetchone()
        return json_object(row[0] if row else None)

    def options(self, learner: str, deck: str | None = None) -> DeckOptions:
        """The learner's options for ``deck`` (None: for all their decks): defaults,
        overridden by what is stored (see :meth:`_option_layers`)."""
        return options_from_layers(self._option_layers(learner, deck))

    def stored_options(self, learner: str, deck: str | None = None) -> dict[str, Any]:
        """Only what the learner set themselves, for ``deck`` or (None) all decks."""
        return self._stored_options(learner, deck or "")

    def set_options(self, learner: str, deck: str | None = None, **changes: Any) -> DeckOptions:
        """Check and store some of a learner's options, for one deck or (None) all their
        decks; a value of None removes the setting. Returns the options now in force.
        Raises :class:`quiz.study.options.OptionError` (nothing stored) on a bad value."""
        checked = {k: None if v is None else check_option(k, v) for k, v in changes.items()}
        with self.transaction():
            self.ensure_learner(learner)
            current = self._stored_options(learner, deck or "")
            for key, value in checked.items():
                if value is None:
                    current.pop(key, None)
                else:
                    current[key] = option_to_stored(key, value)
            self.db.execute(
                "INSERT INTO options (learner, deck, settings, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (learner, deck) DO UPDATE SET settings = excluded.settings, "
                "updated_at = excluded.updated_at",
                [learner, deck or "", json.dumps(current, sort_keys=True), to_iso(self.clock())],
            )
        return self.options(learner, deck)

    def add_new_today(
        self, learner: str, deck: str, extra: int, now: datetime | None = None
    ) -> int:
        """Custom study: ``extra`` more new cards today in ``deck``; returns today's new limit."""
        extra = check_option("new_per_day", extra)
        day = self.study_day(learner, deck).day_of(now or self.clock()).isoformat()
        before = self.options(learner, deck).extra_new.get(day, 0)
        total = min(before + extra, 9999)
        opts = self.set_options(learner, deck, extra_new={day: total})  # older days dropped
        return opts.new_limit_on(day)

    def settings(self, learner: str, deck: str | None = None) -> dict[str, Any]:
        """The learner's options for ``deck`` as JSON values (see :meth:`options`)."""
        return self.options(learner, deck).to_json()

    def update_settings(self, learner: str, **changes: Any) -> None:
        """Change some of a learner's options for all their decks (checked)."""
        self.set_options(learner, None, **changes)

    def set_desired_retention(
        self, value: float | None, *, learner: str | None = None, deck: str | None = None
    ) -> None:
        """Set desired retention for a learner, or a deck for every learner (a deck's wins);
        None resets."""
        if value is not None:
            value = check_option("desired_retention", value)
        if learner is not None:
            self.set_options(learner, None, desired_retention=value)
        if deck is not None:
            with self.transaction():
                self.db.execute(
                    "UPDATE decks SET desired_retention = ? WHERE id = ?", [value, deck]
                )

    def desired_retention(self, learner: str, deck: str) -> float:
        return self.options(learner, deck).desired_retention

    def scheduler_settings(self, learner: str, deck: str) -> SchedulerSettings:
        """How to schedule for this learner and deck (their options, fitted parameters)."""
        return SchedulerSettings.from_options(self.options(learner, deck))

    def scheduler(self, settings: SchedulerSettings) -> Scheduler:
        sch = self._schedulers.get(settings)
        if sch is None:
            sch = self._schedulers[settings] = settings.scheduler()
        return sch

    def params_id(self, settings: SchedulerSettings) -> int:
        """The ``scheduler_params`` row for these settings (created on first use)."""
        pid = self._params_ids.get(settings)
        if pid is not None:
            return pid
        row = settings.to_row()
        cols = list(row)
        with self.transaction():
            self.db.execute(
                f"INSERT INTO scheduler_params ({', '.join(cols)}) VALUES "
                f"({', '.join('?' for _ in cols)}) ON CONFLICT DO NOTHING",
                [row[c] for c in cols],
            )
            found = self.db.execute(
                f"SELECT id FROM scheduler_params WHERE {' AND '.join(c + ' = ?' for c in cols)}",
                [row[c] for c in cols],
            ).fetchone()
        self._params_ids[settings] = int(found[0])
        return int(found[0])

    def study_day(self, learner: str, deck: str | None = None) -> StudyDay:
        return study_day_from(self.settings(learner, deck))

    # --- decks -------------------------------------------------------------
    def sync_deck(self, deck: Deck, path: str | Path | None = None) -> SyncReport:
        """Bring the stored deck and cards in line with ``deck`` (see :mod:`quiz.store.sync`)."""
        return sync_deck(self, deck, path)

    def ensure_states(self, learner: str, deck: str) -> int:
        """Give ``learner`` a New ``card_states`` row for each active card lacking one."""
        with self.transaction():
            self.ensure_learner(learner)
            have = self.db.execute(
                "SELECT count(*) FROM card_states WHERE learner = ? AND deck = ?", [learner, deck]
            ).fetchone()[0]
            total = self.db.execute("SELECT count(*) FROM cards WHERE deck = ?", [deck]).fetchone()[
                0
            ]
            if have >= total:
                return 0
            cur = self.db.execute(
                "INSERT INTO card_states (learner, deck, card_id, state, position) "
                "SELECT ?, c.deck, c.card_id, 0, c.position FROM cards c WHERE c.deck = ? "
                "AND c.retired = 0 AND NOT EXISTS (SELECT 1 FROM card_states s WHERE "
                "s.learner = ? AND s.deck = c.deck AND s.card_id = c.card_id)",
                [learner, deck, learner],
            )
            return cur.rowcount

    def deck_ids(self) -> list[str]:
        """Every deck id the database knows, sorted."""
        return [r[0] for r in self.db.execute("SELECT id FROM decks ORDER BY id")]

    # --- the deck library (see quiz.store.library) ---------------------------
    def add_to_library(
        self,
        path: str | Path,
        *,
        deck: str | None = None,
        title: str | None = None,
        added_by: str = "add",
    ) -> bool:
        """Remember a deck file or folder for home; True if it was not there yet."""
        from quiz.store import library

        return library.add(self, path, deck=deck, title=title, added_by=added_by)

    def library(self) -> list[Any]:
        """The remembered deck files and folders (``LibraryEntry``), oldest first."""
        from quiz.store import library

        return library.entries(self)

    def remove_from_library(self, name: str) -> list[Any]:
        """Forget a deck file or folder (by path or deck id); progress is kept."""
        from quiz.store import library

        return library.remove(self, name)

    def has_deck(self, deck: str) -> bool:
        return self.db.execute("SELECT 1 FROM decks WHERE id = ?", [deck]).fetchone() is not None

    def deck_path(self, deck: str) -> str | None:
        """The deck file last synced for ``deck``, or None if unknown."""
        row = self.db.execute("SELECT path FROM decks WHERE id = ?", [deck]).fetchone()
        return row[0] if row and row[0] else None

    def resolve_card_id(self, deck: str, card_id: str) -> str:
        """The current id of a card (following ``previous_ids`` renames)."""
        row = self.db.execute(
            "SELECT new_id FROM card_aliases WHERE deck = ? AND old_id = ?", [deck, card_id]
        ).fetchone()
        return row[0] if row else card_id

    # --- progress ----------------------------------------------------------
    def card_state(self, learner: str, deck: str, card_id: str) -> dict[str, Any] | None:
        """The ``card_states`` row of one card, or None if never seen."""
        return progress.state_row(self.db, learner, deck, card_id)

    def card_states_of_deck(self, learner: str, deck: str) -> dict[str, dict[str, Any]]:
        """Card id -> the learner's ``card_states`` row, for every card of ``deck`` seen so far."""
        cur = self.db.execute(
            "SELECT card_id, state, due, last_review, reps, lapses, suspended, flagged, "
            "flag_comment, leech, buried_until FROM card_states WHERE learner = ? AND deck = ?",
            [learner, deck],
        )
        cols = [d[0] for d in cur.description]
        return {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}

    def review_history(self, learner: str, deck: str, card_id: str) -> list[dict[str, Any]]:
        """Every answer ``learner`` gave to a card (under its current or previous ids),
        oldest first: ``reviewed_at``, ``rating``, ``answer``, ``verdict``, ``mode``,
        ``duration_ms``."""
        cur = self.db.execute(
            "SELECT reviewed_at, rating, answer, verdict, mode, duration_ms FROM reviews "
            "WHERE learner = ? AND deck = ? AND (card_id = ? OR card_id IN "
            "(SELECT old_id FROM card_aliases WHERE deck = ? AND new_id = ?)) "
            "ORDER BY reviewed_at, rowid",
            [learner, deck, card_id, deck, card_id],
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def reviews(
        self,
        *,
        learner: str | None = None,
        deck: str | None = None,
        card_id: str | None = None,
        mode: str | None = None,
    ) -> list[Review]:
        """The review log (rows matching every given field), in the order written."""
        return progress_reads.reviews(
            self.db, learner=learner, deck=deck, card_id=card_id, mode=mode
        )

    def card_events(
        self, *, learner: str | None = None, deck: str | None = None, card_id: str | None = None
    ) -> list[CardEvent]:
        """Suspends, buries, flags, leech marks and restores (matching every given field),
        oldest first."""
        return progress_reads.card_events(self.db, learner=learner, deck=deck, card_id=card_id)

    def sessions(self, learner: str | None = None) -> list[SessionRow]:
        """The study sessions (of ``learner``), in the order they started."""
        return progress_reads.sessions(self.db, learner=learner)

    def card_states(
        self, *, learner: str | None = None, deck: str | None = None
    ) -> list[dict[str, Any]]:
        """Every ``card_states`` row (of ``learner`` / ``deck``), by learner, deck, card id."""
        return progress_reads.card_states(self.db, learner=learner, deck=deck)

    def stored_cards(self, deck: str) -> list[dict[str, Any]]:
        """The synced ``cards`` rows of ``deck``, retired ones too, in deck order."""
        return progress_reads.stored_cards(self.db, deck)

    def review_parameters(self, review_id: str) -> dict[str, Any] | None:
        """The stored FSRS settings a review was scheduled with (None if it names none)."""
        return progress_reads.review_parameters(self.db, review_id)

    def record_review(
        self,
        *,
        review_id: str,
        learner: str,
        deck: str,
        card_id: str,
        rating: int,
        now: datetime,
        mode: str = "study",
        duration_ms: int | None = None,
        answer: str | None = None,
        correct: bool | None = None,
        verdict: str | None = None,
        session_id: str | None = None,
        settings: SchedulerSettings | None = None,
        leech_threshold: int | None = None,
        leech_action: str | None = None,
        study_day: StudyDay | None = None,
    ) -> ReviewRecord:
        """Commit one answer, and (in study mode) the card's new state, in one transaction.

        ``settings``, ``leech_threshold``, ``leech_action`` and ``study_day`` default to the
        learner's options for the deck; see :func:`quiz.store.progress.record_review`."""
        self.ensure_learner(learner)
        if settings is None or leech_threshold is None or leech_action is None:
            opts = self.options(learner, deck)
            settings = settings or SchedulerSettings.from_options(opts)
            leech_threshold = opts.leech_threshold if leech_threshold is None else leech_threshold
            leech_action = leech_action or opts.leech_action
        if study_day is None:
            study_day = self.study_day(learner, deck)
        with self.transaction() as db:
            return progress.record_review(
                db,
                scheduler=self.scheduler(settings),
                params_id=self.params_id(settings),
                review_id=review_id,
                learner=learner,
                deck=deck,
                card_id=card_id,
                rating=rating,
                now=now,
                mode=mode,
                duration_ms=duration_ms,
                answer=answer,
                correct=correct,
                verdict=verdict,
                session_id=session_id,
                leech_threshold=leech_threshold,
                leech_action=leech_action,
                study_day=study_day,
            )

    def import_reviews(self, reviews: Iterable[ImportedReview]) -> tuple[int, int]:
        """Add checked reviews from another database in one transaction; ``(added,
        skipped)``, see :func:`quiz.store.progress.import_reviews`."""
        with self.transaction() as db:
            return progress.import_reviews(db, reviews)

    def undo_review(self, review_id: str) -> bool:
        """Delete a review and put the card's state back, atomically; False (nothing
        changed) if the card was reviewed again since."""
        with self.transaction() as db:
            return progress.undo_review(db, review_id)

    def card_action(
        self, learner: str, deck: str, card_id: str, action: str, comment: str | None = None
    ) -> None:
        """Suspend, unsuspend, bury (``comment`` = until, ISO), unbury, flag, unflag or restore."""
        self.ensure_learner(learner)
        with self.transaction() as db:
            progress.card_action(db, learner, deck, card_id, action, comment, self.clock())

    def suspend(self, learner: str, deck: str, card_id: str) -> None:
        self.card_action(learner, deck, card_id, "suspend")

    def bury(self, learner: str, deck: str, card_id: str, now: datetime | None = None) -> datetime:
        """Hide a card until the learner's next study day; returns when it returns."""
        until = self.study_day(learner, deck).next_rollover(now or self.clock())
        self.card_action(learner, deck, card_id, "bury", to_iso(until))
        return until

    def flag(self, learner: str, deck: str, card_id: str, comment: str | None = None) -> None:
        self.card_action(learner, deck, card_id, "flag", comment)

    def restore(self, learner: str, deck: str, card_id: str) -> None:
        """Unsuspend, unflag, unbury and clear the leech mark."""
        self.card_action(learner, deck, card_id, "restore")

    def marked_cards(
        self, mark: str, deck: str | None = None, learner: str | None = None
    ) -> list[MarkedCard]:
        """Cards carrying ``mark`` (one of :data:`CARD_MARKS`), by deck, learner and deck order."""
        sql = (
            "SELECT cs.learner, cs.deck, cs.card_id, cs.lapses, cs.flag_comment, c.retired "
            "FROM card_states cs LEFT JOIN cards c ON c.deck = cs.deck AND c.card_id = cs.card_id "
            f"WHERE cs.{CARD_MARKS[mark]} = 1"
        )
        params: list[str] = []
        if deck is not None:
            sql += " AND cs.deck = ?"
            params.append(deck)
        if learner is not None:
            sql += " AND cs.learner = ?"
            params.append(learner)
        sql += " ORDER BY cs.deck, cs.learner, c.position, cs.card_id"
        return [
            MarkedCard(lr, dk, cid, lapses, comment, bool(retired))
            for lr, dk, cid, lapses, comment, retired in self.db.execute(sql, params).fetchall()
        ]

    def learners_of_card(self, deck: str, card_id: str, learner: str | None = None) -> list[str]:
        """The learners with progress on a card (only ``learner`` when given)."""
        params = [deck, card_id]
        sql = "SELECT learner FROM card_states WHERE deck = ? AND card_id = ?"
        if learner is not None:
            sql += " AND learner = ?"
            params.append(learner)
        return [r[0] for r in self.db.execute(sql, params)]

    # --- simulation and fitting inputs ---------------------------------------
    def simulation_cards(self, learner: str, deck: str | None = None) -> list[CardState]:
        """The learner's active, unsuspended cards (every deck, or ``deck``), new ones in deck
        order; a deck's cards the learner never saw count as new."""
        sql = (
            "SELECT cs.state, cs.step, cs.stability, cs.difficulty, cs.due, cs.last_review, "
            "cs.reps, cs.lapses FROM card_states cs JOIN cards c ON c.deck = cs.deck AND "
            "c.card_id = cs.card_id WHERE cs.learner = ? AND cs.suspended = 0 AND c.retired = 0"
        )
        params: list[Any] = [learner]
        if deck is not None:
            sql += " AND cs.deck = ?"
            params.append(deck)
        sql += " ORDER BY cs.deck, c.position, cs.card_id"
        cols = CardState.FIELDS
        cards = [
            CardState.from_row(dict(zip(cols, r, strict=True)))
            for r in self.db.execute(sql, params)
        ]
        if deck is not None:
            unseen = self.db.execute(
                "SELECT count(*) FROM cards c WHERE c.deck = ? AND c.retired = 0 AND NOT EXISTS "
                "(SELECT 1 FROM card_states cs WHERE cs.learner = ? AND cs.deck = c.deck "
                "AND cs.card_id = c.card_id)",
                [deck, learner],
            ).fetchone()[0]
            cards.extend(CardState() for _ in range(int(unseen)))
        return cards

    def answer_profile(self, learner: str, deck: str | None = None) -> dict[str, Any]:
        """From the learner's study reviews: median seconds per answer (None without any),
        counts of first ratings of new cards, and of ratings of recalled review cards."""
        where = "learner = ? AND mode = 'study'"
        params: list[Any] = [learner]
        if deck is not None:
            where += " AND deck = ?"
            params.append(deck)
        durations = sorted(
            r[0]
            for r in self.db.execute(
                f"SELECT duration_ms FROM reviews WHERE {where} AND duration_ms > 0", params
            )
        )
        median = durations[len(durations) // 2] / 1000 if durations else None
        first = dict.fromkeys((1, 2, 3, 4), 0)
        recalled = dict.fromkeys((2, 3, 4), 0)
        for state, rating, n in self.db.execute(
            f"SELECT json_extract(state_before, '$.state'), rating, count(*) FROM reviews "
            f"WHERE {where} GROUP BY 1, 2",
            params,
        ):
            if state == 0:
                first[int(rating)] += n
            elif state == 2 and rating > 1:
                recalled[int(rating)] += n
        return {"seconds_per_answer": median, "first_ratings": first, "recalled_ratings": recalled}

    def review_log(
        self, learner: str, deck: str | None = None
    ) -> list[tuple[str, str, datetime, int]]:
        """The learner's study reviews, oldest first: (deck, card id, time, rating); a renamed
        card's old reviews under its current id."""
        from quiz.study.clock import from_iso

        sql = (
            "SELECT r.deck, coalesce(a.new_id, r.card_id), r.reviewed_at, r.rating FROM reviews r "
            "LEFT JOIN card_aliases a ON a.deck = r.deck AND a.old_id = r.card_id "
            "WHERE r.learner = ? AND r.mode = 'study'"
        )
        params: list[Any] = [learner]
        if deck is not None:
            sql += " AND r.deck = ?"
            params.append(deck)
        sql += " ORDER BY r.reviewed_at, r.rowid"
        return [(d, c, from_iso(at), int(rt)) for d, c, at, rt in self.db.execute(sql, params)]  # type: ignore[misc]

    def rebuild_states(self, learner: str | None = None, deck: str | None = None) -> int:
        """Recompute ``card_states`` (of one learner and/or deck) from the review log and
        card events, in one transaction; returns how many states were replayed."""
        with self.transaction() as db:
            schedulers: dict[int | None, Scheduler] = {
                pid: self.scheduler(settings)
                for pid, settings in progress.stored_scheduler_settings(db).items()
            }
            current: dict[tuple[str, str], int] = {}
            for lr, dk in progress.unparameterised_pairs(db, learner, deck):
                settings = self.scheduler_settings(lr, dk)
                current[(lr, dk)] = self.params_id(settings)
                schedulers[current[(lr, dk)]] = self.scheduler(settings)
            study_days = {
                (lr, dk): self.study_day(lr, dk)
                for lr, dk in progress.progress_pairs(db, learner, deck)
            }
            return progress.rebuild_states(
                db,
                schedulers=schedulers,
                current_params=current,
                study_days=study_days,
                now=self.clock(),
                learner=learner,
                deck=deck,
            )

    # --- sessions ----------------------------------------------------------
    def start_session(self, session_id: str, learner: str, deck: str, mode: str) -> None:
        with self.transaction():
            self.ensure_learner(learner)
            self.db.execute(
                "INSERT INTO sessions (id, learner, deck, mode, started_at) VALUES (?, ?, ?, ?, ?)",
                [session_id, learner, deck, mode, to_iso(self.clock())],
            )

    def end_session(self, session_id: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ?", [to_iso(self.clock()), session_id]
            )


def study_day_from(settings: dict[str, Any]) -> StudyDay:
    """The study day of a learner's options as JSON values (:meth:`Store.settings`)."""
    tz = None
    if settings.get("timezone"):
        from quiz.study.studyday import parse_zone

        try:
            tz = parse_zone(str(settings["timezone"]))
        except ValueError:
            tz = None  # a hand-edited setting: the local zone is safer than failing
    return StudyDay(int(settings["rollover_hour"]), tz)


def settings_from_layers(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Options as JSON values from stored layers, weakest first (see ``Store._option_layers``)."""
    return options_from_layers(layers).to_json()


def _with_retention(row: Any) -> dict[str, Any]:
    """A ``learners``/``decks`` row's settings JSON with its ``desired_retention`` column."""
    if row is None:
        return {}
    layer = json_object(row[0])
    if row[1] is not None:
        layer["desired_retention"] = row[1]
    return layer
