"""Build a synthetic class: one progress database per learner, as quiz makes them.

``python bench/class_builder.py OUT_DIR [--learners 2000] [--cards 200] [--reviews 300]``

Each learner's file starts as a copy of one template made by quiz itself
(``Store.open``: the store's own migrations, then ``sync_deck`` of a generated
deck file written beside it, so ``quiz report`` finds the card prompts). Each
learner then answers up to ``--reviews`` times, replayed through fsrs (the
same scheduler settings quiz uses by default): new cards spread over 60 days, each next review at
the card's due time (late by up to a day), failures drawn from the card's
retrievability and the learner's skill. A few learners flag a card, a few
live in another time zone. Deterministic for a seed.

The 2,000-learner build (600,000 reviews) is for ``bench/bench_class.py``;
tests build a handful of learners with :func:`build_class`.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import shutil
import sqlite3
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Card, Rating, Scheduler

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DECK_ID = "class-bench"
SECTIONS = 10
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo")


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="milliseconds")


def deck_yaml(cards: int) -> str:
    lines = [f"deck: {DECK_ID}", "title: A class at scale", "cards:"]
    for i in range(cards):
        lines += [
            f"  - id: c{i:04d}",
            "    type: basic",
            f"    section: Section {i % SECTIONS + 1:02d}",
            f"    question: What is fact number {i}?",
            f"    answer: Fact {i}",
        ]
    return "\n".join(lines) + "\n"


def make_template(out: Path, cards: int) -> Path:
    """The deck file and an empty progress database synced with it, made by quiz's store."""
    from quiz.deck.loader import load_deck
    from quiz.store import Store
    from quiz.study.clock import FixedClock
    from quiz.study.scheduling import SchedulerSettings

    deck_path = out / "deck.yaml"
    deck_path.write_text(deck_yaml(cards), encoding="utf-8")
    template = out / ".template.sqlite"
    template.unlink(missing_ok=True)
    store = Store.open(template, clock=FixedClock(NOW - timedelta(days=90)))
    try:
        store.sync_deck(load_deck(deck_path), deck_path)
        store.params_id(SchedulerSettings())
    finally:
        store.close()
    return template


def _state(card: Card, reps: int, lapses: int) -> dict[str, object]:
    return {
        "difficulty": card.difficulty,
        "due": iso(card.due) if card.due else None,
        "lapses": lapses,
        "last_review": iso(card.last_review) if card.last_review else None,
        "leech": 0,
        "reps": reps,
        "stability": card.stability,
        "state": int(card.state),
        "step": card.step,
        "suspended": 0,
    }


NEW_STATE = {
    "difficulty": None,
    "due": None,
    "lapses": 0,
    "last_review": None,
    "leech": 0,
    "reps": 0,
    "stability": None,
    "state": 0,
    "step": None,
    "suspended": 0,
}


def learner_history(
    rng: random.Random, scheduler: Scheduler, card_ids: list[str], reviews: int, skill: float
) -> tuple[list[tuple], dict[str, tuple[Card, int, int]]]:
    """(review rows, final (card, reps, lapses) per card id) for one learner: about
    ``reviews`` answers spread over the last 60 days (as many new cards as that takes)."""
    seed = rng.getrandbits(32)
    new_cards = len(card_ids)
    best: tuple[int, int] | None = None  # (new cards, answers)
    for _ in range(6):
        rows, cards = _simulate(random.Random(seed), scheduler, card_ids, new_cards, skill)
        if len(rows) >= reviews and (best is None or len(rows) < best[1]):
            best = new_cards, len(rows)
        if reviews <= len(rows) <= reviews * 1.1:
            break
        new_cards = max(1, min(len(card_ids), round(new_cards * reviews / len(rows) * 1.03)))
    if best is not None:  # replay once more, stopping at ``reviews`` answers
        rows, cards = _simulate(
            random.Random(seed), scheduler, card_ids, best[0], skill, limit=reviews
        )
    return rows, cards


def _simulate(
    rng: random.Random,
    scheduler: Scheduler,
    card_ids: list[str],
    new_cards: int,
    skill: float,
    limit: int | None = None,
) -> tuple[list[tuple], dict[str, tuple[Card, int, int]]]:
    start = NOW - timedelta(days=60)
    span = (NOW - timedelta(hours=12) - start).total_seconds()
    order = card_ids[:]
    rng.shuffle(order)
    order = order[:new_cards]
    heap = [
        (start + timedelta(seconds=span * i / len(order) + rng.random() * 3600), i, cid)
        for i, cid in enumerate(order)
    ]
    heapq.heapify(heap)
    cards: dict[str, tuple[Card, int, int]] = {}
    rows: list[tuple] = []
    seq = len(heap)
    while heap and (limit is None or len(rows) < limit):
        when, _, cid = heapq.heappop(heap)
        if when >= NOW:
            break
        card, reps, lapses = cards.get(cid) or (Card(card_id=int(cid[1:]) + 1), 0, 0)
        before = _state(card, reps, lapses) if reps else NEW_STATE
        if card.state == 2 and card.last_review is not None:
            recall = scheduler.get_card_retrievability(card, when) * (0.6 + 0.4 * skill)
        else:
            recall = 0.55 + 0.4 * skill
        if rng.random() < recall:
            rating = Rating.Easy if rng.random() < 0.1 else Rating.Good
        else:
            rating = Rating.Again
        failed = rating == Rating.Again and card.state == 2
        card, _log = scheduler.review_card(card, rating, when)
        reps, lapses = reps + 1, lapses + failed
        cards[cid] = (card, reps, lapses)
        rows.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128))),
                cid,
                int(rating),
                iso(when),
                rng.randint(2000, 20000),
                json.dumps(before, sort_keys=True),
                json.dumps(_state(card, reps, lapses), sort_keys=True),
            )
        )
        late = timedelta(seconds=rng.random() * 86400) if card.state == 2 else timedelta(0)
        seq += 1
        heapq.heappush(heap, (card.due + late, seq, cid))
    return rows, cards


