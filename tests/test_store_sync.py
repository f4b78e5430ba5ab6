"""Decks that change under progress: edits, removals, restores, renames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.queue import StudyQueue
from quiz.study.scheduling import rebuild_card_states

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def card(cid: str, q: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "type": "basic", "question": q or f"Q {cid}", "answer": f"A {cid}", **extra}


def make(cards: list[dict[str, Any]]) -> Deck:
    return Deck.model_validate({"deck": "d", "title": "D", "cards": cards})


def review(store: Store, cid: str, rating: int, when: datetime, n: int) -> None:
    store.record_review(
        review_id=f"r{n}", learner="ann", deck="d", card_id=cid, rating=rating, now=when
    )


def state(store: Store, cid: str) -> dict[str, Any] | None:
    return store.card_state("ann", "d", cid)


def shown_ids(store: Store, when: datetime) -> set[str]:
    q = StudyQueue(store, "ann", "d")
    seen: set[str] = set()
    while (pick := q.next_card(when, exclude=seen)) is not None:
        seen.add(pick.card_id)
    return seen


def test_sync_upserts_decks_and_cards(store: Store) -> None:
    rep = store.sync_deck(make([card("a", group="g"), card("b", section="S")]), "/x/d.yaml")
    assert rep.added == ["a", "b"]
    rows = [
        (
            c["card_id"],
            c["type"],
            c["kind"],
            c["section"],
            c["grp"],
            c["retired"],
            c["position"],
            len(c["content_hash"]),
        )
        for c in store.stored_cards("d")
    ]
    assert rows == [
        ("a", "basic", "fact", None, "g", 0, 0, 16),
        ("b", "basic", "fact", "S", None, 0, 1, 16),
    ]
    assert store.db.execute("SELECT id, title, path FROM decks").fetchall() == [
        ("d", "D", "/x/d.yaml")
    ]
    assert not store.sync_deck(make([card("a", group="g"), card("b", section="S")])).changed


def test_edited_card_keeps_progress(store: Store) -> None:
    store.sync_deck(make([card("a"), card("b")]))
    store.ensure_states("ann", "d")
    review(store, "a", 3, T0, 1)
    before = state(store, "a")
    rep = store.sync_deck(make([card("a", "A reworded question"), card("b")]))
    assert rep.edited == ["a"]
    after = state(store, "a")
    assert after == before and after["reps"] == 1


def test_removed_card_retires_keeps_history_and_restore_brings_progress_back(store: Store) -> None:
    store.sync_deck(make([card("a"), card("b"), card("c")]))
    store.ensure_states("ann", "d")
    review(store, "b", 3, T0, 1)
    review(store, "b", 3, T0 + timedelta(minutes=10), 2)
    progress = state(store, "b")
    rep = store.sync_deck(make([card("a"), card("c")]))
    assert rep.retired == ["b"]
    assert [c["retired"] for c in store.stored_cards("d") if c["card_id"] == "b"] == [1]
    assert len(store.reviews(card_id="b")) == 2
    later = T0 + timedelta(days=60)
    assert "b" not in shown_ids(store, later)
    rep = store.sync_deck(make([card("a"), card("b"), card("c")]))
    assert rep.restored == ["b"]
    assert state(store, "b") == progress
    assert "b" in shown_ids(store, later)


def test_retired_flag_hides_card(store: Store) -> None:
    store.sync_deck(make([card("a"), card("b")]))
    store.ensure_states("ann", "d")
    rep = store.sync_deck(make([card("a"), card("b", retired=True)]))
    assert rep.retired == ["b"]
    assert shown_ids(store, T0) == {"a"}


def test_previous_ids_carry_progress_and_history(store: Store) -> None:
    store.sync_deck(make([card("old-1"), card("x")]))
    store.ensure_states("ann", "d")
    review(store, "old-1", 3, T0, 1)
    review(store, "old-1", 3, T0 + timedelta(minutes=10), 2)
    progress = state(store, "old-1")
    rep = store.sync_deck(make([card("new-1", previous_ids=["old-1"]), card("x")]))
    store.ensure_states("ann", "d")
    assert rep.renamed == [("old-1", "new-1")]
    moved = state(store, "new-1")
    assert {k: moved[k] for k in ("state", "reps", "due", "stability")} == {
        k: progress[k] for k in ("state", "reps", "due", "stability")
    }
    assert state(store, "old-1") is None
    # The log is untouched and replay credits the old reviews to the new id.
    assert {r.card_id for r in store.reviews()} == {"old-1"}
    review(store, "new-1", 3, T0 + timedelta(days=5), 3)
    live = state(store, "new-1")
    rebuild_card_states(store, "ann", "d")
    assert state(store, "new-1") == live
    assert live["reps"] == 3
    # The new id is not shown as a new card (it has progress).
    assert StudyQueue(store, "ann", "d").counts(T0 + timedelta(days=5)).new == 1


def test_renamed_twice_follows_the_chain(store: Store) -> None:
    store.sync_deck(make([card("v1")]))
    store.ensure_states("ann", "d")
    review(store, "v1", 3, T0, 1)
    store.sync_deck(make([card("v2", previous_ids=["v1"])]))
    store.sync_deck(make([card("v3", previous_ids=["v2"])]))
    assert store.resolve_card_id("d", "v1") == "v3"
    assert state(store, "v3")["reps"] == 1
    rebuild_card_states(store)
    assert state(store, "v3")["reps"] == 1
