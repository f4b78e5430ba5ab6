"""Builders for progress databases with hand-made histories (stats, report, progress tests).

Rows are inserted directly so every expected figure can be computed by hand.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from quiz.deck.loader import load_deck
from quiz.store import Store
from quiz.store.schema import migrations
from quiz.study.clock import FixedClock, to_iso

T0 = "2025-01-01T00:00:00.000+00:00"


def new_db(path: Path | str | None = None) -> Database:
    db = Database(path) if path is not None else Database(memory=True)
    migrations.apply(db)
    return db


def add_learner(
    db: Database, name: str, created_at: str = T0, settings: dict | None = None
) -> None:
    db["learners"].insert(
        {"name": name, "created_at": created_at, "settings": json.dumps(settings or {})}
    )


def add_deck(
    db: Database, deck: str, cards: dict[str, str | None], retired: tuple[str, ...] = ()
) -> None:
    """A deck with ``cards`` = {card_id: section}, in that order."""
    db["decks"].insert({"id": deck, "title": deck.title(), "first_seen": T0, "settings": "{}"})
    for card_id, section in cards.items():
        db["cards"].insert(
            {
                "deck": deck,
                "card_id": card_id,
                "content_hash": "h-" + card_id,
                "type": "short",
                "kind": "fact",
                "section": section,
                "first_seen": T0,
                "retired": int(card_id in retired),
            }
        )


def state_json(
    state: int, ivl_days: float | None = None, at: datetime | None = None, **extra
) -> str:
    """A ``state_before`` JSON whose scheduled interval (due - last_review) is ``ivl_days``."""
    row = {
        "state": state,
        "step": None,
        "stability": None,
        "difficulty": None,
        "due": None,
        "last_review": None,
        "reps": 0,
        "lapses": 0,
    }
    if ivl_days is not None and at is not None:
        last = at - timedelta(days=ivl_days)
        row.update(due=to_iso(at), last_review=to_iso(last), stability=float(ivl_days))
    row.update(extra)
    return json.dumps(row, sort_keys=True)


def add_review(
    db: Database,
    learner: str,
    deck: str,
    card_id: str,
    at: datetime,
    rating: int,
    *,
    before_state: int = 2,
    ivl_days: float | None = 5,
    duration_ms: int | None = 10_000,
    mode: str = "study",
    review_id: str | None = None,
    answer: str | None = None,
    correct: int | None = None,
) -> str:
    rid = review_id or str(uuid.uuid4())
    db["reviews"].insert(
        {
            "id": rid,
            "learner": learner,
            "deck": deck,
            "card_id": card_id,
            "rating": rating,
            "reviewed_at": to_iso(at),
            "duration_ms": duration_ms,
            "answer": answer,
            "correct": correct,
            "verdict": "self",
            "mode": mode,
            "session_id": None,
            "params_id": None,
            "state_before": state_json(before_state, ivl_days if before_state else None, at),
            "state_after": None,
        }
    )
    return rid


def set_state(
    db: Database,
    learner: str,
    deck: str,
    card_id: str,
    *,
    state: int,
    stability: float | None = None,
    last_review: datetime | None = None,
    due: datetime | None = None,
    reps: int = 1,
    lapses: int = 0,
    suspended: int = 0,
    leech: int = 0,
    flagged: int = 0,
    flag_comment: str | None = None,
) -> None:
    db["card_states"].upsert(
        {
            "learner": learner,
            "deck": deck,
            "card_id": card_id,
            "state": state,
            "stability": stability,
            "difficulty": 5.0 if stability else None,
            "due": to_iso(due),
            "last_review": to_iso(last_review),
            "reps": reps,
            "lapses": lapses,
            "suspended": suspended,
            "leech": leech,
            "flagged": flagged,
            "flag_comment": flag_comment,
        },
        pk=("learner", "deck", "card_id"),
    )


DECK_FILE = Path(__file__).resolve().parents[1] / "decks" / "example-geography.yaml"
START = datetime(2026, 10, 1, 17, 0, tzinfo=UTC)

STATE_COLS = "learner, deck, card_id, state, step, stability, difficulty, due, last_review, reps, lapses, suspended, flagged, flag_comment, leech"


def studied_db(
    path: Path, learner: str, seed: int, days: int = 12, created: datetime = START
) -> Path:
    """A database where ``learner`` studied the example deck for ``days`` days."""
    clock = FixedClock(created)
    rng = random.Random(seed)
    deck = load_deck(DECK_FILE)
    store = Store.open(path, clock=clock)
    try:
        store.ensure_learner(learner)
        store.sync_deck(deck, DECK_FILE)
        ids = [c.id for c in deck.cards][:6]
        for day in range(days):
            for k, card_id in enumerate(ids):
                now = created + timedelta(days=day, minutes=3 * k + rng.randint(0, 2))
                store.record_review(
                    review_id=str(uuid.UUID(int=rng.getrandbits(128))),
                    learner=learner,
                    deck=deck.deck,
                    card_id=card_id,
                    rating=rng.choice((1, 3, 3, 3, 4)),
                    now=now,
                    duration_ms=rng.randint(3000, 15000),
                )
            if day == 3:
                store.record_review(
                    review_id=str(uuid.UUID(int=rng.getrandbits(128))),
                    learner=learner,
                    deck=deck.deck,
                    card_id=ids[0],
                    rating=1,
                    now=created + timedelta(days=day, hours=2),
                    mode="practice",
                    duration_ms=4000,
                )
        store.flag(learner, deck.deck, ids[1], "the answer [/] is ambiguous")
    finally:
        store.close()
    return path


def realistic_db(
    path: Path,
    learner: str,
    deck_file: Path,
    *,
    days: int,
    end: datetime,
    skill: float,
    new_per_day: int = 10,
    attendance: float = 0.9,
    seed: int = 0,
    flags: dict[str, str] | None = None,
) -> Path:
    """A learner who studied ``deck_file`` through the engine for ``days`` days up to ``end``:
    every day (with probability ``attendance``) the due cards, then new ones; a card is
    recalled with probability ``skill``."""
    rng = random.Random(seed)
    start = end - timedelta(days=days)
    clock = FixedClock(start)
    deck = load_deck(deck_file)
    store = Store.open(path, clock=clock)
    try:
        store.ensure_learner(learner)
        store.update_settings(learner, timezone="UTC")
        store.sync_deck(deck, deck_file)
        order = [c.id for c in deck.cards]
        seen: set[str] = set()
        for d in range(days):
            if rng.random() > attendance:
                continue
            now = start + timedelta(days=d, hours=17, minutes=rng.randint(0, 120))
            due = [
                r[0]
                for r in store.db.execute(
                    "SELECT card_id FROM card_states WHERE learner = ? AND deck = ? AND state != 0 "
                    "AND suspended = 0 AND due <= ? ORDER BY due",
                    [learner, deck.deck, to_iso(now + timedelta(hours=6))],
                )
            ]
            fresh = [c for c in order if c not in seen][:new_per_day]
            for card_id in due + fresh:
                seen.add(card_id)
                for _attempt in range(4):  # relearn within the session until Good
                    recalled = rng.random() < skill
                    rating = rng.choice((2, 3, 3, 3, 4)) if recalled else 1
                    took = rng.randint(4000, 25000) if recalled else rng.randint(10000, 40000)
                    now += timedelta(milliseconds=took)
                    store.record_review(
                        review_id=str(uuid.UUID(int=rng.getrandbits(128))),
                        learner=learner,
                        deck=deck.deck,
                        card_id=card_id,
                        rating=rating,
                        now=now,
                        duration_ms=took,
                    )
                    if recalled:
                        break
                    now += timedelta(minutes=10)
        for card_id, comment in (flags or {}).items():
            store.flag(learner, deck.deck, card_id, comment)
    finally:
        store.close()
    return path