def _scheduler() -> Scheduler:
    """quiz's default scheduler (the parameters row of the template), without fuzz so that
    a seed gives one history."""
    from dataclasses import replace

    from quiz.study.scheduling import SchedulerSettings

    return replace(SchedulerSettings(), enable_fuzzing=False).scheduler()


def build_learner(
    path: Path, template: Path, name: str, cards: int, reviews: int, seed: int
) -> int:
    """One learner's progress database; the number of reviews written."""
    rng = random.Random(seed)
    scheduler = _scheduler()
    card_ids = [f"c{i:04d}" for i in range(cards)]
    skill = rng.random()
    rows, states = learner_history(rng, scheduler, card_ids, reviews, skill)
    shutil.copyfile(template, path)
    settings: dict[str, object] = {}
    if rng.random() < 0.1:
        settings["timezone"] = rng.choice(ZONES)
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO learners (name, created_at, settings) VALUES (?, ?, ?)",
                [name, iso(NOW - timedelta(days=61)), json.dumps(settings)],
            )
            session = str(uuid.UUID(int=rng.getrandbits(128)))
            conn.execute(
                "INSERT INTO sessions (id, learner, deck, mode, started_at) "
                "VALUES (?, ?, ?, 'study', ?)",
                [session, name, DECK_ID, rows[0][3]],
            )
            conn.executemany(
                "INSERT INTO reviews (id, learner, deck, card_id, rating, reviewed_at, duration_ms,"
                " answer, correct, verdict, mode, session_id, params_id, state_before, state_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, '', NULL, 'self', 'study', ?, 1, ?, ?)",
                [
                    (rid, name, DECK_ID, cid, rating, at, ms, session, before, after)
                    for rid, cid, rating, at, ms, before, after in rows
                ],
            )
            flagged = rng.choice(list(states)) if states and rng.random() < 0.02 else None
            conn.executemany(
                "INSERT INTO card_states (learner, deck, card_id, state, step, stability, difficulty,"
                " due, last_review, reps, lapses, flagged, flag_comment, position)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        name,
                        DECK_ID,
                        cid,
                        int(c.state),
                        c.step,
                        c.stability,
                        c.difficulty,
                        iso(c.due),
                        iso(c.last_review) if c.last_review else None,
                        reps,
                        lapses,
                        int(cid == flagged),
                        "unclear <wording> & answer" if cid == flagged else None,
                        int(cid[1:]),
                    )
                    for cid, (c, reps, lapses) in states.items()
                ],
            )
            if flagged:
                conn.execute(
                    "INSERT INTO card_events (learner, deck, card_id, at, action, comment)"
                    " VALUES (?, ?, ?, ?, 'flag', ?)",
                    [name, DECK_ID, flagged, rows[-1][3], "unclear <wording> & answer"],
                )
            conn.execute(  # the rest of the deck, New, as quiz's ensure_states leaves it
                "INSERT INTO card_states (learner, deck, card_id, state, position) "
                "SELECT ?, deck, card_id, 0, position FROM cards c WHERE NOT EXISTS (SELECT 1 FROM "
                "card_states s WHERE s.learner = ? AND s.deck = c.deck AND s.card_id = c.card_id)",
                [name, name],
            )
    finally:
        conn.close()
    return len(rows)


def learner_name(i: int) -> str:
    return f"trainee-{i:05d}"


def build_class(
    out: Path,
    learners: int,
    cards: int = 200,
    reviews: int = 300,
    seed: int = 1,
    names: list[str] | None = None,
    quiet: bool = True,
) -> list[Path]:
    """``learners`` progress databases in ``out`` (``<name>.db``), and ``out/deck.yaml``."""
    out.mkdir(parents=True, exist_ok=True)
    template = make_template(out, cards)
    paths = []
    started = time.perf_counter()
    total = 0
    for i in range(learners):
        name = names[i] if names else learner_name(i)
        path = out / f"{learner_name(i)}.db"
        path.unlink(missing_ok=True)
        total += build_learner(path, template, name, cards, reviews, seed * 1_000_003 + i)
        paths.append(path)
        if not quiet and (i + 1) % 100 == 0:
            print(
                f"{i + 1}/{learners} learners, {total} reviews, "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    template.unlink()
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--learners", type=int, default=2000)
    ap.add_argument("--cards", type=int, default=200)
    ap.add_argument("--reviews", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    paths = build_class(args.out, args.learners, args.cards, args.reviews, args.seed, quiet=False)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"built {len(paths)} learner databases in {args.out} ({size / 1e6:.0f} MB) "
        f"in {time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
