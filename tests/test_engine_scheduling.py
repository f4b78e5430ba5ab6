"""Scheduling around fsrs: ids, intervals, seeded fuzz, retention, replay from the log."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.scheduling import (
    CardState,
    SchedulerSettings,
    fsrs_card_id,
    interval_text,
    is_leech_lapse,
    rebuild_card_states,
    review_state,
)
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def make(n: int, deck_id: str = "d") -> Deck:
    return Deck.model_validate(
        {
            "deck": deck_id,
            "title": "D",
            "cards": [
                {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(n)
            ],
        }
    )


def test_fsrs_card_id_is_stable_and_distinct() -> None:
    assert fsrs_card_id("d", "c1") == fsrs_card_id("d", "c1")
    assert fsrs_card_id("d", "c1") != fsrs_card_id("d", "c2")
    assert fsrs_card_id("d", "c1") != fsrs_card_id("e", "c1")
    assert 0 < fsrs_card_id("d", "c1") < 2**56


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=1), "<1m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=91), "3mo"),
        (timedelta(days=438), "1.2y"),
    ],
)
def test_interval_text(td: timedelta, text: str) -> None:
    assert interval_text(td) == text


def test_new_card_goes_through_learning_steps_and_counts_lapses() -> None:
    sch = SchedulerSettings().scheduler()
    s = CardState()
    s = review_state(sch, s, 3, T0, fsrs_id=1, seed="a")
    assert (s.state, s.step, s.reps, s.due - T0) == (1, 1, 1, timedelta(minutes=10))
    s = review_state(sch, s, 3, T0 + timedelta(minutes=10), fsrs_id=1, seed="b")
    assert s.state == 2 and s.lapses == 0
    t = s.due
    s = review_state(sch, s, 1, t, fsrs_id=1, seed="c")
    assert (s.state, s.lapses, s.reps) == (3, 1, 3)
    s = review_state(sch, s, 1, t + timedelta(minutes=10), fsrs_id=1, seed="d")
    assert s.lapses == 1  # Again in relearning is not another lapse


def test_fuzz_is_seeded_per_review() -> None:
    sch = SchedulerSettings().scheduler()
    s = CardState(state=2, stability=40.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=40))
    dues = {review_state(sch, s, 3, T0, fsrs_id=1, seed=f"r{i}").due for i in range(30)}
    assert len(dues) > 1  # fuzz is on
    again = [review_state(sch, s, 3, T0, fsrs_id=1, seed="same").due for _ in range(5)]
    assert len(set(again)) == 1
    random.seed(1)
    x = random.random()
    random.seed(1)
    review_state(sch, s, 3, T0, fsrs_id=1, seed="other")
    assert random.random() == x  # the global generator is left as it was


def test_leech_threshold_then_every_half() -> None:
    assert [n for n in range(1, 25) if is_leech_lapse(n, 8)] == [8, 12, 16, 20, 24]
    assert not is_leech_lapse(5, 0)


def test_desired_retention_learner_then_deck_and_params_referenced(store: Store) -> None:
    store.sync_deck(make(2))
    assert store.desired_retention("ann", "d") == 0.9
    store.set_desired_retention(0.85, learner="ann")
    assert store.desired_retention("ann", "d") == 0.85
    store.set_desired_retention(0.95, deck="d")
    assert store.desired_retention("ann", "d") == 0.95
    store.record_review(review_id="r1", learner="ann", deck="d", card_id="c0", rating=3, now=T0)
    row = store.db.execute(
        "SELECT p.desired_retention FROM reviews r JOIN scheduler_params p ON p.id = r.params_id"
    ).fetchone()
    assert row == (0.95,)


def _random_history(store: Store, deck: Deck, seed: int, days: int) -> int:
    """Many sessions over many days with random answers, undos, buries, practice."""
    rng = random.Random(seed)
    clock: FixedClock = store.clock  # type: ignore[assignment]
    answered = 0
    for day in range(days):
        clock.set(T0 + timedelta(days=day, hours=rng.randint(0, 10)))
        mode = "practice" if day % 7 == 6 else "study"
        s = StudySession(store, deck, "ann", mode, clock=clock, seed=day)
        for _ in range(rng.randint(5, 40)):
            view = s.next_card()
            if view is None:
                break
            clock.advance(seconds=rng.randint(2, 90))
            s.reveal()
            roll = rng.random()
            if roll < 0.03:
                s.bury()
                continue
            rating = rng.choices([1, 2, 3, 4], weights=[4, 1, 5, 1])[0]
            s.rate(rating)
            answered += 1
            if rng.random() < 0.1:
                assert s.undo()
                answered -= 1
                s.rate(rng.choice([1, 3]))
                answered += 1
        s.close()
    return answered


def _rows(store: Store) -> list[tuple]:
    return store.db.execute(
        "SELECT learner, deck, card_id, state, step, stability, difficulty, due, last_review, "
        "reps, lapses, suspended, buried_until, flagged, flag_comment, leech "
        "FROM card_states ORDER BY card_id"
    ).fetchall()


def test_states_equal_replay_of_the_log_after_long_random_history(store: Store) -> None:
    deck = make(25)
    store.sync_deck(deck)
    store.update_settings("ann", leech_threshold=4, new_per_day=8)
    answered = _random_history(store, deck, seed=7, days=60)
    assert answered > 300
    live = _rows(store)
    assert any(r[10] >= 4 for r in live), "some card lapsed into a leech"
    assert any(r[15] == 1 and r[11] == 1 for r in live), "a leech was suspended"
    n_reviews = store.db.execute("SELECT count(*) FROM reviews WHERE mode='study'").fetchone()[0]
    assert store.db.execute("SELECT count(*) FROM reviews WHERE mode='practice'").fetchone()[0] > 0
    # Rebuild in place: scheduling fields replayed, flags kept.
    rebuild_card_states(store, "ann", "d")
    assert _rows(store) == live
    # Rebuild from nothing: flags come back from card_events.
    store.db.execute("DELETE FROM card_states")
    written = rebuild_card_states(store)
    replayed = [r for r in _rows(store)]
    live_seen = [r for r in live if r[9] > 0]
    assert [r for r in replayed if r[9] > 0] == live_seen
    assert written == len(replayed)
    assert sum(r[9] for r in replayed) == n_reviews


def test_fitted_parameters_are_used_and_recorded(store: Store) -> None:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    store.sync_deck(make(2))
    fitted = list(DEFAULT_PARAMETERS)
    fitted[0] = 0.5
    store.update_settings("ann", fsrs_parameters=fitted)
    assert store.scheduler_settings("ann", "d").parameters == tuple(fitted)
    store.record_review(review_id="r1", learner="ann", deck="d", card_id="c0", rating=3, now=T0)
    row = store.db.execute(
        "SELECT p.parameters FROM reviews r JOIN scheduler_params p ON p.id = r.params_id"
    ).fetchone()
    assert json.loads(row[0]) == fitted
    store.update_settings("ann", fsrs_parameters=[1.0, 2.0])  # unusable: defaults
    assert store.scheduler_settings("ann", "d").parameters is None


def test_replay_of_reviews_without_parameters_uses_each_learners_settings(store: Store) -> None:
    store.sync_deck(make(1))
    store.set_desired_retention(0.8, learner="ann")
    store.set_desired_retention(0.97, learner="bob")
    for who in ("ann", "bob"):
        for i, days in enumerate((0, 0.01, 3)):
            store.record_review(
                review_id=f"{who}{i}", learner=who, deck="d", card_id="c0", rating=3,
                now=T0 + timedelta(days=days),
            )
    live = _rows(store)
    store.db.execute("UPDATE reviews SET params_id = NULL")  # e.g. imported from elsewhere
    rebuild_card_states(store)
    assert _rows(store) == live
