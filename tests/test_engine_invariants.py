"""Random study histories: the queue's promises hold at every step."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock, from_iso
from quiz.study.scheduling import rebuild_card_states
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def make_deck(rng: random.Random) -> Deck:
    cards: list[dict[str, Any]] = []
    for i in range(30):
        card: dict[str, Any] = {
            "id": f"c{i:02d}",
            "type": "basic",
            "question": f"Q{i}",
            "answer": f"A{i}",
        }
        if rng.random() < 0.4:
            card["group"] = f"g{rng.randint(0, 5)}"
        cards.append(card)
    return Deck.model_validate({"deck": "d", "title": "D", "cards": cards})


@pytest.mark.parametrize("seed", range(4))
def test_queue_promises_hold_through_random_histories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setenv("QUIZ_TZ", "America/New_York")
    rng = random.Random(seed)
    deck = make_deck(rng)
    groups = {c.id: c.group for c in deck.cards}
    clock = FixedClock(T0)
    store = Store.open(tmp_path / "p.db", clock=clock)
    store.update_settings("ann", new_per_day=6, reviews_per_day=8, leech_threshold=3)
    session = StudySession(store, deck, "ann", clock=clock, seed=seed)
    sd = store.study_day("ann", "d")
    answered: dict[Any, list[tuple[str, str]]] = {}  # day -> [(card, queue)]
    for _step in range(400):
        roll = rng.random()
        if roll < 0.05:
            clock.advance(hours=rng.choice([1, 5, 13, 30]))
            session.close()
            session = StudySession(store, deck, "ann", clock=clock, seed=rng.randint(0, 99))
            continue
        view = session.next_card()
        if view is None:
            clock.advance(hours=rng.choice([2, 9, 20]))
            continue
        now = clock()
        day = sd.day_of(now)
        row = store.card_state("ann", "d", view.card.id)
        assert row is not None
        assert row["suspended"] == 0
        assert row["buried_until"] is None or from_iso(row["buried_until"]) <= now
        if view.queue == "learning":
            assert row["state"] in (1, 3)
            assert from_iso(row["due"]) <= now + timedelta(minutes=20)
        elif view.queue == "review":
            assert row["state"] == 2
            assert from_iso(row["due"]) < sd.end_of(day)
        else:
            assert row["state"] == 0
        if view.queue in ("new", "review") and groups[view.card.id]:
            earlier = {groups[c] for c, _q in answered.get(day, []) if c != view.card.id}
            assert groups[view.card.id] not in earlier, "a sibling was answered today"
        clock.advance(seconds=rng.randint(3, 60))
        action = rng.random()
        if action < 0.04:
            session.bury()
            continue
        if action < 0.06:
            session.suspend()
            continue
        session.reveal()
        session.rate(rng.choices([1, 2, 3, 4], weights=[3, 1, 5, 1])[0])
        answered.setdefault(day, []).append((view.card.id, view.queue))
        if rng.random() < 0.05 and session.undo():
            answered[day].pop()
    session.close()
    for day, items in answered.items():
        assert sum(1 for _c, q in items if q == "new") <= 6, f"too many new cards on {day}"
        assert sum(1 for _c, q in items if q == "review") <= 8, f"too many reviews on {day}"
    live = store.card_states()
    rebuild_card_states(store)
    assert store.card_states() == live
    store.close()
